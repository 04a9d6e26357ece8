package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;
import it.semaforo.notify.ClerkAlerts;
import it.semaforo.notify.ClerkAlerts.Kind;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * /admin/profilo: the signed-in clerk's own choices of what they are told by mail (an avviso
 * near its scadenza while its services are down, a maintenance about to start, a signal; for
 * administrators also deliveries that keep failing, subscribers' data requests handled and
 * accounts suspended for disuse, the last offered ticked until they choose), and
 * the address they are told at. Without mail the page says why nothing can be chosen.
 */
public final class ProfileRoutes {
    static final String PATH = "/admin/profilo";

    private final AdminWeb web;
    private final Optional<ClerkAlerts> alerts;

    ProfileRoutes(AdminWeb web, Optional<ClerkAlerts> alerts) {
        this.web = web;
        this.alerts = alerts;
    }

    /** A choice on the page: the form's field and the message keys of its label. */
    public record Choice(String field, String label, boolean checked) {
    }

    public record Page(AdminPages.Frame frame, boolean mailEnabled, Form form, List<Choice> choices, boolean saved) {
    }

    void routes(RoutesConfig r) {
        r.get(PATH, web.page(Role.EDITOR, v -> {
            Form f = Form.empty();
            Optional<ClerkAlerts.Preferences> mine = alerts.flatMap(a -> a.preferences(v.user().id()));
            mine.ifPresent(p -> {
                f.set("email", p.email());
                for (Kind k : p.kinds()) f.set(k.key(), "on");
            });
            // nothing chosen yet: what the clerk is offered ticked (administrators: accounts suspended for disuse)
            if (mine.isEmpty()) for (Kind k : allowed(v.user())) if (k.offeredByDefault()) f.set(k.key(), "on");
            page(v, f, false, 200);
        }));
        r.post(PATH, web.action(Role.EDITOR, this::save));
    }

    private void save(Visit v) {
        if (alerts.isEmpty()) {
            page(v, Form.empty(), false, 409);
            return;
        }
        Form f = v.form();
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (Kind k : allowed(v.user())) if (f.checked(k.key())) kinds.add(k);
        String raw = NoticeForms.oneLine(f.text("email"));
        Optional<String> email = ClerkAlerts.address(raw);
        if (!kinds.isEmpty() && email.isEmpty()) {
            f.reject("email", web.msg.t(raw.isEmpty() ? "admin.profile.email.required" : "admin.profile.email.invalid"));
            page(v, f, false, 422);
            return;
        }
        alerts.get().save(v.user().id(), email.orElse(""), kinds);
        if (email.isPresent()) f.set("email", email.get());
        page(v, f, true, 200);
    }

    private static List<Kind> allowed(User u) {
        return List.of(Kind.values()).stream().filter(k -> !k.administratorsOnly() || u.role().allows(Role.ADMINISTRATOR)).toList();
    }

    private void page(Visit v, Form f, boolean saved, int status) {
        List<Choice> choices = allowed(v.user()).stream()
                .map(k -> new Choice(k.key(), web.msg.t("admin.profile.kind." + k.key()), f.checked(k.key()))).toList();
        v.ctx().header("Cache-Control", "no-store");
        web.render(v.ctx(), status, "admin/profile.jte", new Page(web.frame(v.ctx(), v, "profile"), alerts.isPresent(), f, choices, saved));
    }
}
