package it.semaforo.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.account.Passkeys;
import it.semaforo.admin.AdminWeb.Visit;
import it.semaforo.render.SecurityHeaders;
import it.semaforo.text.JsonText;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passkeys over HTTP for static/passkey.js: the options of a registration or a sign-in (with
 * a fresh challenge, kept here for this session and used once), and the browser's answer,
 * checked by account.Passkeys. Answers are JSON: {"next": address} or {"error": sentence}.
 * The pages that offer passkeys run that one script from this host
 * (SecurityHeaders.CLERKS_WITH_OWN_SCRIPT); the rest of the area runs none.
 */
final class PasskeyRoutes {
    private static final Duration CHALLENGE_FOR = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final AdminWeb web;
    private final Passkeys passkeys;
    private final SecurityDesk desk;
    private final SignIn signIn;
    private final LoginThrottle throttle;
    private final UserDesk users;
    private final Clock clock;
    /** One open challenge per session and purpose; a challenge is taken (removed) when checked. */
    private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();

    private record Challenge(byte[] value, Instant until) {
    }

    PasskeyRoutes(AdminWeb web, Passkeys passkeys, SecurityDesk desk, SignIn signIn, LoginThrottle throttle, UserDesk users,
                  Clock clock) {
        this.web = web;
        this.passkeys = passkeys;
        this.desk = desk;
        this.signIn = signIn;
        this.throttle = throttle;
        this.users = users;
        this.clock = clock;
    }

    void routes(RoutesConfig r) {
        r.post("/admin/sicurezza/passkey/opzioni", web.action(Role.EDITOR, this::creationOptions));
        r.post("/admin/sicurezza/passkey", web.action(Role.EDITOR, this::register));
        r.post("/admin/sicurezza/passkey/{id}/rimuovi", web.action(Role.EDITOR, this::remove));
        var second = EnumSet.of(Sessions.Stage.SECOND_FACTOR);
        r.post("/admin/verifica/passkey/opzioni", web.halfway(second, true, this::requestOptions));
        r.post("/admin/verifica/passkey", web.halfway(second, true, this::verify));
    }

    /** A page offering passkeys may run the passkey script from this host. */
    static void allowOwnScript(Context ctx) {
        ctx.header("Content-Security-Policy", SecurityHeaders.CLERKS_WITH_OWN_SCRIPT);
    }

    private byte[] newChallenge(Visit v, String purpose) {
        Instant now = clock.instant();
        challenges.values().removeIf(c -> c.until().isBefore(now));
        byte[] value = new byte[32];
        RANDOM.nextBytes(value);
        challenges.put(v.session().idHash() + ":" + purpose, new Challenge(value, now.plus(CHALLENGE_FOR)));
        return value;
    }

    private Optional<byte[]> takeChallenge(Visit v, String purpose) {
        Challenge c = challenges.remove(v.session().idHash() + ":" + purpose);
        return c == null || c.until().isBefore(clock.instant()) ? Optional.empty() : Optional.of(c.value());
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(JsonText.write(body));
    }

    private void answer(Context ctx, int status, String key, String value) {
        ObjectNode o = JsonText.MAPPER.createObjectNode();
        o.put(key, value);
        json(ctx, status, o);
    }

    private ArrayNode credentials(long userId) {
        ArrayNode list = JsonText.MAPPER.createArrayNode();
        for (String id : passkeys.credentialIds(userId)) list.addObject().put("type", "public-key").put("id", id);
        return list;
    }

    // ---- registration ----------------------------------------------------------------------

    private void creationOptions(Visit v) {
        Passkeys.RelyingParty rp = passkeys.relyingParty();
        ObjectNode o = JsonText.MAPPER.createObjectNode();
        o.putObject("rp").put("id", rp.id()).put("name", rp.name());
        o.putObject("user").put("id", Passkeys.userHandle(v.user().id())).put("name", v.user().username())
                .put("displayName", v.user().displayName());
        o.put("challenge", B64URL.encodeToString(newChallenge(v, "create")));
        ArrayNode algorithms = o.putArray("pubKeyCredParams");
        for (int alg : new int[]{-7, -8, -257}) algorithms.addObject().put("type", "public-key").put("alg", alg);
        o.put("timeout", CHALLENGE_FOR.toMillis());
        o.set("excludeCredentials", credentials(v.user().id()));
        o.putObject("authenticatorSelection").put("residentKey", "preferred").put("userVerification", "preferred");
        o.put("attestation", "none");
        json(v.ctx(), 200, o);
    }

    private void register(Visit v) {
        String name = NoticeForms.oneLine(v.form().text("name"));
        if (name.isEmpty() || NoticeForms.length(name) > 100) {
            answer(v.ctx(), 422, "error", web.msg.t("admin.passkey.error.name"));
            return;
        }
        Optional<byte[]> challenge = takeChallenge(v, "create");
        Optional<Passkeys.Registered> registered = challenge.flatMap(c -> passkeys.verifyRegistration(v.form().get("credential"), c));
        if (registered.isEmpty()) {
            answer(v.ctx(), 422, "error", web.msg.t("admin.passkey.error.registration"));
            return;
        }
        if (!desk.addPasskey(v.actor(), v.user(), name, registered.get(), v.session().idHash())) {
            answer(v.ctx(), 409, "error", web.msg.t("admin.passkey.error.known"));
            return;
        }
        answer(v.ctx(), 201, "next", "/admin/sicurezza?esito=passkey");
    }

    private void remove(Visit v) {
        desk.removePasskey(v.actor(), v.user(), web.id(v.ctx(), "id"), v.session().idHash());
        AdminWeb.seeOther(v.ctx(), "/admin/sicurezza?esito=passkey-rimossa");
    }

    // ---- the second step ---------------------------------------------------------------------

    private void requestOptions(Visit v) {
        ObjectNode o = JsonText.MAPPER.createObjectNode();
        o.put("challenge", B64URL.encodeToString(newChallenge(v, "get")));
        o.put("rpId", passkeys.relyingParty().id());
        o.set("allowCredentials", credentials(v.user().id()));
        o.put("userVerification", "preferred");
        o.put("timeout", CHALLENGE_FOR.toMillis());
        json(v.ctx(), 200, o);
    }

    private void verify(Visit v) {
        String username = v.user().username();
        String address = web.address(v.ctx());
        Optional<Duration> wait = throttle.waitFor(username, address);
        if (wait.isPresent()) {
            long minutes = Math.max(1, (wait.get().toSeconds() + 59) / 60);
            answer(v.ctx(), 429, "error", web.msg.t("admin.login.throttled", minutes));
            return;
        }
        Optional<byte[]> challenge = takeChallenge(v, "get");
        boolean ok = challenge.isPresent() && passkeys.verifyAuthentication(v.user().id(), v.form().get("credential"), challenge.get());
        if (!ok) {
            throttle.failed(username, address);
            answer(v.ctx(), 401, "error", web.msg.t("admin.passkey.error.sign.in"));
            return;
        }
        throttle.succeeded(username, address);
        signIn.signedIn(v.ctx(), v.user());
        users.recordAccess(v.actor(), "user.login.passkey");
        String next = AccessRoutes.next(v.form().get("dopo"));
        answer(v.ctx(), 200, "next", next != null ? next : "/admin?esito=accesso");
    }
}
