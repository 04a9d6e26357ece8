package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.admin.AdminWeb.Visit;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** Signing in and out, and one's own password. */
final class AccessRoutes {
    private static final Pattern NEXT = Pattern.compile("/admin(/[A-Za-z0-9/_-]{0,200})?");
    private static final int LOGIN_FORM_SECONDS = 3600;

    private final AdminWeb web;
    private final LoginThrottle throttle;
    private final UserDesk users;
    private final SignIn signIn;

    AccessRoutes(AdminWeb web, LoginThrottle throttle, UserDesk users, SignIn signIn) {
        this.web = web;
        this.throttle = throttle;
        this.users = users;
        this.signIn = signIn;
    }

    void routes(RoutesConfig r) {
        r.get("/admin/login", this::loginPage);
        r.post("/admin/login", this::login);
        // open halfway through signing in too: one can always give up and leave
        r.post("/admin/logout", web.halfway(java.util.EnumSet.allOf(Sessions.Stage.class), true, this::logout));
        r.get("/admin/password", web.page(Role.EDITOR, v -> passwordPage(v, Form.empty(), 200)));
        r.post("/admin/password", web.action(Role.EDITOR, this::changePassword));
    }

    private void loginPage(Context ctx) {
        AdminWeb.securityHeaders(ctx);
        if (web.sessions.find(ctx.cookie(AdminWeb.SESSION_COOKIE)).isPresent()) {
            AdminWeb.seeOther(ctx, "/admin");
            return;
        }
        showLogin(ctx, 200, Form.empty(), null);
    }

    /**
     * The login form carries a token that must match a cookie set with the form: a page on
     * another site cannot sign a clerk into an account of its choosing.
     */
    private void showLogin(Context ctx, int status, Form form, String message) {
        String token = Sessions.randomToken();
        web.setCookie(ctx, AdminWeb.LOGIN_COOKIE, token, LOGIN_FORM_SECONDS);
        String next = next(ctx.queryParam("dopo"));
        if (next == null) next = next(form.get("dopo"));
        form.set("password", "");   // never sent back
        web.render(ctx, status, "admin/login.jte", new AdminPages.Login(web.frame(ctx, null, "login"), form, token, message,
                next == null ? "" : next, web.config.sso().enabled(), web.config.sso().passwordLogin()));
    }

    private void login(Context ctx) {
        AdminWeb.securityHeaders(ctx);
        Form form;
        try {
            form = web.readForm(ctx);
        } catch (AdminProblem p) {
            web.problem(ctx, null, p.status(), p.getMessage());
            return;
        }
        if (!AdminWeb.sameToken(form.get("token"), ctx.cookie(AdminWeb.LOGIN_COOKIE))) {
            showLogin(ctx, 403, form, web.msg.t("admin.login.token"));
            return;
        }
        String username = Accounts.normalise(form.get("username"));
        if (username.length() > 64) username = username.substring(0, 64);
        String address = web.address(ctx);
        Optional<Duration> wait = throttle.waitFor(username, address);
        if (wait.isPresent()) {
            long minutes = Math.max(1, (wait.get().toSeconds() + 59) / 60);
            ctx.header("Retry-After", String.valueOf(Math.max(1, wait.get().toSeconds())));
            showLogin(ctx, 429, form, web.msg.t("admin.login.throttled", minutes));
            return;
        }
        if (username.isEmpty()) form.reject("username", web.msg.t("admin.error.username.required"));
        if (form.get("password").isEmpty()) form.reject("password", web.msg.t("admin.error.password.required"));
        if (form.hasErrors()) {
            showLogin(ctx, 422, form, null);
            return;
        }
        char[] password = form.get("password").toCharArray();
        Optional<User> user;
        try {
            // passwords turned off: only the break-glass administrator's is checked; the others take as long and fail alike
            if (web.config.sso().passwordAllowed(username)) {
                user = web.accounts.authenticate(username, password);
            } else {
                web.accounts.passwords().verifyDecoy(password);
                user = Optional.empty();
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        if (user.isEmpty()) {
            throttle.failed(username, address);
            showLogin(ctx, 401, form, web.msg.t("admin.login.failed"));
            return;
        }
        signIn(ctx, user.get(), form.get("dopo"));
    }

    /**
     * The one way a proven identity goes on, whatever proved it (the password form, the
     * identity provider): the second factor, when the account has or needs one, comes next.
     */
    void signIn(Context ctx, User user, String after) {
        web.clearCookie(ctx, AdminWeb.LOGIN_COOKIE);
        signIn.firstFactorPassed(ctx, user, next(after));
    }

    /** Only a page of this area, never another site or the login itself. */
    static String next(String path) {
        if (path == null || !NEXT.matcher(path).matches() || path.startsWith("/admin/log")) return null;
        return path;
    }

    private void logout(Visit v) {
        web.sessions.close(v.ctx().cookie(AdminWeb.SESSION_COOKIE));
        web.clearCookie(v.ctx(), AdminWeb.SESSION_COOKIE);
        users.recordAccess(v.actor(), "user.logout");
        AdminWeb.seeOther(v.ctx(), "/admin/login?esito=uscita");
    }

    private void passwordPage(Visit v, Form form, int status) {
        form.set("current", "").set("password", "").set("password_confirm", "");
        web.render(v.ctx(), status, "admin/password.jte", new AdminPages.PasswordPage(web.frame(v.ctx(), v, "password"), form));
    }

    private void changePassword(Visit v) {
        Optional<String> password = users.ownPassword(v.form(), v.user());
        if (password.isEmpty()) {
            passwordPage(v, v.form(), 422);
            return;
        }
        users.changeOwnPassword(v.actor(), v.user(), password.get(), v.session().idHash());
        AdminWeb.seeOther(v.ctx(), "/admin?esito=password");
    }
}
