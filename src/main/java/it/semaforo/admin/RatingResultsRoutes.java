package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.rating.PageRatings;
import it.semaforo.render.Messages;

import java.util.List;

/**
 * /admin/valutazioni: what residents answered to "Quanto sono chiare le informazioni su questa
 * pagina?", per page: how many answers, the average, the stars, the follow-up reasons and their
 * latest words. Every clerk may read it; nothing in it says who answered.
 */
public final class RatingResultsRoutes {
    static final int LATEST_DETAILS = 5;

    private final AdminWeb web;
    private final PageRatings ratings;
    /** The reasons as residents read them, in the clerks' language (the public bundle holds them). */
    private final Messages publicWords;

    RatingResultsRoutes(AdminWeb web, PageRatings ratings) {
        this.web = web;
        this.ratings = ratings;
        this.publicWords = new Messages(web.config.language());
    }

    public record ReasonCount(String label, boolean positive, int answers) {
    }

    public record PageLine(PageRatings.PageSummary summary, String average, List<ReasonCount> reasons) {
    }

    public record Page(AdminPages.Frame frame, List<PageLine> pages, String question) {
    }

    void routes(RoutesConfig r) {
        r.get("/admin/valutazioni", web.page(Role.EDITOR, v -> {
            List<PageLine> lines = ratings.summary(LATEST_DETAILS).stream().map(s -> new PageLine(s,
                    String.format(web.config.language(), "%.1f", s.average()),
                    s.reasons().entrySet().stream().map(e -> new ReasonCount(
                            publicWords.t("rating.reason." + e.getKey().key()), e.getKey().positive(), e.getValue())).toList()))
                    .toList();
            web.render(v.ctx(), 200, "admin/ratings.jte", new Page(web.frame(v.ctx(), v, "ratings"), lines,
                    publicWords.t("rating.question")));
        }));
    }
}
