package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * /admin/token: each clerk creates, sees and revokes the write API tokens acting as them,
 * each with the kinds of write it may make and a last day (one year ahead unless chosen).
 */
final class TokenRoutes {
    /** The expiry offered, and the farthest one accepted. */
    static final int DEFAULT_DAYS = 365;
    static final int MAX_DAYS = 2 * 365;

    private final AdminWeb web;
    private final ApiTokens tokens;
    private final Clock clock;

    TokenRoutes(AdminWeb web, ApiTokens tokens, Clock clock) {
        this.web = web;
        this.tokens = tokens;
        this.clock = clock;
    }

    ApiTokens tokens() {
        return tokens;
    }

    void routes(RoutesConfig r) {
        r.get("/admin/token", web.page(Role.EDITOR, v -> page(v, defaults(Form.empty()), null, null, 200)));
        r.post("/admin/token", web.action(Role.EDITOR, this::create));
        r.post("/admin/token/{id}/revoca", web.action(Role.EDITOR, this::revoke));
    }

    private LocalDate today() {
        return clock.instant().atZone(web.fmt.zone()).toLocalDate();
    }

    /** A new token's form: every kind of write ticked, a year ahead. */
    private Form defaults(Form f) {
        for (ApiTokens.Scope s : ApiTokens.Scope.values()) f.set(s.field(), "on");
        return f.set("expires_on", today().plusDays(DEFAULT_DAYS).toString());
    }

    private void create(Visit v) {
        Form f = v.form();
        String name = NoticeForms.oneLine(f.text("name"));
        if (name.isEmpty()) f.reject("name", web.msg.t("admin.token.error.name.required"));
        else if (NoticeForms.length(name) > ApiTokens.NAME_MAX) {
            f.reject("name", web.msg.t("admin.token.error.name.long", ApiTokens.NAME_MAX));
        }
        Set<ApiTokens.Scope> scopes = EnumSet.noneOf(ApiTokens.Scope.class);
        for (ApiTokens.Scope s : ApiTokens.Scope.values()) if (f.checked(s.field())) scopes.add(s);
        if (scopes.isEmpty()) f.reject(ApiTokens.Scope.CREATE.field(), web.msg.t("admin.token.error.scope"));
        LocalDate last = today().plusDays(DEFAULT_DAYS);
        String typed = f.text("expires_on");
        if (!typed.isEmpty()) {
            try {
                last = LocalDate.parse(typed);
                if (!last.isAfter(today().minusDays(1))) f.reject("expires_on", web.msg.t("admin.token.error.expiry.past"));
                else if (last.isAfter(today().plusDays(MAX_DAYS))) {
                    f.reject("expires_on", web.msg.t("admin.token.error.expiry.far", web.fmt.date(today().plusDays(MAX_DAYS))));
                }
            } catch (DateTimeParseException e) {
                f.reject("expires_on", web.msg.t("admin.token.error.expiry.format"));
            }
        }
        if (f.hasErrors()) {
            page(v, f, null, null, 422);
            return;
        }
        // valid through its last day, in the comune's time zone
        Instant expiresAt = last.plusDays(1).atStartOfDay(web.fmt.zone()).toInstant();
        ApiTokens.Created created = tokens.create(v.actor(), name, scopes, expiresAt);
        // shown in this answer only (no-store); a reload shows the list without it
        page(v, defaults(Form.empty()), created.secret(), name, 201);
    }

    private void revoke(Visit v) {
        tokens.revoke(v.actor(), web.id(v.ctx(), "id"), web.msg.t("admin.token.problem.revoked"),
                web.msg.t("admin.token.problem.missing"));
        AdminWeb.seeOther(v.ctx(), "/admin/token?esito=revocato");
    }

    private void page(Visit v, Form form, String secret, String secretName, int status) {
        web.render(v.ctx(), status, "admin/tokens.jte", new TokenPage(web.frame(v.ctx(), v, "tokens"),
                tokens.of(v.user().id()), form, secret, secretName, web.config.baseUrl() + "/api/semaforo/v1/",
                List.of(ApiTokens.Scope.values()), clock.instant(), today().toString(),
                today().plusDays(MAX_DAYS).toString()));
    }
}
