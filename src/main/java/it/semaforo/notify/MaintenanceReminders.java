package it.semaforo.notify;

import it.semaforo.db.Database;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reminder before a planned maintenance (notify.maintenance.reminder.hours, default 24):
 * when a public maintenance's window opens within that time, one outbox row per follower, once
 * per maintenance (notify_reminder, written in the same transaction).
 */
final class MaintenanceReminders {
    private final Database db;
    private final NoticeRepository notices;
    private final Subscriptions subscriptions;
    private final ServiceCatalog catalog;
    private final Outbox outbox;
    private final Clock clock;
    private final Duration before;

    MaintenanceReminders(Database db, NoticeRepository notices, Subscriptions subscriptions, ServiceCatalog catalog,
                         Outbox outbox, Clock clock, Duration before) {
        this.db = db;
        this.notices = notices;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.outbox = outbox;
        this.clock = clock;
        this.before = before;
    }

    /** Queues the reminders now due; returns how many maintenances they were for. */
    int run() {
        if (before.isZero()) return 0;
        Instant now = clock.instant();
        List<Notice> due = notices.publicNotices(now).stream()
                .filter(n -> n.kind() == NoticeKind.MAINTENANCE && n.withdrawnAt() == null && n.closedAt() == null)
                .filter(n -> n.windowStart() != null && n.windowStart().isAfter(now) && !n.windowStart().isAfter(now.plus(before)))
                .toList();
        if (due.isEmpty()) return 0;
        Catalog cat = catalog.load();
        return db.write(c -> {
            int count = 0;
            List<Subscriber> active = null;
            for (Notice n : due) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT OR IGNORE INTO notify_reminder(notice_id, queued_at) VALUES (?, ?)")) {
                    ps.setLong(1, n.id());
                    ps.setLong(2, now.toEpochMilli());
                    if (ps.executeUpdate() == 0) continue;   // already reminded
                }
                count++;
                Set<Long> services = services(n, cat);
                Set<Long> groups = new HashSet<>();
                for (Service s : cat.services()) if (services.contains(s.id())) groups.add(s.groupId());
                if (active == null) active = subscriptions.active(c);
                for (Subscriber s : active) {
                    if (s.choices().follows(n.kind().key(), services, groups)) {
                        outbox.enqueue(c, "maintenance", s.id(), "{\"notice\":" + n.id() + "}", now);
                    }
                }
            }
            return count;
        });
    }

    /** The services a maintenance names, directly or through the providers they depend on. */
    static Set<Long> services(Notice n, Catalog cat) {
        Set<Long> ids = new HashSet<>();
        for (Impact i : n.impacts()) {
            if (i.serviceId() != null) ids.add(i.serviceId());
            else for (Service s : cat.services()) if (s.providerIds().contains(i.providerId())) ids.add(s.id());
        }
        return ids;
    }
}
