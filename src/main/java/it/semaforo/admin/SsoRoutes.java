package it.semaforo.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.admin.AdminWeb.Visit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Single sign-on's addresses: /admin/login/oidc sends the browser to the identity provider,
 * /admin/login/oidc/ritorno takes it back, and the session is opened by the same method as a
 * password login (AccessRoutes.signIn). The one-time values of a sign-in in progress are kept
 * here, under a random id in a cookie, for ten minutes and for one use: a replayed or forged
 * return finds nothing. /admin/inviti: administrators invite by e-mail address.
 */
final class SsoRoutes {
    private static final Logger log = LoggerFactory.getLogger(SsoRoutes.class);
    static final String COOKIE = "semaforo_oidc";
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9._%+'-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private final AdminWeb web;
    private final AccessRoutes access;
    private final SingleSignOn sso;
    private final Identities identities;
    private final Cache<String, SingleSignOn.Pending> pending = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(10_000).build();

    SsoRoutes(AdminWeb web, AccessRoutes access, SingleSignOn sso, Identities identities) {
        this.web = web;
        this.access = access;
        this.sso = sso;
        this.identities = identities;
    }

    void routes(RoutesConfig r) {
        r.get("/admin/login/oidc", this::start);
        r.get("/admin/login/oidc/ritorno", this::back);
        r.get("/admin/inviti", web.page(Role.ADMINISTRATOR, v -> page(v, Form.empty().set("role", Role.EDITOR.key()), 200)));
        r.post("/admin/inviti", web.action(Role.ADMINISTRATOR, this::invite));
    }

    private void start(Context ctx) {
        AdminWeb.securityHeaders(ctx);
        SingleSignOn.Pending p = new SingleSignOn.Pending(new State(), new Nonce(), new CodeVerifier(),
                AccessRoutes.next(ctx.queryParam("dopo")));
        java.net.URI to;
        try {
            to = sso.start(p);
        } catch (SingleSignOn.Failure f) {
            log.warn("single sign-on: {}", f.getMessage());
            web.problem(ctx, null, 503, web.msg.t(f.key));
            return;
        }
        String id = Sessions.randomToken();
        pending.put(id, p);
        web.setCookie(ctx, COOKIE, id, 600);
        ctx.redirect(to.toString(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void back(Context ctx) {
        AdminWeb.securityHeaders(ctx);
        String id = ctx.cookie(COOKIE);
        // one use, whatever happens next: the same return cannot be played twice
        SingleSignOn.Pending p = id == null ? null : pending.asMap().remove(id);
        web.clearCookie(ctx, COOKIE);
        if (p == null) {
            web.problem(ctx, null, 400, web.msg.t("admin.sso.error.expired"));
            return;
        }
        if (!AdminWeb.sameToken(ctx.queryParam("state"), p.state().getValue())) {
            log.warn("single sign-on: a return with a state that is not this browser's, from {}", web.address(ctx));
            web.problem(ctx, null, 400, web.msg.t("admin.sso.error.state"));
            return;
        }
        String error = ctx.queryParam("error");
        String code = ctx.queryParam("code");
        if (error != null || code == null || code.isBlank() || code.length() > 2048) {
            log.info("single sign-on: the provider answered {}", error == null ? "without a code" : AdminWeb.shorten(error));
            web.problem(ctx, null, 401, web.msg.t("admin.sso.error.refused"));
            return;
        }
        String address = web.address(ctx);
        User user;
        try {
            user = identities.signIn(sso.finish(p, code), address);
        } catch (SingleSignOn.Failure f) {
            log.warn("single sign-on refused from {}: {}", address, f.getMessage());
            web.problem(ctx, null, f.key.equals("admin.sso.error.provider") ? 503 : 401, web.msg.t(f.key));
            return;
        } catch (Identities.Refused r) {
            web.problem(ctx, null, 403, web.msg.t(r.key));
            return;
        }
        access.signIn(ctx, user, p.after());
    }

    // ---- invitations ------------------------------------------------------------------------

    private void page(Visit v, Form form, int status) {
        web.render(v.ctx(), status, "admin/invitations.jte", new AdminPages.Invitations(web.frame(v.ctx(), v, "users"),
                identities.open(), form, List.of(Role.values())));
    }

    private void invite(Visit v) {
        Form f = v.form();
        String email = f.text("email").strip().toLowerCase(Locale.ROOT);
        String name = NoticeForms.oneLine(f.text("display_name"));
        if (email.isEmpty()) f.reject("email", web.msg.t("admin.sso.invite.error.email.required"));
        else if (email.length() > 254 || !EMAIL.matcher(email).matches()) f.reject("email", web.msg.t("admin.sso.invite.error.email"));
        if (name.isEmpty()) f.reject("display_name", web.msg.t("admin.error.display.name.required"));
        else if (NoticeForms.length(name) > UserDesk.DISPLAY_NAME_MAX) {
            f.reject("display_name", web.msg.t("admin.error.name.long", UserDesk.DISPLAY_NAME_MAX));
        }
        java.util.Optional<Role> role = Role.fromKey(f.text("role"));
        if (role.isEmpty()) f.reject("role", web.msg.t("admin.error.role"));
        if (f.hasErrors()) {
            page(v, f, 422);
            return;
        }
        identities.invite(v.actor(), email, name, role.get());
        AdminWeb.seeOther(v.ctx(), "/admin/inviti?esito=invito");
    }
}
