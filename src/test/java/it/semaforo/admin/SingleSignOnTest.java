package it.semaforo.admin;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.audit.AuditLog;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single sign-on against a real OpenID provider started in the test JVM
 * (no.nav.security:mock-oauth2-server): the authorization-code flow with PKCE, state and nonce,
 * the account made from the group claim or an invitation, and every refusal: a forged
 * signature, an expired token, a wrong audience, a replayed return, a wrong state, an identity
 * with no role here. Passwords are turned off, except the break-glass administrator's.
 */
class SingleSignOnTest {
    static final String ISSUER_ID = "comune";
    static final String CLIENT = "semaforo";
    /** The provider's token endpoint answers next with this forged ID token, when set. */
    static final Forgery forgery = new Forgery();
    static final MockOAuth2Server idp = startProvider();
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings(
            "oidc.issuer", idp.issuerUrl(ISSUER_ID).toString(), "oidc.client.id", CLIENT, "oidc.client.secret", "segreto-di-prova",
            "oidc.role.claim", "groups", "oidc.role.administrator", "semaforo-amministratori",
            "oidc.role.editor", "semaforo-redattori", "oidc.editor.email.domains", "uffici.comune.example", "admin.password.login", "false", "admin.break.glass.user", "emergenza"));
    static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * A route in front of the provider's own: the token endpoint's answer with a forged ID
     * token, once. Its state is its own (not this class's static fields): the provider's threads
     * must not wait for this class to finish initialising.
     */
    static final class Forgery implements Route {
        final AtomicReference<String> next = new AtomicReference<>();

        @Override
        public boolean match(OAuth2HttpRequest request) {
            return next.get() != null && request.getMethod().equals("POST") && request.getUrl().encodedPath().endsWith("/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            String token = next.getAndSet(null);
            return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 200,
                    "{\"token_type\":\"Bearer\",\"access_token\":\"x\",\"expires_in\":3600,\"id_token\":\"" + token + "\"}", null);
        }
    }

    static MockOAuth2Server startProvider() {
        MockOAuth2Server s = new MockOAuth2Server(forgery);
        s.start();
        // its first answer takes seconds on a busy machine (templates, keys): not what the tests measure
        try {
            for (var url : List.of(s.wellKnownUrl(ISSUER_ID), s.jwksUrl(ISSUER_ID))) {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        } catch (Exception e) {
            throw new IllegalStateException("the OpenID provider did not answer", e);
        }
        return s;
    }

    @BeforeAll
    static void accounts() {
        AdminTesting.user(server, "emergenza", Role.ADMINISTRATOR);
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
    }

    @AfterAll
    static void stop() {
        idp.shutdown();
    }

    static void identity(String subject, Map<String, Object> claims) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, JOSEObjectType.JWT.getType(), null, claims, 3600));
    }

    static Map<String, Object> anna() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("groups", List.of("dipendenti", "semaforo-redattori"));
        c.put("email", "anna.bianchi@comune.example");
        c.put("email_verified", true);
        c.put("name", "Anna Bianchi");
        c.put("preferred_username", "anna.bianchi@comune.example");
        return c;
    }

    /** A sign-in started on our login page and sent to the provider: the browser, the query of the provider's return, its nonce. */
    record Started(AdminClient clerk, String authorize, String returned) {
        String param(String url, String name) {
            for (String kv : URI.create(url).getRawQuery().split("&")) {
                if (kv.startsWith(name + "=")) return URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
            return null;
        }

        String nonce() {
            return param(authorize, "nonce");
        }
    }

    static Started start() throws Exception {
        AdminClient clerk = new AdminClient(server);
        assertTrue(clerk.get("/admin/login").doc().select("a[href^=/admin/login/oidc]").text().contains("account del Comune"));
        Page go = clerk.get("/admin/login/oidc?dopo=/admin/avvisi");
        assertEquals(303, go.status(), go.body());
        String authorize = go.location();
        assertTrue(authorize.startsWith(idp.authorizationEndpointUrl(ISSUER_ID).toString()), authorize);
        Started s = new Started(clerk, authorize, null);
        assertEquals("S256", s.param(authorize, "code_challenge_method"));
        assertTrue(s.param(authorize, "code_challenge").length() >= 43, "PKCE");
        assertTrue(s.param(authorize, "state").length() >= 20 && s.nonce().length() >= 20, "state and nonce");
        // the provider (non-interactive) sends the browser back with a code
        HttpResponse<String> back = browser.send(HttpRequest.newBuilder(URI.create(authorize)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, back.statusCode(), back.body());
        String location = back.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("http://127.0.0.1/admin/login/oidc/ritorno?"), location);
        return new Started(clerk, authorize, URI.create(location).getRawQuery());
    }

    static Page finish(Started s) {
        return s.clerk().get("/admin/login/oidc/ritorno?" + s.returned());
    }

    static boolean signedIn(AdminClient clerk) {
        return clerk.get("/admin").status() == 200;
    }

    @Test
    void anEditorOfTheGroupSignsInAndIsTheSameAccountNextTime() throws Exception {
        identity("anna-123", anna());
        Started s = start();
        Page done = finish(s);
        assertEquals(303, done.status(), done.body());
        assertEquals("/admin/avvisi", done.location(), "back where the clerk was going");
        assertTrue(signedIn(s.clerk()));
        User anna = server.app().admin().accounts().findByUsername("anna.bianchi").orElseThrow();
        assertEquals(Role.EDITOR, anna.role());
        assertEquals("Anna Bianchi", anna.displayName());
        assertTrue(done.response().headers().allValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith("semaforo_sessione=") && c.contains("HttpOnly")), "the same session as a password login");
        List<String> log = server.app().admin().audit().about("user", anna.id()).stream().map(AuditLog.Entry::action).toList();
        // made once, then signed in (other tests of this class sign anna in too)
        assertEquals(List.of("user.create", "user.login"), log.subList(0, 2));
        assertTrue(log.subList(2, log.size()).stream().allMatch("user.login"::equals), log.toString());

        // the next time: the same account, no new one
        identity("anna-123", anna());
        assertEquals(303, finish(start()).status());
        assertEquals(1, count(server, "SELECT count(*) FROM app_user WHERE username LIKE 'anna.bianchi%'"));
        Page review = signedInAsBreakGlass().get("/admin/abilitazioni");
        assertTrue(review.doc().select(".access-account").stream().filter(a -> a.text().contains("(anna.bianchi)"))
                .findFirst().orElseThrow().text().contains("accesso unico (OpenID Connect)"));
    }

    @Test
    void aRoleThatNeedsASecondFactorLeadsTheProvidersSignInToTheEnrolment() throws Exception {
        AdminClient admin = signedInAsBreakGlass();
        assertEquals(303, admin.post("/admin/secondo-fattore", Map.of("role_redattore", "on")).status());
        try {
            identity("anna-123", anna());
            Started s = start();
            Page done = finish(s);
            assertEquals(303, done.status(), done.body());
            assertEquals("/admin/sicurezza/totp", done.location(), "the enrolment first, as after a password");
            Page elsewhere = s.clerk().get("/admin/avvisi");
            assertEquals(303, elsewhere.status(), "nothing else before it");
            assertEquals("/admin/sicurezza/totp", elsewhere.location());
        } finally {
            assertEquals(303, admin.post("/admin/secondo-fattore", Map.of()).status());
        }
    }

    @Test
    void anAdministratorsInvitationGivesTheRoleAtTheFirstSignIn() throws Exception {
        AdminClient admin = signedInAsBreakGlass();
        Page bad = admin.post("/admin/inviti", Map.of("email", "non-una-email", "display_name", "", "role", "amministratore"));
        assertEquals(422, bad.status());
        assertEquals(0, count(server, "SELECT count(*) FROM oidc_invitation"));
        assertEquals(303, admin.post("/admin/inviti", Map.of("email", "Luca.Verdi@comune.example", "display_name", "Luca Verdi",
                "role", "amministratore")).status());
        assertTrue(admin.get("/admin/inviti").doc().text().contains("luca.verdi@comune.example"));

        Map<String, Object> luca = new LinkedHashMap<>(Map.of("email", "luca.verdi@comune.example", "email_verified", true,
                "name", "L. Verdi", "preferred_username", "lverdi"));   // no group: the invitation gives the role
        identity("luca-456", luca);
        assertEquals(303, finish(start()).status());
        User made = server.app().admin().accounts().findByUsername("lverdi").orElseThrow();
        assertEquals(Role.ADMINISTRATOR, made.role());
        assertEquals("Luca Verdi", made.displayName());
        assertEquals(1, count(server, "SELECT count(*) FROM oidc_invitation WHERE used_at IS NOT NULL"));
    }

    @Test
    void aVerifiedAddressInTheComunesDomainMakesAnEditorAndAnUnverifiedOneNothing() throws Exception {
        long users = count(server, "SELECT count(*) FROM app_user");
        identity("gino-321", Map.of("email", "gino.neri@uffici.comune.example", "email_verified", false,
                "preferred_username", "gneri"));
        Started unverified = start();
        assertEquals(403, finish(unverified).status(), "an address the provider has not verified gives no role");
        assertFalse(signedIn(unverified.clerk()));
        assertEquals(users, count(server, "SELECT count(*) FROM app_user"));

        identity("gino-321", Map.of("email", "gino.neri@uffici.comune.example", "email_verified", true,
                "name", "Gino Neri", "preferred_username", "gneri"));
        Started verified = start();
        Page done = finish(verified);
        assertEquals(303, done.status(), done.body());
        assertTrue(signedIn(verified.clerk()));
        assertEquals(Role.EDITOR, server.app().admin().accounts().findByUsername("gneri").orElseThrow().role());
    }

    @Test
    void anIdentityWithNoRoleHereIsRefusedAndNoAccountIsMade() throws Exception {
        long users = count(server, "SELECT count(*) FROM app_user");
        identity("ospite-789", Map.of("groups", List.of("dipendenti"), "email", "ospite@example.org", "email_verified", true));
        Started s = start();
        Page refused = finish(s);
        assertEquals(403, refused.status());
        assertTrue(refused.doc().text().contains("non è abilitato a Semaforo"), refused.doc().text());
        assertFalse(signedIn(s.clerk()));
        assertEquals(users, count(server, "SELECT count(*) FROM app_user"));
    }

    @Test
    void aForgedSignatureIsRefused() throws Exception {
        Started s = start();   // no callback queued: the forged answer replaces the provider's own
        // the same claims the provider would sign, signed with another key under the provider's key id
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(ISSUER_ID).generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(idp.issuerUrl(ISSUER_ID).toString()).subject("anna-123")
                .audience(CLIENT).issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                .claim("nonce", s.nonce()).claim("groups", List.of("semaforo-amministratori")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ISSUER_ID).build(), claims);
        jwt.sign(new RSASSASigner(attacker));
        forgery.next.set(jwt.serialize());
        Page refused = finish(s);
        assertEquals(401, refused.status(), refused.body());
        assertTrue(refused.doc().text().contains("non è valida"), refused.doc().text());
        assertFalse(signedIn(s.clerk()));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "anna-123", JOSEObjectType.JWT.getType(), null, anna(), -3600));
        Started s = start();
        assertEquals(401, finish(s).status());
        assertFalse(signedIn(s.clerk()));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>(anna());
        claims.put("aud", List.of("un-altro-servizio"));
        identity("anna-123", claims);
        Started s = start();
        assertEquals(401, finish(s).status());
        assertFalse(signedIn(s.clerk()));
    }

    @Test
    void aReplayedReturnIsRefused() throws Exception {
        identity("anna-123", anna());
        Started s = start();
        String pendingCookie = s.clerk().cookies.get(SsoRoutes.COOKIE);
        assertEquals(303, finish(s).status());
        // someone who copied the return address and the cookie plays them again
        AdminClient thief = new AdminClient(server);
        thief.cookies.put(SsoRoutes.COOKIE, pendingCookie);
        Page replayed = thief.get("/admin/login/oidc/ritorno?" + s.returned());
        assertEquals(400, replayed.status());
        assertTrue(replayed.doc().text().contains("già stata usata"), replayed.doc().text());
        assertFalse(signedIn(thief));
    }

    @Test
    void aReturnWithAnotherStateIsRefusedAndUsesUpTheSignIn() throws Exception {
        Started s = start();   // refused before any token request: no callback queued
        String tampered = s.returned().replaceAll("state=[^&]+", "state=uno-stato-diverso");
        Page refused = s.clerk().get("/admin/login/oidc/ritorno?" + tampered);
        assertEquals(400, refused.status());
        assertTrue(refused.doc().text().contains("non corrisponde"), refused.doc().text());
        assertFalse(signedIn(s.clerk()));
        assertEquals(400, finish(s).status(), "the sign-in is used up: the right state afterwards does not help");
    }

    @Test
    void withPasswordsOffOnlyTheBreakGlassAdministratorSignsInWithOne() {
        assertEquals(401, new AdminClient(server).login("mario.rossi", PASSWORD).status());
        assertEquals(303, new AdminClient(server).login("emergenza", PASSWORD).status());
    }

    static AdminClient signedInAsBreakGlass() {
        AdminClient c = new AdminClient(server);
        assertEquals(303, c.login("emergenza", PASSWORD).status());
        return c;
    }
}
