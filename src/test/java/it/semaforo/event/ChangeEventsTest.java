package it.semaforo.event;

import it.semaforo.app.Domain;
import it.semaforo.audit.Actor;
import it.semaforo.event.ChangeEvent.NoticeEvent;
import it.semaforo.event.ChangeEvent.ServiceChange;
import it.semaforo.event.ChangeEvent.ServiceStateChanged;
import it.semaforo.event.Subscribers.Delivery;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDesk;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.TextInput;
import it.semaforo.notice.UpdateInput;
import it.semaforo.service.ProviderInput;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceInput;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.Wordings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The domain's use cases and the events they announce, against a real SQLite file and no HTTP:
 * refusals, the event of each change with its services' states before and after, the clock
 * turning time into events exactly once (after a restart too), order under concurrent writers,
 * and subscribers that fail or restart without losing or repeating anything.
 */
class ChangeEventsTest {
    static final ZoneId ROME = ZoneId.of("Europe/Rome");
    /** 10:00 in Rome. */
    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    static final Actor CLERK = new Actor(null, "giulia", "Giulia Verdi", "192.0.2.1");

    @TempDir
    Path dir;
    MutableClock clock;
    Domain domain;
    long group, cloud, registry, portal;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        domain = open();
        group = domain.services().createGroup("Anagrafe", 1);
        cloud = domain.services().createProvider("cloud", "Cloud", "");
        registry = domain.services().createService(new NewService("anagrafe", "Anagrafe", "", group, 1, List.of(), Set.of(cloud)));
        portal = domain.services().createService(new NewService("portale", "Portale", "", group, 2, List.of(), Set.of()));
    }

    @AfterEach
    void tearDown() {
        domain.close();
    }

    private Domain open() {
        return Domain.open(dir.resolve("semaforo.db"), clock, ROME, Wordings.PLAIN);
    }

    private long head() {
        return domain.events().head(false);
    }

    private List<LoggedEvent> since(long seq) {
        return domain.events().after(seq, 1000, false);
    }

    private List<String> types(List<LoggedEvent> events) {
        return events.stream().map(e -> e.event().type()).toList();
    }

    private NoticeInput outage(String title, Instant publishAt, Instant expiresAt, Impact... impacts) {
        return new NoticeInput(NoticeKind.OUTAGE, title, "In breve", "Testo.", "it", publishAt, expiresAt, null, null,
                List.of(impacts), NoticeDetails.NONE);
    }

    private NoticeDesk desk() {
        return domain.noticeDesk();
    }

    @Test
    void aDraftIsAnnouncedButNeverPublic() {
        long before = head();
        long id = desk().createDraft(CLERK, outage("Bozza", null, null, Impact.onProvider(cloud, ServiceState.SUSPENDED, "giù")));
        List<LoggedEvent> events = since(before);
        assertEquals(List.of("notice.drafted"), types(events), "a draft moves no service");
        assertFalse(events.get(0).isPublic());
        assertEquals(id, ((NoticeEvent) events.get(0).event()).notice().id());
        assertTrue(domain.events().after(before, 100, true).isEmpty(), "the public log shows nothing");
    }

    @Test
    void publishingNowAnnouncesThePublicationAndEveryServiceItMoves() {
        long id = desk().createDraft(CLERK, outage("Cloud giù", null, null, Impact.onProvider(cloud, ServiceState.SUSPENDED, "giù")));
        long before = head();
        desk().publish(CLERK, id);
        List<LoggedEvent> events = since(before);
        assertEquals(List.of("notice.published", "service.state_changed"), types(events));
        NoticeEvent published = (NoticeEvent) events.get(0).event();
        assertEquals(List.of(new ServiceChange(registry, "anagrafe", "Anagrafe", "operational", "suspended")),
                published.services(), "named through its provider, with its state before and after");
        ServiceStateChanged moved = (ServiceStateChanged) events.get(1).event();
        assertEquals("anagrafe", moved.service().slug());
        assertEquals("notice.published", moved.cause());
        assertEquals(id, moved.causeNoticeId());
        assertTrue(events.stream().allMatch(LoggedEvent::isPublic));
        assertEquals(T0, events.get(0).at());
    }

    @Test
    void everyChangeOfAnAvvisoHasItsEvent() {
        long id = desk().createPublished(CLERK, outage("Portale lento", null, null, Impact.onService(portal, ServiceState.DEGRADED, "lento")));
        long before = head();
        clock.advance(Duration.ofMinutes(5));
        desk().addUpdate(CLERK, id, new UpdateInput("Ora è fermo.", List.of(Impact.onService(portal, ServiceState.SUSPENDED, "fermo")), false));
        desk().editText(CLERK, id, new TextInput("Portale fermo", "In breve", "Testo corretto.", "it"), null);
        desk().changeExpiry(CLERK, id, T0.plus(Duration.ofDays(2)));
        long attachment = desk().addAttachment(CLERK, id, "Comunicato", "comunicato.pdf",
                new NoticeDesk.StoredFile("x.pdf", "application/pdf", 10));
        desk().removeAttachment(CLERK, id, attachment);
        clock.advance(Duration.ofMinutes(5));
        desk().addUpdate(CLERK, id, new UpdateInput("Risolto.", List.of(), true));
        assertEquals(List.of("notice.updated", "service.state_changed", "notice.edited", "notice.expiry_changed",
                "notice.attachment_added", "notice.attachment_removed", "notice.resolved", "service.state_changed"),
                types(since(before)));
        ChangeEvent.NoticeUpdated first = (ChangeEvent.NoticeUpdated) since(before).get(0).event();
        assertEquals(1, first.number());
        assertEquals(List.of(new ServiceChange(portal, "portale", "Portale", "degraded", "suspended")), first.services());
        ServiceStateChanged back = (ServiceStateChanged) since(before).get(7).event();
        assertEquals("operational", back.service().after());
        assertEquals("notice.resolved", back.cause());
        long beforeWithdrawal = head();
        desk().withdraw(CLERK, id, "per errore");
        assertEquals(List.of("notice.withdrawn"), types(since(beforeWithdrawal)), "a closed avviso moves no service");
    }

    @Test
    void refusalsSayWhatAndChangeNothing() {
        long id = desk().createPublished(CLERK, outage("Guasto", null, null, Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        long before = head();
        Refusal again = assertThrows(Refusal.class, () -> desk().publish(CLERK, id));
        assertEquals(Refusal.Kind.CONFLICT, again.kind());
        assertEquals("admin.problem.not.draft", again.key());
        Refusal missing = assertThrows(Refusal.class, () -> desk().addUpdate(CLERK, 9999, new UpdateInput("x", List.of(), false)));
        assertEquals(Refusal.Kind.NOT_FOUND, missing.kind());
        Refusal stale = assertThrows(Refusal.class, () -> desk().editText(CLERK, id, new TextInput("t", "", "", "it"), "nonsense"));
        assertEquals("admin.problem.conflict", stale.key());
        Refusal noAttachment = assertThrows(Refusal.class, () -> desk().removeAttachment(CLERK, id, 4242));
        assertEquals("admin.problem.attachment.missing", noAttachment.key());
        long past = desk().createDraft(CLERK, outage("Programmato", T0.plus(Duration.ofHours(1)), null));
        clock.advance(Duration.ofHours(2));
        Refusal late = assertThrows(Refusal.class, () -> desk().publish(CLERK, past));
        assertEquals("admin.problem.publish.past", late.key());
        assertEquals(List.of(T0.plus(Duration.ofHours(1))), late.args(), "the instant, for the front end to word");
        desk().addUpdate(CLERK, id, new UpdateInput("Chiuso.", List.of(), true));
        Refusal closed = assertThrows(Refusal.class, () -> desk().addUpdate(CLERK, id, new UpdateInput("x", List.of(), false)));
        assertEquals("admin.problem.closed", closed.key());
        desk().withdraw(CLERK, id, "errore");
        Refusal withdrawn = assertThrows(Refusal.class, () -> desk().withdraw(CLERK, id, "ancora"));
        assertEquals("admin.problem.withdrawn", withdrawn.key());
        // the refused ones left no event; the draft, the resolution and the withdrawal did
        assertEquals(List.of("notice.drafted", "notice.resolved", "service.state_changed", "notice.withdrawn"),
                types(since(before)).stream().filter(t -> !t.equals("day.began")).toList());

        long a = domain.catalogDesk().createProvider(CLERK, new ProviderInput("rete", "Rete", "", Set.of()));
        long b = domain.catalogDesk().createProvider(CLERK, new ProviderInput("dati", "Dati", "", Set.of(a)));
        Refusal cycle = assertThrows(Refusal.class,
                () -> domain.catalogDesk().updateProvider(CLERK, a, new ProviderInput("rete", "Rete", "", Set.of(b))));
        assertEquals("depends_on", cycle.field());
        Refusal taken = assertThrows(Refusal.class, () -> domain.catalogDesk().createService(CLERK,
                new ServiceInput("portale", "Altro portale", "", group, List.of(), Set.of())));
        assertEquals("slug", taken.field());
        assertEquals(Refusal.Kind.NOT_FOUND, assertThrows(Refusal.class, () -> domain.catalogDesk().renameGroup(CLERK, 999, "x")).kind());
    }

    @Test
    void theCatalogueAnnouncesItsChanges() {
        long before = head();
        long id = domain.catalogDesk().createService(CLERK, new ServiceInput("tributi", "Tributi", "", group, List.of(), Set.of()));
        domain.catalogDesk().updateService(CLERK, id, new ServiceInput("tributi", "Tributi e tasse", "", group, List.of(), Set.of(cloud)));
        List<LoggedEvent> events = since(before);
        assertEquals(List.of("catalog.changed", "service.state_changed", "catalog.changed"), types(events),
                "a new service appears with its state (before: none)");
        assertNull(((ServiceStateChanged) events.get(1).event()).service().before());
        assertEquals(new ChangeEvent.CatalogChanged("service", id, "edited", "Tributi e tasse"), events.get(2).event());
    }

    @Test
    void timeBecomesEventsAtTheirInstantOnce() {
        Instant at = T0.plus(Duration.ofHours(1));
        Instant expiry = T0.plus(Duration.ofHours(3));
        long id = desk().createPublished(CLERK, outage("Domani", at, expiry, Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        long before = head();
        assertEquals(at, domain.ledger().horizon(), "the clock knows when");
        domain.ledger().tick();
        assertTrue(since(before).isEmpty(), "nothing is due yet");
        clock.set(at.plusMillis(400));
        domain.ledger().tick();
        domain.ledger().tick();
        List<LoggedEvent> events = since(before);
        assertEquals(List.of("notice.became_public", "service.state_changed"), types(events), "once");
        assertEquals(at, events.get(0).at(), "at the instant it fell due");
        assertEquals(expiry, domain.ledger().horizon());
        clock.set(expiry.plusSeconds(1));
        domain.ledger().tick();
        List<LoggedEvent> ended = since(events.get(1).seq());
        assertEquals(List.of("notice.expired", "service.state_changed"), types(ended));
        assertEquals(id, ended.get(0).event().noticeId());
        assertEquals("operational", ((ServiceStateChanged) ended.get(1).event()).service().after());
    }

    @Test
    void withoutAClockBeatingWhatIsReadHoldsUntilTheNextInstantTheSchedulesName() {
        // a tool (the static export) starts no clock: once an instant has passed unannounced, every page it
        // renders would otherwise read the whole model again (an export of the large comune: 45 s became 387 s)
        Instant at = T0.plus(Duration.ofHours(1));
        Instant expiry = T0.plus(Duration.ofHours(3));
        desk().createPublished(CLERK, outage("Domani", at, expiry, Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        Instant announced = domain.db().read(c -> domain.events().lastInstant(c));
        clock.set(at.plusSeconds(30));
        var first = domain.status().now();
        assertEquals(ServiceState.SUSPENDED, first.status(domain.services().load().service(portal).orElseThrow()).state(),
                "read at the instant, though nothing announced it");
        clock.set(at.plusSeconds(90));
        assertSame(first, domain.status().now(), "one read for every page until the expiry");
        assertEquals(expiry, first.validUntil());
        clock.set(expiry.plusSeconds(1));
        var after = domain.status().now();
        assertNotSame(first, after, "read again once the next instant has passed");
        assertEquals(ServiceState.OPERATIONAL, after.status(domain.services().load().service(portal).orElseThrow()).state());
        assertEquals(announced, domain.db().read(c -> domain.events().lastInstant(c)), "nothing announced: a tool writes no event");
    }

    @Test
    void aMaintenanceWindowOpensAndClosesAsEvents() {
        Instant start = T0.plus(Duration.ofHours(2));
        Instant end = start.plus(Duration.ofHours(4));
        desk().createPublished(CLERK, new NoticeInput(NoticeKind.MAINTENANCE, "pagoPA", "", "", "it", null, end, start, end,
                List.of(Impact.onService(portal, ServiceState.MAINTENANCE, "manutenzione")), NoticeDetails.NONE));
        long before = head();
        clock.set(end.plusSeconds(5));   // both edges fell due between two ticks: announced in order
        domain.ledger().tick();
        List<LoggedEvent> events = since(before);
        assertEquals(List.of("maintenance.started", "service.state_changed", "maintenance.ended", "service.state_changed"),
                types(events).stream().filter(t -> !t.equals("day.began")).toList(), "its expiry is its window's end");
        assertEquals(start, events.get(0).at());
    }

    @Test
    void whatFellDueWhileTheServerWasDownIsAnnouncedOnceAfterTheRestart() {
        Instant at = T0.plus(Duration.ofHours(1));
        Instant expiry = T0.plus(Duration.ofHours(2));
        desk().createPublished(CLERK, outage("Programmato", at, expiry, Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        long before = head();
        domain.close();
        clock.set(T0.plus(Duration.ofDays(1)));   // down across the publication, the expiry and a midnight
        domain = open();
        domain.ledger().tick();
        domain.ledger().tick();
        domain.close();
        domain = open();
        domain.ledger().tick();
        assertEquals(List.of("notice.became_public", "service.state_changed", "notice.expired", "service.state_changed",
                "day.began"), types(since(before)));
    }

    @Test
    void concurrentWritersGetStrictlyIncreasingNumbersInCommitOrder() throws Exception {
        long id = desk().createPublished(CLERK, outage("Lungo", null, null, Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        long before = head();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> numbers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            numbers.add(pool.submit(() -> {
                go.await();
                return desk().addUpdate(CLERK, id, new UpdateInput("Ancora giù.", List.of(), false));
            }));
        }
        go.countDown();
        for (Future<Integer> f : numbers) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        List<LoggedEvent> events = since(before);
        assertEquals(60, events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, ((ChangeEvent.NoticeUpdated) events.get(i).event()).number(),
                    "update n is the n-th event: the log is in commit order");
            if (i > 0) assertTrue(events.get(i).seq() > events.get(i - 1).seq());
        }
    }

    @Test
    void aFailingSubscriberBlocksNeitherTheWriteNorTheOthersAndCatchesUp() {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<Long> other = Collections.synchronizedList(new ArrayList<>());
        domain.subscribers().register("flaky", Delivery.BEFORE_ACKNOWLEDGEMENT, true, batch -> {
            if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("down");
            batch.forEach(e -> seen.add(e.seq()));
        });
        domain.subscribers().register("steady", Delivery.BEFORE_ACKNOWLEDGEMENT, false, batch -> batch.forEach(e -> other.add(e.seq())));
        long id = desk().createPublished(CLERK, outage("Uno", null, null));
        desk().addUpdate(CLERK, id, new UpdateInput("Due.", List.of(), false));
        assertEquals(2, other.size(), "the others heard at once");
        assertTrue(seen.isEmpty(), "the failing one did not");
        for (int i = 0; i < 20 && seen.size() < 2; i++) {
            clock.advance(Duration.ofMinutes(5));   // past its pause
            domain.subscribers().round();
        }
        assertEquals(other, seen, "every event, once, in order");
        assertEquals(0, domain.subscribers().status().stream().filter(s -> s.name().equals("flaky")).findFirst().orElseThrow().failures());
    }

    @Test
    void aDurableSubscriberResumesFromItsCursorAfterARestart() {
        List<Long> seen = new ArrayList<>();
        domain.subscribers().register("mirror", Delivery.BACKGROUND, true, batch -> batch.forEach(e -> seen.add(e.seq())));
        long id = desk().createPublished(CLERK, outage("Prima", null, null));
        domain.subscribers().round();
        assertEquals(1, seen.size());
        domain.close();
        domain = open();   // changes while the subscriber is not registered (a crash before delivery)
        desk().addUpdate(CLERK, id, new UpdateInput("Dopo.", List.of(), false));
        desk().addUpdate(CLERK, id, new UpdateInput("Ancora.", List.of(), false));
        List<Long> after = new ArrayList<>();
        domain.subscribers().register("mirror", Delivery.BACKGROUND, true, batch -> batch.forEach(e -> after.add(e.seq())));
        domain.subscribers().round();
        assertEquals(2, after.size(), "none missed, none repeated");
        assertTrue(after.get(0) > seen.get(0));
    }

    @Test
    void everyKindOfEventReadsBackAsItWasWritten() {
        desk().createDraft(CLERK, outage("Bozza", null, null, Impact.onService(portal, ServiceState.DEGRADED, "lento")));
        long id = desk().createPublished(CLERK, outage("Pubblicato", null, T0.plus(Duration.ofHours(1)),
                Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        desk().addUpdate(CLERK, id, new UpdateInput("Aggiornamento.", List.of(), false));
        clock.advance(Duration.ofDays(1));
        domain.ledger().tick();
        List<LoggedEvent> all = since(0);
        assertTrue(all.size() > 8);
        for (LoggedEvent e : all) {
            assertEquals(e.event(), domain.events().decode(e.event().getClass().getSimpleName(), domain.events().encode(e.event())));
        }
        // the public shape has no clerk's name: only what the page shows
        String json = domain.events().encode(all.get(all.size() - 1).event()) + all.stream()
                .map(e -> domain.events().encode(e.event())).reduce("", String::concat);
        assertFalse(json.contains("Giulia"), json);
    }
}
