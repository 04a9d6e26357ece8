package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;

import java.util.List;
import java.util.Optional;

/** Users and roles: administrators only. */
final class UserRoutes {
    private final AdminWeb web;
    private final UserDesk desk;

    UserRoutes(AdminWeb web, UserDesk desk) {
        this.web = web;
        this.desk = desk;
    }

    void routes(RoutesConfig r) {
        Role admin = Role.ADMINISTRATOR;
        r.get("/admin/utenti", web.page(admin, v -> web.render(v.ctx(), 200, "admin/users.jte",
                new AdminPages.Users(web.frame(v.ctx(), v, "users"), web.accounts.all(), web.config.sso().enabled()))));
        r.get("/admin/utenti/nuovo", web.page(admin, v -> editor(v, null, Form.empty().set("role", Role.EDITOR.key()), null, 200)));
        r.post("/admin/utenti", web.action(admin, this::create));
        r.get("/admin/utenti/{id}", web.page(admin, v -> {
            User u = user(v);
            editor(v, u, Form.empty().set("display_name", u.displayName()).set("role", u.role().key())
                    .set("active", u.active() ? "on" : ""), null, 200);
        }));
        r.post("/admin/utenti/{id}", web.action(admin, this::update));
    }

    private void create(Visit v) {
        Optional<UserDesk.NewUser> u = desk.newUser(v.form());
        if (u.isEmpty()) {
            editor(v, null, v.form(), null, 422);
            return;
        }
        desk.create(v.actor(), u.get());
        AdminWeb.seeOther(v.ctx(), "/admin/utenti?esito=utente");
    }

    private void update(Visit v) {
        User editing = user(v);
        Optional<UserDesk.UserEdit> e = desk.edit(v.form(), editing);
        if (e.isEmpty()) {
            editor(v, editing, v.form(), null, 422);
            return;
        }
        try {
            desk.update(v.actor(), editing.id(), e.get());
        } catch (AdminProblem p) {
            if (p.status() != 409) throw p;
            editor(v, editing, v.form(), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/utenti?esito=utente");
    }

    private void editor(Visit v, User editing, Form form, String problem, int status) {
        form.set("password", "").set("password_confirm", "");   // a password is never sent back
        web.render(v.ctx(), status, "admin/userForm.jte", new AdminPages.UserEditor(web.frame(v.ctx(), v, "users"),
                editing, form, List.of(Role.values()), problem));
    }

    private User user(Visit v) {
        return web.accounts.find(web.id(v.ctx(), "id"))
                .orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.user.missing")));
    }
}
