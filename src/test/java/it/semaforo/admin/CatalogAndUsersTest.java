package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What administrators manage: groups, services with channels and providers, provider links, users. */
class CatalogAndUsersTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings());
    static AdminClient admin;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        admin = new AdminClient(server);
    }

    @BeforeEach
    void signIn() {
        clock.set(NOW);
        if (admin.get("/admin").status() != 200) assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
    }

    /** This server has no smtp.host (issue 20): the administrators' page says why there is no mail. */
    @Test
    void withoutSmtpHostTheNotificationsPageSaysWhy() {
        AdminClient.Page p = admin.get("/admin/notifiche");
        assertEquals(200, p.status());
        assertTrue(org.jsoup.Jsoup.parse(p.body()).select(".flash-warning").text().contains("smtp.host non è impostato"),
                p.body());
    }

    private static Catalog catalog() {
        return server.app().services().load();
    }

    private static Document home() {
        return Jsoup.parse(server.get("/").body());
    }

    private static long groupId(String name) {
        return catalog().groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow().id();
    }

    private static long providerId(String slug) {
        return catalog().providers().stream().filter(p -> p.slug().equals(slug)).findFirst().orElseThrow().id();
    }

    @Test
    void groupsAndServicesAreCreatedEditedAndOrderedAndTheHomePageFollows() {
        assertEquals(303, admin.post("/admin/gruppi", Map.of("name", "Servizi sociali")).status());
        Page duplicate = admin.post("/admin/gruppi", Map.of("name", "servizi sociali"));
        assertEquals(422, duplicate.status());
        assertEquals("Esiste già un gruppo con questo nome.", duplicate.fieldError("name"));
        long social = groupId("Servizi sociali");

        Map<String, String> service = new LinkedHashMap<>();
        service.put("name", "Assistenza domiciliare");
        service.put("slug", "");
        service.put("description", "Aiuto a casa per anziani e persone fragili.");
        service.put("group", String.valueOf(social));
        service.put("channel_kind_0", "online");
        service.put("channel_label_0", "Domanda online");
        service.put("channel_value_0", "servizi.comune.example/domanda");
        service.put("channel_hours_0", "");
        service.put("channel_kind_1", "phone");
        service.put("channel_label_1", "Ufficio servizi sociali");
        service.put("channel_value_1", "+39 0123 456792");
        service.put("channel_hours_1", "lun-ven 9-12");
        service.put("channel_kind_2", "office");
        service.put("channel_label_2", "");
        service.put("channel_value_2", "");
        service.put("channel_hours_2", "");
        service.put("provider_" + providerId("anpr"), "on");
        Page bad = admin.post("/admin/servizi", service);
        assertEquals(422, bad.status());
        assertEquals("Per un canale online scrivi l'indirizzo completo, che inizia con https://", bad.fieldError("channel_value_0"));
        assertEquals("true", bad.doc().getElementById("f-channel_value_0").attr("aria-invalid"));
        assertEquals("Ufficio servizi sociali", bad.value("channel_label_1"), "the rows typed are kept");
        assertEquals("Assistenza domiciliare", bad.value("name"));
        assertTrue(bad.doc().getElementById("f-provider_" + providerId("anpr")).hasAttr("checked"));

        service.put("channel_value_0", "https://servizi.comune.example/domanda");
        Page created = admin.post("/admin/servizi", service);
        assertEquals(303, created.status(), created.body());
        Service s = catalog().service("assistenza-domiciliare").orElseThrow();
        assertEquals(2, s.channels().size(), "the empty row is skipped");
        assertEquals(Set.of(providerId("anpr")), s.providerIds());
        Document serviceHome = home();
        assertTrue(serviceHome.select(".service-group h3").eachText().contains("Servizi sociali"));
        Document page = Jsoup.parse(server.get("/servizi/assistenza-domiciliare").body());
        assertTrue(page.select(".channel a[href^=tel:]").text().contains("+39 0123 456792"));

        Page taken = admin.post("/admin/servizi", Map.of("name", "Anagrafe bis", "slug", "anagrafe", "group", String.valueOf(social)));
        assertEquals(422, taken.status());
        assertEquals("L'indirizzo «anagrafe» è già usato: scegline un altro.", taken.fieldError("slug"));
        Page noGroup = admin.post("/admin/servizi", Map.of("name", "Senza gruppo", "group", "12345"));
        assertEquals("Scegli il gruppo del servizio.", noGroup.fieldError("group"));

        // editing keeps the slug (a public address), and may move the service to another group
        long registry = groupId("Anagrafe e stato civile");
        Map<String, String> edit = new LinkedHashMap<>(service);
        edit.put("name", "Assistenza a domicilio");
        edit.put("slug", "altro-indirizzo");
        edit.put("group", String.valueOf(registry));
        assertEquals(303, admin.post("/admin/servizi/" + s.id(), edit).status());
        Service edited = catalog().service(s.id()).orElseThrow();
        assertEquals("Assistenza a domicilio", edited.name());
        assertEquals("assistenza-domiciliare", edited.slug());
        assertEquals(registry, edited.groupId());
        List<String> registryServices = catalog().servicesOf(catalog().groups().stream().filter(g -> g.id() == registry).findFirst().orElseThrow())
                .stream().map(Service::name).toList();
        assertEquals("Assistenza a domicilio", registryServices.get(registryServices.size() - 1), "last in its new group");

        // ordering: a service up within its group, a group up among groups
        assertEquals(303, admin.post("/admin/servizi/" + s.id() + "/sposta", Map.of("direction", "su")).status());
        List<String> reordered = home().select(".service-group").stream()
                .filter(g -> g.selectFirst("h3").text().equals("Anagrafe e stato civile")).findFirst().orElseThrow()
                .select(".service-name").eachText();
        assertEquals(List.of("Anagrafe", "Carta d'identità elettronica", "Assistenza a domicilio", "Stato civile"), reordered);
        assertEquals(303, admin.post("/admin/gruppi/" + groupId("Scuola") + "/sposta", Map.of("direction", "su")).status());
        assertEquals(List.of("Servizi online", "Scuola", "Anagrafe e stato civile", "Tributi e pagamenti"),
                home().select(".service-group h3").eachText());
        assertEquals(400, admin.post("/admin/gruppi/" + groupId("Scuola") + "/sposta", Map.of("direction", "di lato")).status());

        List<String> actions = server.app().admin().audit().about("service", s.id()).stream().map(AuditLog.Entry::action).toList();
        assertEquals(List.of("service.create", "service.edit", "service.move"), actions);
        AuditLog.Entry editEntry = server.app().admin().audit().about("service", s.id()).get(1);
        assertTrue(editEntry.beforeJson().contains("\"name\":\"Assistenza domiciliare\""));
        assertTrue(editEntry.afterJson().contains("\"name\":\"Assistenza a domicilio\""));
    }

    @Test
    void providerLinksRefuseACycle() {
        long cloud = providerId("nubilia-cloud");
        long vendor = providerId("pa-gestionali");   // already runs on the cloud provider
        Page cycle = admin.post("/admin/fornitori/" + cloud, Map.of("name", "Nubilia Cloud S.p.A.", "description", "",
                "depends_on_" + vendor, "on"));
        assertEquals(422, cycle.status());
        assertEquals("Non può dipendere da «PA Gestionali S.p.A.»: quel fornitore dipende già, direttamente o attraverso altri, da questo.",
                cycle.doc().selectFirst("#f-depends_on .field-error").text());
        assertTrue(catalog().provider(cloud).orElseThrow().dependsOn().isEmpty(), "nothing changed");

        assertEquals(303, admin.post("/admin/fornitori", Map.of("name", "Centro dati regionale", "slug", "",
                "description", "Ospita il cloud.")).status());
        long regional = providerId("centro-dati-regionale");
        assertEquals(303, admin.post("/admin/fornitori/" + cloud, Map.of("name", "Nubilia Cloud S.p.A.",
                "description", "Cloud", "depends_on_" + regional, "on")).status());
        assertEquals(Set.of(regional), catalog().provider(cloud).orElseThrow().dependsOn());
        // the regional data centre now reaches, through two providers, the services of the vendor
        assertTrue(catalog().servicesDependingOn(regional).contains(catalog().service("stato-civile").orElseThrow().id()));
        Document list = admin.get("/admin/fornitori").doc();
        assertTrue(list.select("tr").stream().filter(tr -> tr.text().startsWith("Centro dati regionale")).findFirst().orElseThrow()
                .text().contains("Stato civile"));
        assertEquals(422, admin.post("/admin/fornitori/" + regional, Map.of("name", "Centro dati regionale",
                "depends_on_" + vendor, "on")).status(), "a longer cycle is refused too");
        assertEquals(List.of("provider.create"), server.app().admin().audit().about("provider", regional).stream()
                .map(AuditLog.Entry::action).toList());
    }

    @Test
    void usersAreCreatedDeactivatedAndTheirPasswordsReset() {
        Map<String, String> user = new LinkedHashMap<>(Map.of("username", "Luca.Neri", "display_name", "Luca Neri",
                "role", "redattore", "password", "corta", "password_confirm", "corta"));
        Page weak = admin.post("/admin/utenti", user);
        assertEquals(422, weak.status());
        assertEquals("La password deve avere almeno 12 caratteri.", weak.fieldError("password"));
        assertEquals("Luca.Neri", weak.value("username"));
        assertEquals("", weak.value("password"));
        user.put("password", "password12345");
        user.put("password_confirm", "password12345");
        assertTrue(admin.post("/admin/utenti", user).fieldError("password").startsWith("La password è troppo facile"));
        user.put("password", "tre gatti sul tetto");
        user.put("password_confirm", "tre gatti sul tetti");
        assertEquals("Le due password non coincidono.", admin.post("/admin/utenti", user).fieldError("password_confirm"));
        user.put("password_confirm", "tre gatti sul tetto");
        assertEquals(303, admin.post("/admin/utenti", user).status());
        User luca = server.app().admin().accounts().findByUsername("luca.neri").orElseThrow();
        assertEquals(Role.EDITOR, luca.role());
        assertEquals("Il nome utente deve avere da 3 a 40 caratteri: lettere minuscole, cifre, punto, trattino o trattino basso.",
                admin.post("/admin/utenti", Map.of("username", "luca neri!", "display_name", "X", "role", "redattore",
                        "password", "tre gatti sul tetto", "password_confirm", "tre gatti sul tetto")).fieldError("username"));
        assertEquals("Questo nome utente esiste già.", admin.post("/admin/utenti", user).fieldError("username"));
        String hash = server.app().database().read(c -> {
            try (var ps = c.prepareStatement("SELECT password_hash FROM app_user WHERE username = 'luca.neri'"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertTrue(hash.startsWith("$2b$04$"), "bcrypt, never the password");

        AdminClient lucaBrowser = new AdminClient(server);
        assertEquals(303, lucaBrowser.login("luca.neri", "tre gatti sul tetto").status());
        // his own password: the current one first
        Page wrongCurrent = lucaBrowser.post("/admin/password", Map.of("current", "non so", "password", "quattro gatti sul tetto",
                "password_confirm", "quattro gatti sul tetto"));
        assertEquals("La password attuale non è corretta.", wrongCurrent.fieldError("current"));
        assertEquals(303, lucaBrowser.post("/admin/password", Map.of("current", "tre gatti sul tetto",
                "password", "quattro gatti sul tetto", "password_confirm", "quattro gatti sul tetto")).status());
        assertEquals(200, lucaBrowser.get("/admin").status(), "the browser that changed it stays in");
        assertEquals(401, new AdminClient(server).login("luca.neri", "tre gatti sul tetto").status());

        // deactivation signs him out at once and keeps him out
        assertEquals(303, admin.post("/admin/utenti/" + luca.id(), Map.of("display_name", "Luca Neri", "role", "redattore")).status());
        assertEquals(303, lucaBrowser.get("/admin").status());
        assertEquals(401, new AdminClient(server).login("luca.neri", "quattro gatti sul tetto").status());
        assertEquals(303, admin.post("/admin/utenti/" + luca.id(), Map.of("display_name", "Luca Neri", "role", "redattore",
                "active", "on", "password", "cinque gatti sul tetto", "password_confirm", "cinque gatti sul tetto")).status());
        assertEquals(303, new AdminClient(server).login("luca.neri", "cinque gatti sul tetto").status());

        // an administrator cannot lock themselves out
        long giulia = server.app().admin().accounts().findByUsername("giulia.verdi").orElseThrow().id();
        Page self = admin.post("/admin/utenti/" + giulia, Map.of("display_name", "Giulia Verdi", "role", "redattore", "active", "on"));
        assertEquals(409, self.status());
        assertTrue(self.doc().selectFirst(".alert-danger").text().startsWith("Non puoi disattivare il tuo utente"));
        assertEquals(Role.ADMINISTRATOR, server.app().admin().accounts().find(giulia).orElseThrow().role());

        List<String> actions = server.app().admin().audit().about("user", luca.id()).stream().map(AuditLog.Entry::action).toList();
        assertEquals(List.of("user.create", "user.login", "user.password", "user.edit", "user.edit", "user.login"), actions);
        assertTrue(server.app().admin().audit().about("user", luca.id()).stream()
                .noneMatch(e -> String.valueOf(e.afterJson()).contains("gatti") || String.valueOf(e.afterJson()).contains("$2b$")),
                "no password, nor its hash, in the audit log");
        assertTrue(count(server, "SELECT count(*) FROM admin_session WHERE user_id = ?", luca.id()) >= 1);
    }
}
