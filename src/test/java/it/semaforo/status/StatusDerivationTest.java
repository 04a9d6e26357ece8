package it.semaforo.status;

import it.semaforo.app.Domain;
import it.semaforo.testing.Wordings;
import it.semaforo.db.Database;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Catalog;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The derivation rules of docs/design.md against a real SQLite file. */
class StatusDerivationTest {
    static final ZoneId ROME = ZoneId.of("Europe/Rome");
    static final Instant T0 = Instant.parse("2023-12-13T15:19:00Z");

    @TempDir
    Path dir;
    Domain domain;
    Database db;
    MutableClock clock;
    ServiceCatalog services;
    NoticeRepository notices;
    StatusService status;
    long cloud, vendor, national, registry, civil, portal, cards;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0.minus(Duration.ofDays(100)));
        domain = Domain.open(dir.resolve("semaforo.db"), clock, ROME, Wordings.PLAIN);
        db = domain.db();
        services = domain.services();
        notices = domain.notices();
        status = domain.status();
        long group = services.createGroup("Anagrafe e stato civile", 1);
        cloud = services.createProvider("westpole", "Cloud", "");
        vendor = services.createProvider("pa-digitale", "Vendor", "");
        national = services.createProvider("anpr", "ANPR", "");
        services.addProviderDependency(vendor, cloud);
        registry = service("anagrafe", group, Set.of(vendor, national));
        civil = service("stato-civile", group, Set.of(vendor));
        portal = service("portale", group, Set.of(vendor));
        cards = service("carta-identita", group, Set.of(national));
        clock.set(T0);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /**
     * The next instant at which the model stops being true, as the event log's clock tells it,
     * past the midnights before it (they move the histories): the clock ticked through them, then
     * set back to where it was.
     */
    private Instant nextBesidesMidnights() {
        Instant was = clock.instant();
        Instant next = status.now().validUntil();
        while (next != null && next.atZone(ROME).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
            clock.set(next);
            domain.ledger().tick();
            next = status.now().validUntil();
        }
        clock.set(was);
        return next;
    }

    private long service(String slug, long group, Set<Long> providers) {
        return services.createService(new NewService(slug, slug, "", group, 0, List.of(), providers));
    }

    private long publish(String title, Instant at, Instant expires, Impact... impacts) {
        return notices.create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED, title, "", "", "it", at, expires,
                null, null, "test", List.of(impacts)));
    }

    private ServiceState state(long serviceId) {
        ReadModel m = status.now();
        return m.status(m.catalog().service(serviceId).orElseThrow()).state();
    }

    @Test
    void withoutAvvisiEveryServiceIsOperational() {
        assertEquals(ServiceState.OPERATIONAL, state(registry));
        assertEquals(ServiceState.OPERATIONAL, status.now().overall());
    }

    @Test
    void theWorstStateWinsAcrossAvvisi() {
        publish("slow", T0, null, Impact.onService(registry, ServiceState.DEGRADED, "lento"));
        publish("urgent only", T0, null, Impact.onService(registry, ServiceState.LIMITED, "solo urgenze"));
        publish("other platform", T0, null, Impact.onService(registry, ServiceState.ALTERNATIVE, "altra piattaforma"));
        ReadModel m = status.now();
        ServiceStatus s = m.status(m.catalog().service(registry).orElseThrow());
        assertEquals(ServiceState.LIMITED, s.state());
        assertEquals("solo urgenze", s.reason());
        assertEquals(3, s.noticeIds().size());
        publish("down", T0, null, Impact.onService(registry, ServiceState.SUSPENDED, "sospeso"));
        assertEquals(ServiceState.SUSPENDED, state(registry));
        assertEquals(ServiceState.SUSPENDED, status.now().overall());
    }

    @Test
    void severityOrderIsTheOneOfTheDesign() {
        List<ServiceState> ascending = List.of(ServiceState.OPERATIONAL, ServiceState.DEGRADED, ServiceState.ALTERNATIVE,
                ServiceState.LIMITED, ServiceState.MAINTENANCE, ServiceState.SUSPENDED);
        for (int i = 1; i < ascending.size(); i++) assertTrue(ascending.get(i).worseThan(ascending.get(i - 1)));
    }

    @Test
    void anAvvisoOnAProviderReachesEveryServiceThroughTheChain() {
        publish("cloud ransomware", T0, null, Impact.onProvider(cloud, ServiceState.SUSPENDED, "attacco al cloud"));
        assertEquals(ServiceState.SUSPENDED, state(registry));
        assertEquals(ServiceState.SUSPENDED, state(civil));
        assertEquals(ServiceState.SUSPENDED, state(portal));
        assertEquals(ServiceState.OPERATIONAL, state(cards), "a service that does not depend on the cloud keeps working");
        ReadModel m = status.now();
        assertEquals("attacco al cloud", m.status(m.catalog().service(civil).orElseThrow()).reason());
    }

    @Test
    void whatAnAvvisoSaysOfAServiceOverridesWhatItSaysOfItsProvider() {
        long id = publish("vendor down", T0, null, Impact.onProvider(vendor, ServiceState.SUSPENDED, "fornitore"));
        clock.advance(Duration.ofHours(2));
        notices.addUpdate(id, new NewUpdate("anagrafe via altra piattaforma", List.of(
                Impact.onService(registry, ServiceState.ALTERNATIVE, "altra piattaforma"),
                Impact.onService(civil, ServiceState.LIMITED, "solo nascite e morti")), false, "test", null));
        assertEquals(ServiceState.ALTERNATIVE, state(registry));
        assertEquals(ServiceState.LIMITED, state(civil));
        assertEquals(ServiceState.SUSPENDED, state(portal));
        // before the update the provider's state held for every service
        Timeline t = status.now().timeline();
        assertEquals(ServiceState.SUSPENDED, t.statusAt(registry, T0.plus(Duration.ofHours(1))).state());
        // and another avviso still wins if it is worse
        publish("registry office closed", clock.instant(), null, Impact.onService(registry, ServiceState.SUSPENDED, "chiuso"));
        assertEquals(ServiceState.SUSPENDED, state(registry));
    }

    @Test
    void anExpiredAvvisoStopsChangingStatesWithoutAnyoneTouchingIt() {
        publish("until tomorrow", T0, T0.plus(Duration.ofDays(1)), Impact.onProvider(vendor, ServiceState.SUSPENDED, "x"));
        assertEquals(ServiceState.SUSPENDED, state(civil));
        assertEquals(1, status.now().inForce().size());
        assertEquals(T0.plus(Duration.ofDays(1)), nextBesidesMidnights());
        clock.advance(Duration.ofDays(1));
        assertEquals(ServiceState.OPERATIONAL, state(civil));
        assertTrue(status.now().inForce().isEmpty());
    }

    @Test
    void closingAnAvvisoEndsItsStatesAtTheClosingInstant() {
        long id = publish("outage", T0, null, Impact.onService(portal, ServiceState.SUSPENDED, "giù"));
        clock.advance(Duration.ofHours(5));
        int number = notices.addUpdate(id, new NewUpdate("ripristinato", List.of(), true, "test", null));
        assertEquals(1, number);
        assertEquals(ServiceState.OPERATIONAL, state(portal));
        assertTrue(status.now().inForce().isEmpty());
        Timeline past = new Timeline(services.load(), notices.inForceSince(T0));
        assertEquals(ServiceState.SUSPENDED, past.statusAt(portal, T0.plus(Duration.ofHours(4))).state());
        assertEquals(ServiceState.OPERATIONAL, past.statusAt(portal, T0.plus(Duration.ofHours(5))).state());
    }

    @Test
    void aFuturePublicationChangesNothingUntilItsTime() {
        publish("tomorrow", T0.plus(Duration.ofDays(1)), null, Impact.onService(portal, ServiceState.SUSPENDED, "x"));
        assertEquals(ServiceState.OPERATIONAL, state(portal));
        assertTrue(status.now().inForce().isEmpty());
        assertEquals(T0.plus(Duration.ofDays(1)), nextBesidesMidnights());
        clock.advance(Duration.ofDays(1));
        assertEquals(ServiceState.SUSPENDED, state(portal));
        assertEquals(1, status.now().inForce().size());
    }

    @Test
    void draftsAndWithdrawnAvvisiChangeNothing() {
        notices.create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.DRAFT, "draft", "", "", "it", null, null, null, null,
                "test", List.of(Impact.onService(portal, ServiceState.SUSPENDED, "x"))));
        assertEquals(ServiceState.OPERATIONAL, state(portal));
        long id = publish("mistake", T0, null, Impact.onService(portal, ServiceState.SUSPENDED, "x"));
        assertEquals(ServiceState.SUSPENDED, state(portal));
        notices.withdraw(id);
        assertEquals(ServiceState.OPERATIONAL, state(portal));
        assertTrue(status.now().inForce().isEmpty());
    }

    @Test
    void anUpdateChangesStatesFromItsOwnInstant() {
        long id = publish("outage", T0, null, Impact.onService(portal, ServiceState.SUSPENDED, "giù"));
        clock.advance(Duration.ofHours(3));
        notices.addUpdate(id, new NewUpdate("parziale", List.of(Impact.onService(portal, ServiceState.DEGRADED, "lento")),
                false, "test", null));
        assertEquals(ServiceState.DEGRADED, state(portal));
        Timeline t = status.now().timeline();
        assertEquals(ServiceState.SUSPENDED, t.statusAt(portal, T0.plus(Duration.ofHours(2))).state());
    }

    @Test
    void aMaintenanceHoldsItsStateOnlyInsideItsWindow() {
        Instant start = T0.plus(Duration.ofDays(2));
        Instant end = start.plus(Duration.ofHours(6));
        notices.create(new NewNotice(NoticeKind.MAINTENANCE, NoticeStatus.PUBLISHED, "pagoPA", "", "", "it", T0, end,
                start, end, "test", List.of(Impact.onService(portal, ServiceState.MAINTENANCE, "manutenzione"))));
        assertEquals(ServiceState.OPERATIONAL, state(portal));
        assertEquals(start, nextBesidesMidnights());
        clock.set(start);
        assertEquals(ServiceState.MAINTENANCE, state(portal));
        clock.set(end);
        assertEquals(ServiceState.OPERATIONAL, state(portal));
    }

    @Test
    void theHistoryShowsTheWorstStateOfEachDayInTheConfiguredZone() {
        // 23:30 in Rome on 1 December is 22:30 UTC: the outage belongs to 1 December
        Instant late = LocalDate.of(2023, 12, 1).atTime(23, 30).atZone(ROME).toInstant();
        long id = publish("night", late, null, Impact.onService(portal, ServiceState.LIMITED, "x"));
        clock.set(late.plus(Duration.ofMinutes(20)));
        notices.addUpdate(id, new NewUpdate("done", List.of(), true, "test", null));
        clock.set(T0);
        List<DayStatus> days = status.now().history(status.now().catalog().service(portal).orElseThrow());
        assertEquals(ReadModel.HISTORY_DAYS, days.size());
        assertEquals(LocalDate.of(2023, 12, 13), days.get(days.size() - 1).date());
        DayStatus dec1 = days.stream().filter(d -> d.date().equals(LocalDate.of(2023, 12, 1))).findFirst().orElseThrow();
        assertEquals(ServiceState.LIMITED, dec1.worst());
        assertEquals(List.of(id), dec1.noticeIds());
        assertEquals(1, days.stream().filter(d -> d.worst() != ServiceState.OPERATIONAL).count());
    }

    @Test
    void aProviderCycleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> services.addProviderDependency(cloud, vendor));
        assertThrows(IllegalArgumentException.class, () -> services.addProviderDependency(cloud, cloud));
        Catalog c = services.load();
        assertFalse(c.provider(cloud).orElseThrow().dependsOn().contains(vendor));
    }
}
