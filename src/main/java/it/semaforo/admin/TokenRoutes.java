package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;

/** /admin/token: each clerk creates, sees and revokes the write API tokens acting as them. */
final class TokenRoutes {
    private final AdminWeb web;
    private final ApiTokens tokens;

    TokenRoutes(AdminWeb web, ApiTokens tokens) {
        this.web = web;
        this.tokens = tokens;
    }

    ApiTokens tokens() {
        return tokens;
    }

    void routes(RoutesConfig r) {
        r.get("/admin/token", web.page(Role.EDITOR, v -> page(v, Form.empty(), null, null, 200)));
        r.post("/admin/token", web.action(Role.EDITOR, this::create));
        r.post("/admin/token/{id}/revoca", web.action(Role.EDITOR, this::revoke));
    }

    private void create(Visit v) {
        Form f = v.form();
        String name = NoticeForms.oneLine(f.text("name"));
        if (name.isEmpty()) f.reject("name", web.msg.t("admin.token.error.name.required"));
        else if (NoticeForms.length(name) > ApiTokens.NAME_MAX) {
            f.reject("name", web.msg.t("admin.token.error.name.long", ApiTokens.NAME_MAX));
        }
        if (f.hasErrors()) {
            page(v, f, null, null, 422);
            return;
        }
        ApiTokens.Created created = tokens.create(v.actor(), name);
        // shown in this answer only (no-store); a reload shows the list without it
        page(v, Form.empty(), created.secret(), name, 201);
    }

    private void revoke(Visit v) {
        tokens.revoke(v.actor(), web.id(v.ctx(), "id"), web.msg.t("admin.token.problem.revoked"),
                web.msg.t("admin.token.problem.missing"));
        AdminWeb.seeOther(v.ctx(), "/admin/token?esito=revocato");
    }

    private void page(Visit v, Form form, String secret, String secretName, int status) {
        web.render(v.ctx(), status, "admin/tokens.jte", new TokenPage(web.frame(v.ctx(), v, "tokens"),
                tokens.of(v.user().id()), form, secret, secretName, web.config.baseUrl() + "/api/semaforo/v1/"));
    }
}
