package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each clerk's open sessions over real HTTP: listed with browser, network, start and last
 * request; ended one at a time by their owner, all at once by an administrator; ended by a
 * password change except in the browser that made it. Nobody ends another's session by its
 * handle.
 */
class OpenSessionsTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("proxy.trusted", "true"));

    static final String FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    private static AdminClient client(String address, String userAgent) {
        AdminClient c = new AdminClient(server);
        c.forwardedFor = address;
        c.headers.put("User-Agent", userAgent);
        return c;
    }

    private static boolean signedIn(AdminClient c) {
        return c.get("/admin").status() == 200;
    }

    @Test
    void aClerkSeesTheirSessionsAndEndsOne() {
        AdminTesting.user(server, "sara.sessioni", Role.EDITOR);
        AdminTesting.user(server, "otto.altro", Role.EDITOR);
        AdminClient office = client("198.51.100.77", FIREFOX);
        office.login("sara.sessioni", PASSWORD);
        clock.advance(Duration.ofMinutes(5));
        AdminClient phone = client("2001:db8:1:2::5", ANDROID);
        phone.login("sara.sessioni", PASSWORD);
        AdminClient other = client("203.0.113.9", FIREFOX);
        other.login("otto.altro", PASSWORD);

        Page page = office.get("/admin/sicurezza");
        assertEquals(200, page.status());
        AdminHtmlValidityTest.assertValid("/admin/sicurezza with two sessions", page.body());
        List<Element> rows = page.doc().select(".session-row");
        assertEquals(2, rows.size(), "her two, not his");
        assertEquals("Chrome · Android", rows.get(0).selectFirst("th").text(), "the most recently seen first");
        assertEquals("2001:db8:1::/48", rows.get(0).select("td").get(0).text(), "the network, never the whole address");
        assertEquals("Firefox · Windows (questa)", rows.get(1).selectFirst("th").text());
        assertEquals("198.51.100.0/24", rows.get(1).select("td").get(0).text());
        assertEquals(2, rows.get(1).select("td time").size(), "started, last seen");
        assertTrue(rows.get(1).select("td time").get(0).attr("datetime").startsWith("2026-11-24T"), "started");
        assertTrue(!rows.get(0).select("td time").get(0).attr("datetime").equals(rows.get(1).select("td time").get(0).attr("datetime")),
                "five minutes apart");
        assertTrue(!page.body().contains("198.51.100.77") && !page.body().contains("2001:db8:1:2::5"));

        // someone else's handle, a made-up one and a malformed one: 404, nothing ended
        String phoneHandle = rows.get(0).attr("data-handle");
        String otherHandle = other.get("/admin/sicurezza").doc().selectFirst(".session-row").attr("data-handle");
        assertEquals(404, office.post("/admin/sicurezza/sessioni/" + otherHandle + "/chiudi", Map.of()).status());
        assertEquals(404, office.post("/admin/sicurezza/sessioni/AAAAAAAAAAAAAAAAAAAAAA/chiudi", Map.of()).status());
        assertEquals(404, office.post("/admin/sicurezza/sessioni/x'%20OR%201=1/chiudi", Map.of()).status());
        assertEquals(403, office.postRaw("/admin/sicurezza/sessioni/" + phoneHandle + "/chiudi", Map.of("csrf", "x")).status());
        assertTrue(signedIn(other) && signedIn(phone));

        Page ended = office.post("/admin/sicurezza/sessioni/" + phoneHandle + "/chiudi", Map.of());
        assertEquals(303, ended.status());
        assertEquals("/admin/sicurezza?esito=sessione", ended.location());
        assertTrue(!signedIn(phone), "the phone is out");
        assertTrue(signedIn(office) && signedIn(other));
        assertEquals(1, office.get("/admin/sicurezza").doc().select(".session-row").size());
        assertEquals("user.session.end", server.app().admin().audit().page(1, 1).get(0).action());

        // ending one's own is signing out
        String own = office.get("/admin/sicurezza").doc().selectFirst(".session-row").attr("data-handle");
        Page out = office.post("/admin/sicurezza/sessioni/" + own + "/chiudi", Map.of());
        assertEquals("/admin/login?esito=uscita", out.location());
        assertTrue(!signedIn(office));
    }

    @Test
    void anAdministratorEndsAllOfAUsersSessions() {
        long id = AdminTesting.user(server, "ugo.ovunque", Role.EDITOR);
        AdminTesting.user(server, "amelia.capo", Role.ADMINISTRATOR);
        AdminClient one = client("198.51.100.31", FIREFOX);
        one.login("ugo.ovunque", PASSWORD);
        AdminClient two = client("198.51.100.32", ANDROID);
        two.login("ugo.ovunque", PASSWORD);
        AdminClient admin = client("198.51.100.33", FIREFOX);
        admin.login("amelia.capo", PASSWORD);

        Page view = admin.get("/admin/utenti/" + id + "/sicurezza");
        assertEquals(200, view.status());
        AdminHtmlValidityTest.assertValid("a user's security for an administrator", view.body());
        assertEquals(2, view.doc().select(".session-row").size());
        assertEquals(403, one.post("/admin/utenti/" + id + "/sessioni/chiudi", Map.of()).status(), "not for editors");
        assertEquals(404, admin.post("/admin/utenti/999999/sessioni/chiudi", Map.of()).status());
        assertTrue(signedIn(one) && signedIn(two));

        Page done = admin.post("/admin/utenti/" + id + "/sessioni/chiudi", Map.of());
        assertEquals(303, done.status());
        assertEquals("/admin/utenti/" + id + "/sicurezza?esito=sessioni", done.location());
        assertTrue(!signedIn(one) && !signedIn(two));
        assertTrue(signedIn(admin));
        assertEquals(0, count(server, "SELECT count(*) FROM admin_session WHERE user_id = ?", id));
        assertEquals("ugo.ovunque: 2 sessioni chiuse", server.app().admin().audit().page(1, 1).get(0).summary());
    }

    @Test
    void aPasswordChangeEndsTheOtherSessions() {
        AdminTesting.user(server, "pia.password", Role.EDITOR);
        AdminClient a = client("198.51.100.41", FIREFOX);
        a.login("pia.password", PASSWORD);
        AdminClient b = client("198.51.100.42", ANDROID);
        b.login("pia.password", PASSWORD);
        String next = "un'altra frase lunga per entrare";
        Page changed = a.post("/admin/password", Map.of("current", PASSWORD, "password", next, "password_confirm", next));
        assertEquals(303, changed.status(), changed.body());
        assertTrue(signedIn(a));
        assertTrue(!signedIn(b));
        assertEquals(1, a.get("/admin/sicurezza").doc().select(".session-row").size());
    }

    @Test
    void browsersAndNetworksAsShown() {
        assertEquals("Edge · Windows", Sessions.browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"));
        assertEquals("Safari · iOS", Sessions.browser("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"));
        assertEquals("curl", Sessions.browser("curl/8.5.0"));
        assertEquals("", Sessions.browser(null));
        assertEquals("10.1.2.0/24", Sessions.addressPrefix("10.1.2.3"));
        assertEquals("2001:db8:0::/48", Sessions.addressPrefix("[2001:db8::1]"));
        assertEquals("192.0.2.0/24", Sessions.addressPrefix("::ffff:192.0.2.9"));
        assertEquals("", Sessions.addressPrefix("not an address"));
    }
}
