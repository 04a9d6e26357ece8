package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.account.Passkeys;
import it.semaforo.account.SecondFactors;
import it.semaforo.account.Totp;
import it.semaforo.admin.AdminWeb.Visit;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * /admin/sicurezza: each clerk's second factor (TOTP enrolment, recovery codes) and open
 * sessions; and what administrators do about others' (/admin/utenti/{id}/sicurezza) and
 * about the requirement per role (/admin/secondo-fattore).
 */
final class SecurityRoutes {
    private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final AdminWeb web;
    private final SecurityDesk desk;
    private final SecondFactors factors;
    private final SignIn signIn;
    private final Passkeys passkeys;
    private final String issuer;

    SecurityRoutes(AdminWeb web, SecurityDesk desk, SignIn signIn, Passkeys passkeys, String issuer) {
        this.web = web;
        this.desk = desk;
        this.factors = desk.factors();
        this.signIn = signIn;
        this.passkeys = passkeys;
        this.issuer = issuer;
    }

    void routes(RoutesConfig r) {
        Role editor = Role.EDITOR;
        Role admin = Role.ADMINISTRATOR;
        var enrolling = EnumSet.of(Sessions.Stage.SIGNED_IN, Sessions.Stage.ENROL);
        r.get("/admin/sicurezza", web.page(editor, v -> account(v, Form.empty(), null, 200)));
        r.get("/admin/sicurezza/totp", web.halfway(enrolling, false, v -> enrol(v, Form.empty(), 200)));
        r.post("/admin/sicurezza/totp", web.halfway(enrolling, true, this::confirm));
        r.post("/admin/sicurezza/totp/rimuovi", web.action(editor, this::remove));
        r.post("/admin/sicurezza/codici", web.action(editor, this::newCodes));
        r.post("/admin/sicurezza/sessioni/{handle}/chiudi", web.action(editor, this::endSession));
        r.get("/admin/utenti/{id}/sicurezza", web.page(admin, this::userSecurity));
        r.post("/admin/utenti/{id}/sessioni/chiudi", web.action(admin, this::endAll));
        r.post("/admin/utenti/{id}/fattore/azzera", web.action(admin, this::reset));
        r.get("/admin/secondo-fattore", web.page(admin, this::requirement));
        r.post("/admin/secondo-fattore", web.action(admin, this::setRequirement));
    }

    // ---- one's own ------------------------------------------------------------------------

    private void account(Visit v, Form form, String problem, int status) {
        form.set("current", "");
        web.render(v.ctx(), status, "admin/security.jte", new SecurityPages.Account(web.frame(v.ctx(), v, "security"),
                factors.status(v.user().id()), factors.required(v.user().role().key()), passkeys.of(v.user().id()),
                lines(v, v.user().id()), form, problem));
        PasskeyRoutes.allowOwnScript(v.ctx());
    }

    private List<SecurityPages.SessionLine> lines(Visit v, long userId) {
        return web.sessions.of(userId).stream()
                .map(s -> new SecurityPages.SessionLine(s, s.idHash().equals(v.session().idHash()))).toList();
    }

    private void enrol(Visit v, Form form, int status) {
        String secret = factors.startEnrolment(v.user().id());
        String account = v.user().username();
        form.set("code", "");
        web.render(v.ctx(), status, "admin/enrol.jte", new SecurityPages.Enrol(web.frame(v.ctx(), v, "security"),
                factors.totp().qrCode(secret, account, issuer), Totp.grouped(secret), account, form,
                v.session().stage() == Sessions.Stage.ENROL, factors.status(v.user().id()).totp()));
    }

    private void confirm(Visit v) {
        Form f = v.form();
        String code = f.text("code");
        if (code.isEmpty()) f.reject("code", web.msg.t("admin.second.error.required"));
        else if (!Totp.looksLikeCode(code)) f.reject("code", web.msg.t("admin.security.error.code.format"));
        if (f.hasErrors()) {
            enrol(v, f, 422);
            return;
        }
        Optional<List<String>> codes = desk.confirmTotp(v.actor(), v.user(), code, v.session().idHash());
        if (codes.isEmpty()) {
            f.reject("code", web.msg.t("admin.security.error.code"));
            enrol(v, f, 422);
            return;
        }
        boolean wasHalfway = v.session().stage() == Sessions.Stage.ENROL;
        if (wasHalfway) signIn.signedIn(v.ctx(), v.user());
        // the codes are in this answer only (no-store); the page without a menu when the session just changed
        web.render(v.ctx(), 201, "admin/codes.jte", new SecurityPages.Codes(web.frame(v.ctx(), wasHalfway ? null : v, "security"),
                codes.get(), true));
    }

    /** A change that needs the current password: an unattended session cannot weaken the account. */
    private boolean passwordConfirmed(Visit v) {
        char[] current = v.form().get("current").toCharArray();
        try {
            if (current.length > 0 && web.accounts.hasPassword(v.user().id(), current)) return true;
        } finally {
            Arrays.fill(current, '\0');
        }
        v.form().reject("current", web.msg.t("admin.error.password.current"));
        account(v, v.form(), null, 422);
        return false;
    }

    private void remove(Visit v) {
        if (!passwordConfirmed(v)) return;
        try {
            desk.removeOwnFactor(v.actor(), v.user(), v.session().idHash());
        } catch (AdminProblem p) {
            if (p.status() != 409) throw p;
            account(v, Form.empty(), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/sicurezza?esito=fattore-rimosso");
    }

    private void newCodes(Visit v) {
        if (!passwordConfirmed(v)) return;
        List<String> codes;
        try {
            codes = desk.newRecoveryCodes(v.actor(), v.user(), v.session().idHash());
        } catch (AdminProblem p) {
            if (p.status() != 409) throw p;
            account(v, Form.empty(), p.getMessage(), 409);
            return;
        }
        web.render(v.ctx(), 201, "admin/codes.jte", new SecurityPages.Codes(web.frame(v.ctx(), v, "security"), codes, false));
    }

    private void endSession(Visit v) {
        String handle = v.ctx().pathParam("handle");
        if (!HANDLE.matcher(handle).matches()) throw new AdminProblem(404, web.msg.t("admin.security.problem.session.missing"));
        boolean own = handle.equals(v.session().handle());
        desk.endOwnSession(v.actor(), v.user(), handle);
        if (own) {
            web.clearCookie(v.ctx(), AdminWeb.SESSION_COOKIE);
            AdminWeb.seeOther(v.ctx(), "/admin/login?esito=uscita");
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/sicurezza?esito=sessione");
    }

    // ---- administrators -------------------------------------------------------------------

    private User user(Visit v) {
        return web.accounts.find(web.id(v.ctx(), "id"))
                .orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.user.missing")));
    }

    private void userSecurity(Visit v) {
        User u = user(v);
        web.render(v.ctx(), 200, "admin/userSecurity.jte", new SecurityPages.UserSecurity(web.frame(v.ctx(), v, "users"), u,
                factors.status(u.id()), factors.required(u.role().key()), lines(v, u.id())));
    }

    private void endAll(Visit v) {
        User u = user(v);
        desk.endAllSessions(v.actor(), u.id());
        if (u.id() == v.user().id()) {
            web.clearCookie(v.ctx(), AdminWeb.SESSION_COOKIE);
            AdminWeb.seeOther(v.ctx(), "/admin/login?esito=uscita");
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/utenti/" + u.id() + "/sicurezza?esito=sessioni");
    }

    private void reset(Visit v) {
        User u = user(v);
        if (u.id() == v.user().id()) throw new AdminProblem(409, web.msg.t("admin.security.problem.reset.self"));
        desk.resetFactor(v.actor(), u.id());
        AdminWeb.seeOther(v.ctx(), "/admin/utenti/" + u.id() + "/sicurezza?esito=fattore-azzerato");
    }

    private void requirement(Visit v) {
        List<SecurityPages.RoleLine> roles = Arrays.stream(Role.values())
                .map(r -> new SecurityPages.RoleLine(r, factors.required(r.key()))).toList();
        web.render(v.ctx(), 200, "admin/requirement.jte", new SecurityPages.Requirement(web.frame(v.ctx(), v, "users"), roles));
    }

    private void setRequirement(Visit v) {
        Map<Role, Boolean> chosen = new LinkedHashMap<>();
        for (Role r : Role.values()) chosen.put(r, v.form().checked("role_" + r.key()));
        desk.setRequirement(v.actor(), chosen);
        AdminWeb.seeOther(v.ctx(), "/admin/secondo-fattore?esito=obbligo");
    }
}
