package it.semaforo.admin;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.audit.AuditLog;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second factor over real HTTP: an administrator led to the enrolment at the next login and
 * kept there; the QR code read back with a QR decoder; codes computed here from the enrolled
 * secret (RFC 6238, see Totps) accepted once, and refused when reused, stale or wrong; recovery
 * codes single-use; guesses throttled with the passwords; the requirement per role; the pages
 * through the Nu HTML Checker. The server runs with the shipped default: administrators must
 * have a second factor.
 */
class SecondFactorTest {
    /** On a 30-second boundary, so that the tests know which step "now" is. */
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("proxy.trusted", "true",
            "admin.second.factor.roles", "amministratore", "admin.login.max.failures.account", "5",
            "admin.login.max.failures.address", "1000", "admin.login.window.minutes", "15"));

    @BeforeEach
    void resetClock() {
        clock.set(NOW);
    }

    private static int clients = 0;

    private static AdminClient client() {
        AdminClient c = new AdminClient(server);
        c.forwardedFor = "198.51.100." + (++clients % 250 + 1);
        return c;
    }

    /** The CSRF token of the page just fetched (halfway through signing in, /admin does not answer with one). */
    private static Page withCsrf(AdminClient c, Page p) {
        Element input = p.doc().selectFirst("input[name=csrf]");
        if (input != null) c.csrf = input.val();
        return p;
    }

    record Enrolled(String secret, List<String> codes) {
    }

    /** Through the enrolment page as a clerk would: read the key, type the app's code. */
    private static Enrolled enrol(AdminClient c) {
        Page page = withCsrf(c, c.get("/admin/sicurezza/totp"));
        assertEquals(200, page.status(), page.body());
        String secret = page.doc().getElementById("totp-secret").text();
        Page done = c.post("/admin/sicurezza/totp", Map.of("code", Totps.code(secret, clock.instant())));
        assertEquals(201, done.status(), done.body());
        List<String> codes = done.doc().select("#recovery-codes code").eachText();
        c.refreshCsrf();
        return new Enrolled(secret, codes);
    }

    private static AdminClient signedInWithFactor(String username, String secret) {
        AdminClient c = client();
        Page in = c.login(username, PASSWORD);
        assertEquals(303, in.status());
        assertTrue(in.location().startsWith("/admin/verifica"), in.location());
        withCsrf(c, c.get(in.location()));
        Page ok = c.post("/admin/verifica", Map.of("code", Totps.code(secret, clock.instant())));
        assertEquals(303, ok.status(), ok.body());
        c.refreshCsrf();
        return c;
    }

    private static String fieldError(Page p) {
        return p.fieldError("code");
    }

    @Test
    void theTestsOwnCodesAreRfc6238s() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082, of which an app shows the last six digits
        String rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";   // "12345678901234567890" in base32
        assertEquals("287082", Totps.code(rfcSecret, Instant.ofEpochSecond(59)));
        assertEquals("081804", Totps.code(rfcSecret, Instant.ofEpochSecond(1111111109)));
    }

    @Test
    void anAdministratorIsLedToTheEnrolmentAndCanDoNothingElseBefore() throws Exception {
        AdminTesting.user(server, "ada.amministra", Role.ADMINISTRATOR);
        AdminClient c = client();
        Page in = c.login("ada.amministra", PASSWORD);
        assertEquals(303, in.status());
        assertEquals("/admin/sicurezza/totp", in.location());
        for (String path : List.of("/admin", "/admin/avvisi/nuovo", "/admin/utenti", "/admin/sicurezza", "/admin/token", "/admin/verifica")) {
            Page p = c.get(path);
            assertEquals(303, p.status(), path);
            assertEquals("/admin/sicurezza/totp", p.location(), path);
        }
        Page page = withCsrf(c, c.get("/admin/sicurezza/totp"));
        assertEquals(200, page.status());
        assertTrue(page.doc().select("nav.site-nav").isEmpty(), "no menu: none of its pages would open");
        AdminHtmlValidityTest.assertValid("the enrolment a role requires", page.body());

        // every change is refused, whatever the form: nothing written
        long notices = count(server, "SELECT count(*) FROM notice");
        long users = count(server, "SELECT count(*) FROM app_user");
        Page avviso = c.post("/admin/avvisi", Map.of("title", "Chiamate questo numero", "kind", "disservizio",
                "summary", "x", "publish", "now", "action", "publish"));
        assertEquals(403, avviso.status());
        assertTrue(avviso.doc().selectFirst("main p").text().startsWith("Completa prima l'accesso con il secondo fattore"));
        assertEquals(403, c.post("/admin/utenti", Map.of("username", "intruso", "display_name", "Intruso",
                "role", "amministratore", "password", PASSWORD, "password_confirm", PASSWORD)).status());
        assertEquals(403, c.post("/admin/token", Map.of("name", "porta sul retro")).status());
        assertEquals(notices, count(server, "SELECT count(*) FROM notice"));
        assertEquals(users, count(server, "SELECT count(*) FROM app_user"));
        assertEquals(0, count(server, "SELECT count(*) FROM api_token"));

        // the QR code, read back by a QR decoder, holds the key shown for typing by hand
        String src = page.doc().selectFirst("img.qr-code").attr("src");
        assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, 40));
        var image = ImageIO.read(new ByteArrayInputStream(java.util.Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
        // the server draws a pure QR code: read it as one (the locating decoder alone missed one key in a few hundred)
        String uri = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE,
                        com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        URI otpauth = URI.create(uri);
        assertEquals("otpauth", otpauth.getScheme());
        assertEquals("totp", otpauth.getHost());
        Map<String, String> query = Arrays.stream(otpauth.getRawQuery().split("&")).map(kv -> kv.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
        String secret = page.doc().getElementById("totp-secret").text();
        assertEquals(secret.replace(" ", ""), query.get("secret"));
        assertEquals(32, query.get("secret").length(), "160 bits");
        assertEquals("6", query.get("digits"));
        assertEquals("30", query.get("period"));
        assertEquals("SHA1", query.get("algorithm"));
        assertTrue(URLDecoder.decode(otpauth.getRawPath(), StandardCharsets.UTF_8).endsWith("ada.amministra"), uri);
        assertEquals(secret.replace(" ", ""), server.app().admin().factors().pendingSecret(
                server.app().admin().accounts().findByUsername("ada.amministra").orElseThrow().id()).orElseThrow());

        // bad codes: a clear message by the field, still halfway, nothing enrolled
        String right = Totps.code(secret, clock.instant());
        String wrong = right.equals("000000") ? "000001" : "000000";
        for (String[] bad : new String[][]{{"", "Inserisci il codice."}, {"abc123", "Il codice è di 6 cifre"},
                {wrong, "Il codice non corrisponde"}, {Totps.code(secret, clock.instant().minusSeconds(120)), "Il codice non corrisponde"}}) {
            Page refused = c.post("/admin/sicurezza/totp", Map.of("code", bad[0]));
            assertEquals(422, refused.status(), bad[0]);
            assertTrue(fieldError(refused).startsWith(bad[1]), bad[0] + ": " + fieldError(refused));
            assertEquals("", refused.value("code"), "a code is never sent back");
        }
        assertEquals(0, count(server, "SELECT count(*) FROM totp_factor WHERE secret IS NOT NULL"
                + " AND user_id = (SELECT id FROM app_user WHERE username = 'ada.amministra')"));
        assertEquals(303, c.get("/admin").status());

        String halfwayCookie = c.cookies.get("semaforo_sessione");
        Page done = c.post("/admin/sicurezza/totp", Map.of("code", right));
        assertEquals(201, done.status(), done.body());
        AdminHtmlValidityTest.assertValid("the recovery codes", done.body());
        List<String> codes = done.doc().select("#recovery-codes code").eachText();
        assertEquals(10, codes.size());
        assertEquals(10, new HashSet<>(codes).size());
        codes.forEach(code -> assertTrue(code.matches("[a-z2-9]{4}(-[a-z2-9]{4}){3}"), code));
        assertNotEquals(halfwayCookie, c.cookies.get("semaforo_sessione"), "a new session id once signed in");
        assertEquals(200, c.get("/admin").status(), "signed in now");
        long id = server.app().admin().accounts().findByUsername("ada.amministra").orElseThrow().id();
        assertEquals(10, count(server, "SELECT count(*) FROM recovery_code WHERE user_id = ? AND used_at IS NULL", id));
        for (String code : codes) {
            assertEquals(0, count(server, "SELECT count(*) FROM recovery_code WHERE code_hash IN (?, ?)",
                    code, code.replace("-", "")), "only hashes are stored");
        }
        assertEquals(List.of("user.factor.enrol", "user.login"), server.app().admin().audit().page(1, 50).stream()
                .filter(e -> "ada.amministra".equals(e.username())).map(AuditLog.Entry::action).limit(2).toList());

        // an editor is not required to have one, and signs in with the password alone
        AdminTesting.user(server, "edo.redattore", Role.EDITOR);
        assertEquals("/admin?esito=accesso", client().login("edo.redattore", PASSWORD).location());
    }

    @Test
    void aCodeIsAcceptedOnceAndNeitherAStaleNorAWrongOne() {
        AdminTesting.user(server, "carla.codici", Role.EDITOR);
        AdminClient first = client();
        first.login("carla.codici", PASSWORD);
        Enrolled e = enrol(first);   // spends the code of NOW's step
        long enrolledStep = Totps.step(clock.instant());

        long logins = count(server, "SELECT count(*) FROM audit_log WHERE username = 'carla.codici' AND action = 'user.login'");
        AdminClient c = client();
        Page in = c.login("carla.codici", PASSWORD + "x");
        assertEquals(401, in.status(), "a wrong password never reaches the second step");
        in = c.login("carla.codici", PASSWORD);
        assertEquals("/admin/verifica", in.location(), "a user who has a factor gives it, required or not");
        assertEquals("/admin/verifica", c.get("/admin/avvisi").location());
        Page form = withCsrf(c, c.get("/admin/verifica"));
        assertEquals(200, form.status());
        AdminHtmlValidityTest.assertValid("the second step", form.body());

        Page reused = c.post("/admin/verifica", Map.of("code", Totps.code(e.secret(), enrolledStep)));
        assertEquals(401, reused.status(), "the code spent at enrolment");
        assertTrue(fieldError(reused).startsWith("Codice non valido, scaduto o già usato"), fieldError(reused));

        clock.advance(Duration.ofSeconds(90));   // three steps on
        long now = Totps.step(clock.instant());
        assertEquals(401, c.post("/admin/verifica", Map.of("code", Totps.code(e.secret(), now - 2))).status(), "a minute old");
        String right = Totps.code(e.secret(), now);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 500_000) % 1_000_000);
        assertEquals(401, c.post("/admin/verifica", Map.of("code", wrong)).status());
        assertEquals(303, c.get("/admin").status(), "still halfway");
        assertEquals(logins, count(server, "SELECT count(*) FROM audit_log WHERE username = 'carla.codici' AND action = 'user.login'"),
                "no login recorded before the second step");

        Page ok = c.post("/admin/verifica", Map.of("code", right.substring(0, 3) + " " + right.substring(3)));
        assertEquals(303, ok.status(), "as an app shows it, with a blank");
        assertEquals("/admin?esito=accesso", ok.location());
        assertEquals(200, c.get("/admin").status());

        // the same code from another browser, a moment later: refused; the next step's is fine, after which this one is spent too
        AdminClient thief = client();
        thief.login("carla.codici", PASSWORD);
        withCsrf(thief, thief.get("/admin/verifica"));
        assertEquals(401, thief.post("/admin/verifica", Map.of("code", right)).status());
        assertEquals(303, thief.post("/admin/verifica", Map.of("code", Totps.code(e.secret(), now + 1))).status(),
                "a phone a little ahead");
        AdminClient third = client();
        third.login("carla.codici", PASSWORD);
        withCsrf(third, third.get("/admin/verifica"));
        assertEquals(401, third.post("/admin/verifica", Map.of("code", right)).status(), "older than the last used");
    }

    @Test
    void recoveryCodesWorkOnceEach() {
        AdminTesting.user(server, "rita.recupero", Role.EDITOR);
        AdminClient first = client();
        first.login("rita.recupero", PASSWORD);
        Enrolled e = enrol(first);

        AdminClient c = client();
        c.login("rita.recupero", PASSWORD);
        withCsrf(c, c.get("/admin/verifica"));
        Page ok = c.post("/admin/verifica", Map.of("code", " " + e.codes().get(0).toUpperCase().replace("-", " ") + " "));
        assertEquals(303, ok.status(), ok.body());
        assertEquals("/admin/sicurezza?esito=recupero", ok.location());
        Page security = c.follow(ok);
        assertEquals("9 codici di recupero rimasti.", security.doc().getElementById("recovery-left").text());

        AdminClient again = client();
        again.login("rita.recupero", PASSWORD);
        withCsrf(again, again.get("/admin/verifica"));
        Page spent = again.post("/admin/verifica", Map.of("code", e.codes().get(0)));
        assertEquals(401, spent.status());
        assertEquals("Codice di recupero non valido o già usato.", fieldError(spent));
        assertEquals(401, again.post("/admin/verifica", Map.of("code", "abcd-efgh-jkmn-pqrs")).status(), "never issued");
        assertEquals(303, again.post("/admin/verifica", Map.of("code", e.codes().get(1))).status());
        again.refreshCsrf();   // a new session, with its own token
        long id = server.app().admin().accounts().findByUsername("rita.recupero").orElseThrow().id();
        assertEquals(2, count(server, "SELECT count(*) FROM recovery_code WHERE user_id = ? AND used_at IS NOT NULL", id));
        assertEquals(List.of("user.login.recovery", "user.login.recovery"), server.app().admin().audit().page(1, 50).stream()
                .filter(x -> "rita.recupero".equals(x.username())).map(AuditLog.Entry::action).limit(2).toList());

        // new codes (the password first): the old ones stop working; a wrong password changes nothing
        Page refused = again.post("/admin/sicurezza/codici", Map.of("current", "non è questa"));
        assertEquals(422, refused.status());
        assertEquals(8, count(server, "SELECT count(*) FROM recovery_code WHERE user_id = ? AND used_at IS NULL", id));
        Page fresh = again.post("/admin/sicurezza/codici", Map.of("current", PASSWORD));
        assertEquals(201, fresh.status());
        assertEquals(10, fresh.doc().select("#recovery-codes code").size());
        AdminClient late = client();
        late.login("rita.recupero", PASSWORD);
        withCsrf(late, late.get("/admin/verifica"));
        assertEquals(401, late.post("/admin/verifica", Map.of("code", e.codes().get(2))).status(), "replaced");
        assertEquals(303, late.post("/admin/verifica", Map.of("code", fresh.doc().select("#recovery-codes code").get(0).text())).status());
    }

    @Test
    void guessesAreThrottledWithThePasswords() {
        AdminTesting.user(server, "gino.indovina", Role.EDITOR);
        AdminClient first = client();
        first.login("gino.indovina", PASSWORD);
        Enrolled e = enrol(first);
        clock.advance(Duration.ofSeconds(30));
        String right = Totps.code(e.secret(), clock.instant());
        String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);

        AdminClient c = client();
        c.login("gino.indovina", PASSWORD);
        withCsrf(c, c.get("/admin/verifica"));
        for (int i = 0; i < 3; i++) assertEquals(401, c.post("/admin/verifica", Map.of("code", wrong)).status());
        // the right password again does not forgive the wrong codes
        AdminClient d = client();
        assertEquals("/admin/verifica", d.login("gino.indovina", PASSWORD).location());
        withCsrf(d, d.get("/admin/verifica"));
        for (int i = 0; i < 2; i++) assertEquals(401, d.post("/admin/verifica", Map.of("code", wrong)).status());
        Page blocked = d.post("/admin/verifica", Map.of("code", right));
        assertEquals(429, blocked.status());
        assertTrue(blocked.response().headers().firstValue("Retry-After").isPresent());
        assertTrue(blocked.doc().selectFirst(".alert-danger").text().startsWith("Troppi tentativi di accesso non riusciti"));
        assertEquals(429, client().login("gino.indovina", PASSWORD).status(), "nor the password, meanwhile");

        clock.advance(Duration.ofMinutes(16));
        AdminClient later = client();
        assertEquals("/admin/verifica", later.login("gino.indovina", PASSWORD).location());
        withCsrf(later, later.get("/admin/verifica"));
        assertEquals(303, later.post("/admin/verifica", Map.of("code", Totps.code(e.secret(), clock.instant()))).status());
    }

    @Test
    void aHalfwaySessionEndsAfterTenMinutes() {
        AdminTesting.user(server, "lia.lenta", Role.EDITOR);
        AdminClient first = client();
        first.login("lia.lenta", PASSWORD);
        Enrolled e = enrol(first);
        AdminClient c = client();
        c.login("lia.lenta", PASSWORD);
        withCsrf(c, c.get("/admin/verifica"));
        clock.advance(Duration.ofMinutes(10));
        Page late = c.post("/admin/verifica", Map.of("code", Totps.code(e.secret(), clock.instant())));
        assertEquals(401, late.status());
        assertEquals(303, c.get("/admin").status());
        assertTrue(c.get("/admin").location().startsWith("/admin/login"));
    }

    @Test
    void aFactorChangeEndsTheOtherSessionsAndAnOptionalFactorCanBeTurnedOff() {
        AdminTesting.user(server, "fabio.fattore", Role.EDITOR);
        AdminClient a = client();
        a.login("fabio.fattore", PASSWORD);
        AdminClient b = client();
        b.login("fabio.fattore", PASSWORD);
        assertEquals(200, b.get("/admin").status());
        Enrolled e = enrol(a);
        assertEquals(200, a.get("/admin").status(), "the browser that enrolled stays in");
        assertTrue(b.get("/admin").location().startsWith("/admin/login"), "the other one is out");

        clock.advance(Duration.ofSeconds(30));
        AdminClient c = signedInWithFactor("fabio.fattore", e.secret());
        Page wrong = a.post("/admin/sicurezza/totp/rimuovi", Map.of("current", "sbagliata"));
        assertEquals(422, wrong.status());
        assertEquals("La password attuale non è corretta.", wrong.fieldError("current"));
        assertEquals(200, c.get("/admin").status(), "a refused change ends nothing");
        Page off = a.post("/admin/sicurezza/totp/rimuovi", Map.of("current", PASSWORD));
        assertEquals(303, off.status(), off.body());
        assertTrue(c.get("/admin").location().startsWith("/admin/login"));
        assertEquals("/admin?esito=accesso", client().login("fabio.fattore", PASSWORD).location(), "the password alone again");
        long id = server.app().admin().accounts().findByUsername("fabio.fattore").orElseThrow().id();
        assertEquals(0, count(server, "SELECT count(*) FROM recovery_code WHERE user_id = ?", id));
        assertEquals(409, a.post("/admin/sicurezza/totp/rimuovi", Map.of("current", PASSWORD)).status(), "nothing left to turn off");
    }

    @Test
    void administratorsChooseWhichRolesNeedASecondFactorAndResetALostOne() {
        AdminTesting.user(server, "piero.politica", Role.ADMINISTRATOR);
        AdminTesting.user(server, "nina.nuova", Role.EDITOR);
        AdminClient admin = client();
        admin.login("piero.politica", PASSWORD);
        enrol(admin);
        try {
            Page form = admin.get("/admin/secondo-fattore");
            assertEquals(200, form.status());
            assertTrue(form.doc().getElementById("f-role_amministratore").hasAttr("checked"), "the shipped default");
            assertFalse(form.doc().getElementById("f-role_redattore").hasAttr("checked"));
            Page saved = admin.post("/admin/secondo-fattore", Map.of("role_amministratore", "on", "role_redattore", "on"));
            assertEquals(303, saved.status());
            assertEquals("factor.policy", server.app().admin().audit().page(1, 1).get(0).action());

            AdminClient nina = client();
            assertEquals("/admin/sicurezza/totp", nina.login("nina.nuova", PASSWORD).location(), "led to the enrolment now");
            Page editorTries = nina.postRaw("/admin/secondo-fattore", Map.of("csrf", "x"));
            assertEquals(403, editorTries.status());
            Enrolled e = enrol(nina);
            assertEquals(200, nina.get("/admin").status());
            assertEquals(403, nina.post("/admin/secondo-fattore", Map.of()).status(), "an editor may not choose");

            // a lost phone: an administrator resets it; the editor is out everywhere and enrols again
            long id = server.app().admin().accounts().findByUsername("nina.nuova").orElseThrow().id();
            Page view = admin.get("/admin/utenti/" + id + "/sicurezza");
            assertEquals(200, view.status());
            assertEquals(1, view.doc().select(".session-row").size());
            assertEquals(303, admin.post("/admin/utenti/" + id + "/fattore/azzera", Map.of()).status());
            assertTrue(nina.get("/admin").location().startsWith("/admin/login"));
            assertEquals(0, count(server, "SELECT count(*) FROM totp_factor WHERE user_id = ?", id));
            assertEquals(409, admin.post("/admin/utenti/" + id + "/fattore/azzera", Map.of()).status(), "nothing left to reset");
            assertEquals("/admin/sicurezza/totp", client().login("nina.nuova", PASSWORD).location());
            assertNotNull(e);
        } finally {
            assertEquals(303, admin.post("/admin/secondo-fattore", Map.of("role_amministratore", "on")).status());
        }
        AdminClient nina = client();
        assertEquals("/admin?esito=accesso", nina.login("nina.nuova", PASSWORD).location(), "no longer required");
    }

    @Test
    void aSessionHalfwayCanOnlyGiveUp() {
        AdminTesting.user(server, "tina.token", Role.ADMINISTRATOR);
        AdminClient c = client();
        c.login("tina.token", PASSWORD);
        withCsrf(c, c.get("/admin/sicurezza/totp"));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("role_amministratore", "");
        assertEquals(403, c.post("/admin/secondo-fattore", fields).status(), "turning the requirement off from halfway");
        assertEquals(403, c.post("/admin/sicurezza/codici", Map.of("current", PASSWORD)).status());
        assertTrue(server.app().admin().factors().required("amministratore"));
        Page out = c.post("/admin/logout", Map.of());
        assertEquals(303, out.status(), "one can always give up");
        assertTrue(c.get("/admin").location().startsWith("/admin/login"));
    }
}
