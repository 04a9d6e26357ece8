package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/** /admin/abilitazioni: the access review, its CSV for the data-protection officer, its confirmation. Administrators only. */
final class AccessReviewRoutes {
    static final int NOTE_MAX = 500;
    /** A spreadsheet that opens a cell starting with one of these runs it as a formula (CSV injection). */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private final AdminWeb web;
    private final AccessReview review;

    AccessReviewRoutes(AdminWeb web, AccessReview review) {
        this.web = web;
        this.review = review;
    }

    void routes(RoutesConfig r) {
        Role admin = Role.ADMINISTRATOR;
        r.get("/admin/abilitazioni", web.page(admin, v -> page(v, Form.empty(), 200)));
        r.get("/admin/abilitazioni.csv", web.page(admin, this::csv));
        r.post("/admin/abilitazioni/conferma", web.action(admin, this::confirm));
    }

    private void page(Visit v, Form form, int status) {
        web.render(v.ctx(), status, "admin/access.jte", new AdminPages.AccessPage(web.frame(v.ctx(), v, "users"),
                review.rows(), review.last().orElse(null), review.due(), review.overdue(),
                review.policy().inactiveAfter().toDays(), review.policy().reviewMonths(), form));
    }

    private void confirm(Visit v) {
        Form f = v.form();
        String note = NoticeForms.oneLine(f.text("note"));
        if (!f.checked("reviewed")) f.reject("reviewed", web.msg.t("admin.access.error.reviewed"));
        if (NoticeForms.length(note) > NOTE_MAX) f.reject("note", web.msg.t("admin.access.error.note.long", NOTE_MAX));
        if (f.hasErrors()) {
            page(v, f, 422);
            return;
        }
        review.confirm(v.actor(), note);
        AdminWeb.seeOther(v.ctx(), "/admin/abilitazioni?esito=verifica");
    }

    /**
     * Every account as one line for the data-protection officer's spreadsheet: UTF-8 with a
     * byte-order mark and semicolons (what a spreadsheet set up in Italian opens as columns),
     * every cell quoted, and a cell that would start a formula prefixed with an apostrophe.
     */
    private void csv(Visit v) {
        DateTimeFormatter at = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(web.fmt.zone());
        StringBuilder out = new StringBuilder("\uFEFF");
        line(out, List.of(t("admin.access.csv.username"), t("admin.access.csv.name"), t("admin.access.csv.role"),
                t("admin.access.csv.state"), t("admin.access.csv.suspended"), t("admin.access.csv.factors"),
                t("admin.access.csv.login"), t("admin.access.csv.activity"), t("admin.access.csv.sessions"),
                t("admin.access.csv.tokens")));
        for (AccessReview.Row r : review.rows()) {
            line(out, List.of(r.user().username(), r.user().displayName(), t("admin.role." + r.user().role().key()),
                    r.user().active() ? t("admin.access.active") : t("admin.access.inactive"), time(at, r.suspendedAt()),
                    r.factors().stream().map(f -> t("admin.access.factor." + f.key())).collect(Collectors.joining(", ")),
                    time(at, r.lastLogin()), time(at, r.lastActivity()), String.valueOf(r.openSessions()),
                    r.tokens().stream().filter(ApiTokens.Token::active)
                            .map(k -> k.name() + " (" + (k.lastUsedAt() == null ? t("admin.access.never") : time(at, k.lastUsedAt())) + ")")
                            .collect(Collectors.joining("; "))));
        }
        String date = LocalDate.ofInstant(review.now(), web.fmt.zone()).toString();
        v.ctx().header("Content-Disposition", "attachment; filename=\"abilitazioni-" + date + ".csv\"");
        v.ctx().status(200).contentType("text/csv; charset=utf-8").result(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String t(String key) {
        return web.msg.t(key);
    }

    private static String time(DateTimeFormatter f, Instant t) {
        return t == null ? "" : f.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append(cells.stream().map(AccessReviewRoutes::cell).collect(Collectors.joining(";"))).append("\r\n");
    }

    /** One quoted cell, never a formula. */
    static String cell(String value) {
        String s = value == null ? "" : value;
        if (!s.isEmpty() && FORMULA_STARTS.indexOf(s.charAt(0)) >= 0) s = "'" + s;
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
