package it.semaforo.app;

import it.semaforo.audit.AuditLog;
import it.semaforo.db.Database;
import it.semaforo.event.Clockwork;
import it.semaforo.event.EventLog;
import it.semaforo.event.Ledger;
import it.semaforo.event.Midnights;
import it.semaforo.event.Subscribers;
import it.semaforo.event.Subscribers.Delivery;
import it.semaforo.notice.Approvals;
import it.semaforo.notice.NoticeDesk;
import it.semaforo.notice.NoticeReview;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeSchedule;
import it.semaforo.service.CatalogDesk;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.status.StateDerivation;
import it.semaforo.status.StatusService;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;

/**
 * The domain assembled, without any output: the database, the event log and its clock, the
 * repositories, the use cases, the read model. The server (Semaforo), the command-line verbs
 * and the domain tests all start from here; outputs subscribe to its events afterwards.
 */
public record Domain(Database db, EventLog events, Ledger ledger, Subscribers subscribers, Clockwork clockwork,
                     ServiceCatalog services,
                     NoticeRepository notices, AuditLog audit, NoticeDesk noticeDesk, CatalogDesk catalogDesk,
                     StatusService status) implements AutoCloseable {

    public static Domain open(Path databaseFile, Clock clock, ZoneId zone, NoticeDesk.Wording wording) {
        return open(databaseFile, clock, zone, wording, NoticeReview.none());
    }

    /** review: which avvisi go out only once a second clerk approves them. */
    public static Domain open(Path databaseFile, Clock clock, ZoneId zone, NoticeDesk.Wording wording, NoticeReview review) {
        Database db = Database.open(databaseFile);
        EventLog events = new EventLog(db);
        Ledger ledger = new Ledger(db, events, clock);
        Subscribers subscribers = new Subscribers(events, clock);
        ServiceCatalog services = new ServiceCatalog(db, ledger, clock);
        NoticeRepository notices = new NoticeRepository(db, ledger, clock);
        ledger.derivation(new StateDerivation(services, notices));
        // what time changes by itself: the avvisi's moments, and each midnight (the histories move)
        ledger.schedule(new NoticeSchedule(notices));
        ledger.schedule(new Midnights(zone));
        ledger.subscribers(subscribers);
        // not started here: the server starts it (Semaforo.start); tools and domain tests tick by hand
        Clockwork clockwork = new Clockwork(ledger, subscribers);
        StatusService status = new StatusService(services, notices, clock, zone, clockwork::until);
        // the first subscriber: every output reads the model, which must forget what changed
        subscribers.register("read-model", Delivery.BEFORE_ACKNOWLEDGEMENT, false, batch -> status.invalidate());
        AuditLog audit = new AuditLog(db, clock);
        return new Domain(db, events, ledger, subscribers, clockwork, services, notices, audit,
                new NoticeDesk(ledger, notices, audit, wording, review, new Approvals(db)), new CatalogDesk(ledger, services, audit), status);
    }

    @Override
    public void close() {
        clockwork.close();
        db.close();
    }
}
