package it.semaforo.admin;

import it.semaforo.testing.Browser;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.Scratch;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passkeys in the real headless Chromium, with WebDriver's virtual authenticator (CTAP2, a
 * platform authenticator with user verification): registered from /admin/sicurezza, used as
 * the second step of the next sign-in; refused when the authenticator has none of the user's
 * credentials, when another user's real credential answers, and when a forged answer is posted.
 * The page loads static/passkey.js from this host under the clerks' CSP (script-src 'self'
 * on these pages only). WebAuthn needs a host name, not an address, as relying party: the
 * server's public address is http://localhost on a port chosen before it starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PasskeyBrowserTest {
    static final int PORT = Scratch.freePort();
    static final String BASE = "http://localhost:" + PORT;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("port", String.valueOf(PORT), "base.url", BASE));
    static Browser browser;
    static VirtualAuthenticator authenticator;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "paola.passkey", Role.EDITOR);
        AdminTesting.user(server, "bruno.altro", Role.EDITOR);
        browser = Browser.start("it-IT,it");
        authenticator = ((HasVirtualAuthenticator) browser.driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    private static void signIn(String username) {
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(BASE + "/admin/login");
        browser.driver.findElement(By.id("f-username")).sendKeys(username);
        browser.driver.findElement(By.id("f-password")).sendKeys(AdminTesting.PASSWORD);
        browser.driver.findElement(By.id("f-password")).sendKeys(Keys.ENTER);
    }

    private static void waitForText(By what, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (browser.driver.findElements(what).isEmpty() || !browser.driver.findElement(what).getText().contains(text)) {
            if (System.nanoTime() > deadline) throw new AssertionError("never shown: " + text + " in " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void register(String name) {
        browser.driver.get(BASE + "/admin/sicurezza");
        browser.driver.findElement(By.id("f-passkey-name")).sendKeys(name);
        browser.driver.findElement(By.id("passkey-add")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin/sicurezza\\?esito=passkey$");
    }

    @Test
    @Order(1)
    void registerSignInAndRefuseWhatIsNotTheUsers() {
        signIn("paola.passkey");
        browser.waitForUrl("/admin\\?esito=accesso$");
        browser.driver.get(BASE + "/admin/sicurezza");
        assertTrue(browser.driver.findElement(By.id("passkey-add")).isDisplayed(), "the script from this host ran under the CSP");
        AdminAccessibility.assertNoViolations(browser, "/admin/sicurezza with the passkey form");
        register("PC dell'ufficio");
        assertEquals(1, authenticator.getCredentials().size());
        assertTrue(browser.driver.findElement(By.id("passkeys")).getText().contains("PC dell'ufficio"));
        long paola = server.app().admin().accounts().findByUsername("paola.passkey").orElseThrow().id();
        assertEquals(1, count(server, "SELECT count(*) FROM passkey WHERE user_id = ?", paola));
        AdminAccessibility.assertNoViolations(browser, "/admin/sicurezza with a passkey");

        // the next sign-in asks for the second step, and the passkey gives it
        signIn("paola.passkey");
        browser.waitForUrl("/admin/verifica$");
        AdminAccessibility.assertNoViolations(browser, "/admin/verifica with a passkey");
        browser.driver.findElement(By.id("passkey-use")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin\\?esito=accesso$");
        assertEquals("user.login.passkey", server.app().admin().audit().page(1, 1).get(0).action());
        assertEquals(1, count(server, "SELECT count(*) FROM passkey WHERE user_id = ? AND last_used_at IS NOT NULL", paola));

        // bruno registers his own; then, halfway through his sign-in, paola's real credential answers: refused
        signIn("bruno.altro");
        browser.waitForUrl("/admin\\?esito=accesso$");
        register("Portatile");
        assertEquals(2, authenticator.getCredentials().size());
        byte[] paolasId = authenticator.getCredentials().stream().map(c -> c.getId()).filter(id -> {
                    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
                    return count(server, "SELECT count(*) FROM passkey WHERE credential_id = ? AND user_id = ?", b64, paola) == 1;
                }).findFirst().orElseThrow();
        signIn("bruno.altro");
        browser.waitForUrl("/admin/verifica$");
        Object status = browser.driver.executeAsyncScript("""
                const id = arguments[0], done = arguments[arguments.length - 1];
                const csrf = document.querySelector('#passkey-form input[name=csrf]').value;
                const post = (u, f) => fetch(u, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: new URLSearchParams(f)});
                (async () => {
                  const options = await (await post('/admin/verifica/passkey/opzioni', {csrf})).json();
                  options.allowCredentials = [{type: 'public-key', id}];
                  const c = await navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)});
                  const r = await post('/admin/verifica/passkey', {csrf, credential: JSON.stringify(c.toJSON())});
                  done(r.status + ' ' + (await r.text()));
                })().catch(e => done('browser: ' + e));
                """, Base64.getUrlEncoder().withoutPadding().encodeToString(paolasId));
        assertTrue(String.valueOf(status).startsWith("401 "), "another user's passkey: " + status);
        assertTrue(String.valueOf(status).contains("Passkey non riconosciuta"), String.valueOf(status));
        browser.driver.get(BASE + "/admin");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/verifica"), "still halfway: " + browser.driver.getCurrentUrl());

        // an authenticator with none of bruno's credentials: the browser finds none, the page says so, still halfway
        authenticator.removeAllCredentials();
        browser.driver.findElement(By.id("passkey-use")).sendKeys(Keys.ENTER);
        waitForText(By.id("passkey-status"), "Il browser non ha creato né usato la passkey");
        browser.driver.get(BASE + "/admin");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/verifica"));
        AdminAccessibility.assertNoViolations(browser, "/admin/verifica after a refused passkey");
    }

    @Test
    @Order(2)
    void aForgedOrUnknownAnswerIsRefusedOverHttp() {
        long id = server.app().admin().accounts().findByUsername("bruno.altro").orElseThrow().id();
        // bruno has a passkey from the other test or not: give him one row so that the second step is asked
        if (count(server, "SELECT count(*) FROM passkey WHERE user_id = ?", id) == 0) {
            server.app().database().write(c -> {
                try (var ps = c.prepareStatement("INSERT INTO passkey(user_id, credential_id, credential, name, created_at)"
                        + " VALUES (?, 'AAAA', x'00', 'finta', 0)")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                return null;
            });
        }
        AdminClient c = new AdminClient(server);
        c.login("bruno.altro", AdminTesting.PASSWORD);
        AdminClient.Page page = c.get("/admin/verifica");
        c.csrf = page.doc().selectFirst("#passkey-form input[name=csrf]").val();
        for (String forged : new String[]{"", "non è JSON", "{\"id\":\"AAAA\",\"rawId\":\"AAAA\",\"type\":\"public-key\","
                + "\"response\":{\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"},"
                + "\"clientExtensionResults\":{}}"}) {
            assertEquals(200, c.post("/admin/verifica/passkey/opzioni", Map.of()).status());
            AdminClient.Page refused = c.post("/admin/verifica/passkey", Map.of("credential", forged));
            assertEquals(401, refused.status(), forged);
            assertTrue(refused.body().contains("Passkey non riconosciuta"), refused.body());
        }
        // without options first there is no challenge to answer
        assertEquals(401, c.post("/admin/verifica/passkey", Map.of("credential", "{}")).status());
        assertEquals(303, c.get("/admin").status(), "still halfway");
        assertTrue(count(server, "SELECT count(*) FROM login_attempt WHERE username = 'bruno.altro' AND succeeded = 0") >= 4,
                "each one counted by the throttle");
    }
}
