package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.db.DatabaseException;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who gets in and what they may do: session cookies, CSRF, roles, login throttling, the
 * audit log's immutability. The server trusts X-Forwarded-For here (proxy.trusted), so each
 * test plays its clients from its own address.
 */
class AdminSecurityTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("proxy.trusted", "true",
            "admin.login.max.failures.account", "3", "admin.login.max.failures.address", "5",
            "admin.login.window.minutes", "15", "admin.session.idle.minutes", "30"));

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        AdminTesting.user(server, "anna.bianchi", Role.EDITOR);
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
    }

    @BeforeEach
    void resetClock() {
        clock.set(NOW);
    }

    private static AdminClient client(String address) {
        AdminClient c = new AdminClient(server);
        c.forwardedFor = "203.0.113.99, " + address;   // the last hop is the one our proxy saw
        return c;
    }

    private static String sessionCookie(AdminClient c) {
        return c.setCookies.stream().filter(s -> s.startsWith("semaforo_sessione=") && !s.startsWith("semaforo_sessione=;"))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void residentsGetNoCookieAndTheAreaNeedsASignIn() {
        for (String path : List.of("/", "/avvisi", "/servizi/anagrafe", "/health")) {
            HttpResponse<String> r = server.get(path);
            assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), path);
        }
        AdminClient anonymous = client("198.51.100.1");
        Page dashboard = anonymous.get("/admin");
        assertEquals(303, dashboard.status());
        assertEquals("/admin/login?dopo=%2Fadmin", dashboard.location());
        assertEquals(303, anonymous.get("/admin/avvisi/nuovo").status());
        Page post = anonymous.postRaw("/admin/avvisi", Map.of("title", "x", "csrf", "x"));
        assertEquals(401, post.status());
        assertTrue(post.doc().selectFirst("main p").text().startsWith("La sessione è scaduta e la modifica non è stata salvata"));
        // the login page itself sets only its own short-lived token cookie, under /admin
        Page login = anonymous.get("/admin/login");
        assertEquals(200, login.status());
        assertTrue(anonymous.setCookies.stream().allMatch(c -> c.contains("Path=/admin")), anonymous.setCookies.toString());
        assertEquals("no-store", login.response().headers().firstValue("Cache-Control").orElse(""));
        assertEquals("DENY", login.response().headers().firstValue("X-Frame-Options").orElse(""));
        assertTrue(login.response().headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
    }

    @Test
    void afterSigningInTheClerkGoesBackToThePageAskedForButNeverElsewhere() {
        for (String[] c : new String[][]{{"%2Fadmin%2Favvisi%2Fnuovo", "/admin/avvisi/nuovo"},
                {"https%3A%2F%2Fevil.example%2Fadmin", "/admin?esito=accesso"}, {"%2F%2Fevil.example", "/admin?esito=accesso"},
                {"%2Fadmin%2Flogout", "/admin?esito=accesso"}}) {
            AdminClient browser = client("198.51.100.20");
            Page form = browser.get("/admin/login?dopo=" + c[0]);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("token", form.doc().selectFirst("input[name=token]").val());
            fields.put("username", "mario.rossi");
            fields.put("password", PASSWORD);
            org.jsoup.nodes.Element next = form.doc().selectFirst("input[name=dopo]");
            if (next != null) fields.put("dopo", next.val());
            Page in = browser.postRaw("/admin/login", fields);
            assertEquals(303, in.status());
            assertEquals(c[1], in.location(), c[0]);
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxUnderAdminAndSecureOverHttps() {
        AdminClient plain = client("198.51.100.2");
        assertEquals(303, plain.login("mario.rossi", PASSWORD).status());
        String cookie = sessionCookie(plain);
        assertTrue(cookie.contains("; HttpOnly"), cookie);
        assertTrue(cookie.contains("; SameSite=Lax"), cookie);
        assertTrue(cookie.contains("; Path=/admin"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP, no proxy saying otherwise: " + cookie);
        assertEquals(43, cookie.substring("semaforo_sessione=".length(), cookie.indexOf(';')).length(), "256 random bits, base64url");

        AdminClient viaHttps = client("198.51.100.3");
        viaHttps.headers.put("X-Forwarded-Proto", "https");
        assertEquals(303, viaHttps.login("mario.rossi", PASSWORD).status());
        String secure = sessionCookie(viaHttps);
        assertTrue(secure.endsWith("; Secure"), "behind a trusted proxy that says https: " + secure);
    }

    @Test
    void signingInGivesANewSessionIdAndSigningOutEndsIt() {
        AdminClient c = client("198.51.100.4");
        c.cookies.put("semaforo_sessione", "planted-by-someone-else-aaaaaaaaaaaaaaaaaaaaaaaaaaa");
        assertEquals(303, c.login("mario.rossi", PASSWORD).status());
        String first = c.cookies.get("semaforo_sessione");
        assertNotEquals("planted-by-someone-else-aaaaaaaaaaaaaaaaaaaaaaaaaaa", first);
        assertEquals(200, c.get("/admin").status());

        Page out = c.post("/admin/logout", Map.of());
        assertEquals(303, out.status());
        assertEquals("/admin/login?esito=uscita", out.location());
        assertEquals("Sei uscito dall'area redazione.", c.follow(out).doc().selectFirst(".flash").text());
        assertNull(c.cookies.get("semaforo_sessione"), "the cookie is cleared");
        AdminClient replay = client("198.51.100.4");
        replay.cookies.put("semaforo_sessione", first);
        assertEquals(303, replay.get("/admin").status(), "and the id is dead on the server too");

        assertEquals(303, c.login("mario.rossi", PASSWORD).status());
        String second = c.cookies.get("semaforo_sessione");
        assertNotEquals(first, second, "a new id at every login");
        c.post("/admin/logout", Map.of());
        assertEquals(List.of("user.logout", "user.login", "user.logout", "user.login"), server.app().admin().audit().page(1, 50).stream()
                .filter(e -> "mario.rossi".equals(e.username()) && e.address().equals("198.51.100.4"))
                .map(AuditLog.Entry::action).toList(), "newest first, with the address the proxy saw");
    }

    @Test
    void anIdleSessionEnds() {
        AdminClient c = client("198.51.100.5");
        c.login("anna.bianchi", PASSWORD);
        clock.advance(Duration.ofMinutes(29));
        assertEquals(200, c.get("/admin").status(), "in use: still open");
        clock.advance(Duration.ofMinutes(29));
        assertEquals(200, c.get("/admin").status(), "idle time counts from the last request");
        clock.advance(Duration.ofMinutes(31));
        Page gone = c.get("/admin/avvisi");
        assertEquals(303, gone.status());
        assertEquals("/admin/login?dopo=%2Fadmin%2Favvisi", gone.location());
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenChangesNothing() {
        AdminClient c = client("198.51.100.6");
        c.login("mario.rossi", PASSWORD);
        AdminClient other = client("198.51.100.6");
        other.login("anna.bianchi", PASSWORD);
        long notices = count(server, "SELECT count(*) FROM notice");
        long audit = count(server, "SELECT count(*) FROM audit_log WHERE action LIKE 'notice.%'");
        Map<String, String> avviso = new LinkedHashMap<>(Map.of("title", "Avviso falso", "kind", "disservizio",
                "summary", "Da un altro sito", "publish", "now", "action", "draft"));
        for (String token : new String[]{null, "", "sbagliato", other.csrf}) {
            Map<String, String> fields = new LinkedHashMap<>(avviso);
            if (token != null) fields.put("csrf", token);
            Page p = c.postRaw("/admin/avvisi", fields);
            assertEquals(403, p.status(), "token " + token);
            assertTrue(p.doc().selectFirst("main p").text().startsWith("Il modulo non è valido o è scaduto, quindi non è stato modificato nulla"));
        }
        assertEquals(notices, count(server, "SELECT count(*) FROM notice"));
        assertEquals(audit, count(server, "SELECT count(*) FROM audit_log WHERE action LIKE 'notice.%'"));

        // a real draft, then a forged publication and withdrawal of a published avviso
        long id = Long.parseLong(c.post("/admin/avvisi", avviso).location().replaceAll("\\D+([0-9]+).*", "$1"));
        assertEquals(403, c.postRaw("/admin/avvisi/" + id + "/pubblica", Map.of("csrf", "x")).status());
        assertEquals("draft", server.app().notices().find(id).orElseThrow().status().key());
        c.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        assertEquals(403, c.postRaw("/admin/avvisi/" + id + "/ritira", Map.of("confirm", "on")).status());
        assertEquals(403, c.postRaw("/admin/logout", Map.of()).status());
        assertEquals("published", server.app().notices().find(id).orElseThrow().status().key());
        assertEquals(200, c.get("/admin").status(), "a refused logout leaves the session open");

        // the login form has its own token, bound to a cookie
        AdminClient fresh = client("198.51.100.7");
        Page login = fresh.postRaw("/admin/login", Map.of("username", "mario.rossi", "password", PASSWORD, "token", "x"));
        assertEquals(403, login.status());
        assertNull(fresh.cookies.get("semaforo_sessione"));
    }

    @Test
    void aRedattoreCannotManageUsersServicesProvidersOrReadTheAuditLog() {
        AdminClient editor = client("198.51.100.8");
        editor.login("mario.rossi", PASSWORD);
        for (String path : List.of("/admin/utenti", "/admin/utenti/nuovo", "/admin/servizi", "/admin/servizi/1",
                "/admin/fornitori", "/admin/registro")) {
            Page p = editor.get(path);
            assertEquals(403, p.status(), path);
            assertEquals("Questa sezione è riservata agli amministratori.", p.doc().selectFirst("main p").text());
        }
        long users = count(server, "SELECT count(*) FROM app_user");
        Page create = editor.post("/admin/utenti", Map.of("username", "intruso", "display_name", "Intruso",
                "role", "amministratore", "password", PASSWORD, "password_confirm", PASSWORD));
        assertEquals(403, create.status());
        assertEquals(users, count(server, "SELECT count(*) FROM app_user"));
        long mario = server.app().admin().accounts().findByUsername("mario.rossi").orElseThrow().id();
        assertEquals(403, editor.post("/admin/utenti/" + mario, Map.of("display_name", "Mario", "role", "amministratore",
                "active", "on")).status(), "nor promote themselves");
        assertEquals(Role.EDITOR, server.app().admin().accounts().find(mario).orElseThrow().role());
        assertEquals(403, editor.post("/admin/gruppi", Map.of("name", "Nuovo gruppo")).status());
        assertFalse(editor.get("/admin").body().contains("/admin/utenti"), "the menu does not offer what is refused");

        AdminClient admin = client("198.51.100.8");
        admin.login("giulia.verdi", PASSWORD);
        for (String path : List.of("/admin/utenti", "/admin/servizi", "/admin/fornitori", "/admin/registro")) {
            assertEquals(200, admin.get(path).status(), path);
        }
    }

    @Test
    void repeatedFailuresLockTheAccountThenTheAddress() {
        // per account: 3 failures lock anna.bianchi, from any address, even with the right password
        AdminClient attacker = client("192.0.2.10");
        for (int i = 0; i < 3; i++) {
            Page p = attacker.login("anna.bianchi", "sbagliata " + i);
            assertEquals(401, p.status());
            assertEquals("Nome utente o password non corretti.", p.doc().selectFirst(".alert-danger").text());
            assertEquals("anna.bianchi", p.value("username"), "the name typed is kept");
            assertEquals("", p.value("password"), "a password is never sent back");
        }
        Page locked = client("192.0.2.11").login("anna.bianchi", PASSWORD);
        assertEquals(429, locked.status());
        assertEquals("Troppi tentativi di accesso non riusciti. Per sicurezza l'accesso è bloccato: riprova tra 15 minuti.",
                locked.doc().selectFirst(".alert-danger").text());
        assertTrue(Integer.parseInt(locked.response().headers().firstValue("Retry-After").orElseThrow()) > 800);
        assertEquals(303, client("192.0.2.11").login("mario.rossi", PASSWORD).status(), "other accounts are not locked");
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertEquals(303, client("192.0.2.11").login("anna.bianchi", PASSWORD).status(), "the lock ends with the window");

        // per address: 5 failures across names lock the address, whatever the name
        AdminClient sprayer = client("192.0.2.20");
        for (String name : List.of("a.uno", "b.due", "c.tre", "d.quattro", "e.cinque")) {
            assertEquals(401, sprayer.login(name, "password qualsiasi").status());
        }
        assertEquals(429, sprayer.login("giulia.verdi", PASSWORD).status());
        assertEquals(303, client("192.0.2.21").login("giulia.verdi", PASSWORD).status(), "another address is free");
    }

    @Test
    void theAuditLogCannotBeAlteredOrDeleted() {
        AdminClient c = client("198.51.100.9");
        c.login("giulia.verdi", PASSWORD);
        assertTrue(count(server, "SELECT count(*) FROM audit_log") > 0);
        for (String sql : List.of("UPDATE audit_log SET username = 'nessuno'", "DELETE FROM audit_log",
                "UPDATE notice_revision SET body = ''", "DELETE FROM notice_revision")) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> server.app().database().write(conn -> {
                try (Statement st = conn.createStatement()) {
                    st.executeUpdate(sql);
                }
                // notice_revision may be empty: make sure the trigger has a row to refuse
                try (Statement st = conn.createStatement()) {
                    st.executeUpdate("INSERT INTO notice_revision(notice_id, number, title, summary, body, replaced_by, replaced_at) "
                            + "SELECT id, 99, title, summary, body, 'test', 0 FROM notice LIMIT 1");
                    st.executeUpdate(sql);
                }
                return null;
            }), sql);
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
        assertEquals(0, count(server, "SELECT count(*) FROM audit_log WHERE username = 'nessuno'"));
        assertEquals(0, count(server, "SELECT count(*) FROM notice_revision WHERE number = 99"), "rolled back");
        assertEquals(404, c.post("/admin/registro", Map.of()).status(), "no address changes the log");
    }
}
