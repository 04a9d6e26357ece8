package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.account.Passkeys;
import it.semaforo.account.SecondFactors;
import it.semaforo.account.Totp;
import it.semaforo.admin.AdminWeb.Visit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;

/**
 * What follows the first factor, whatever it was (the password form today; an identity
 * provider's login calls {@link #firstFactorPassed} the same way): a user with a second factor
 * gives it on /admin/verifica; a user whose role requires one and who has none is led to the
 * enrolment and can do nothing else before; anyone else is signed in. Second-factor guesses
 * count in the login throttle like wrong passwords, under the same account and address.
 */
final class SignIn {
    private final AdminWeb web;
    private final LoginThrottle throttle;
    private final UserDesk users;
    private final SecondFactors factors;
    private final Passkeys passkeys;

    SignIn(AdminWeb web, LoginThrottle throttle, UserDesk users, SecondFactors factors, Passkeys passkeys) {
        this.web = web;
        this.throttle = throttle;
        this.users = users;
        this.factors = factors;
        this.passkeys = passkeys;
    }

    void routes(RoutesConfig r) {
        var second = EnumSet.of(Sessions.Stage.SECOND_FACTOR);
        r.get("/admin/verifica", web.halfway(second, false, v -> page(v, Form.empty(), null, 200)));
        r.post("/admin/verifica", web.halfway(second, true, this::verify));
    }

    /**
     * The user proved who they are with a first factor: opens a session at the stage the
     * account needs (a new id every time: one planted in the browser before is worth nothing
     * after) and sends the browser on. next is a checked page of this area, or null.
     */
    void firstFactorPassed(Context ctx, User user, String next) {
        String address = web.address(ctx);
        Sessions.Stage stage = factors.status(user.id()).any() ? Sessions.Stage.SECOND_FACTOR
                : factors.required(user.role().key()) ? Sessions.Stage.ENROL : Sessions.Stage.SIGNED_IN;
        // with a second step to come, the account's failures are not forgiven yet: a known
        // password must not reset the count of wrong codes
        if (stage != Sessions.Stage.SECOND_FACTOR) throttle.succeeded(user.username(), address);
        open(ctx, user, stage);
        switch (stage) {
            case SIGNED_IN -> {
                users.recordAccess(user.actor(address), "user.login");
                AdminWeb.seeOther(ctx, next != null ? next : "/admin?esito=accesso");
            }
            case SECOND_FACTOR -> AdminWeb.seeOther(ctx, "/admin/verifica"
                    + (next != null ? "?dopo=" + URLEncoder.encode(next, StandardCharsets.UTF_8) : ""));
            case ENROL -> {
                users.recordAccess(user.actor(address), "user.login");
                AdminWeb.seeOther(ctx, AdminWeb.stepOf(stage));
            }
        }
    }

    /** The second step done (a code given, or a factor enrolled): a signed-in session replaces the halfway one. */
    void signedIn(Context ctx, User user) {
        open(ctx, user, Sessions.Stage.SIGNED_IN);
    }

    private void open(Context ctx, User user, Sessions.Stage stage) {
        Sessions.Opened opened = web.sessions.open(user.id(), ctx.cookie(AdminWeb.SESSION_COOKIE), stage,
                Sessions.browser(ctx.userAgent()), Sessions.addressPrefix(web.address(ctx)));
        web.setCookie(ctx, AdminWeb.SESSION_COOKIE, opened.cookieValue(), null);
    }

    private void verify(Visit v) {
        Form f = v.form();
        String next = AccessRoutes.next(f.get("dopo"));
        String username = v.user().username();
        String address = web.address(v.ctx());
        Optional<Duration> wait = throttle.waitFor(username, address);
        if (wait.isPresent()) {
            long minutes = Math.max(1, (wait.get().toSeconds() + 59) / 60);
            v.ctx().header("Retry-After", String.valueOf(Math.max(1, wait.get().toSeconds())));
            page(v, f, web.msg.t("admin.login.throttled", minutes), 429);
            return;
        }
        String code = f.text("code");
        if (code.isEmpty()) {
            f.reject("code", web.msg.t("admin.second.error.required"));
            page(v, f, null, 422);
            return;
        }
        boolean recovery = !Totp.looksLikeCode(code);
        boolean ok = recovery ? factors.useRecoveryCode(v.user().id(), code) : factors.verifyCode(v.user().id(), code);
        if (!ok) {
            throttle.failed(username, address);
            f.reject("code", web.msg.t(recovery ? "admin.second.error.recovery" : "admin.second.error.code"));
            page(v, f, null, 401);
            return;
        }
        throttle.succeeded(username, address);
        signedIn(v.ctx(), v.user());
        users.recordAccess(v.actor(), recovery ? "user.login.recovery" : "user.login");
        if (recovery) {
            // one code fewer: the clerk is shown how many are left, and how to make new ones
            AdminWeb.seeOther(v.ctx(), "/admin/sicurezza?esito=recupero");
            return;
        }
        AdminWeb.seeOther(v.ctx(), next != null ? next : "/admin?esito=accesso");
    }

    private void page(Visit v, Form form, String message, int status) {
        String next = AccessRoutes.next(v.ctx().queryParam("dopo"));
        if (next == null) next = AccessRoutes.next(form.get("dopo"));
        form.set("code", "");   // a code is never sent back
        boolean withPasskeys = !passkeys.credentialIds(v.user().id()).isEmpty();
        web.render(v.ctx(), status, "admin/verify.jte", new SecurityPages.Verify(web.frame(v.ctx(), v, "login"), form,
                message, next == null ? "" : next, withPasskeys));
        if (withPasskeys) PasskeyRoutes.allowOwnScript(v.ctx());
    }
}
