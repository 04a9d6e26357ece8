package it.semaforo.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.db.Database;
import it.semaforo.event.ChangeEvent;
import it.semaforo.event.LoggedEvent;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.Catalog;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceState;
import it.semaforo.text.JsonText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clerks told too, each as they choose in their profile: an avviso whose scadenza falls within
 * 48 hours while the services it names are still not operational, a maintenance about to start,
 * a webhook or mail delivery that keeps failing, a subscriber's data request handled, a signal
 * raised by an upstream source or a probe (issue 22), accounts suspended for disuse (issue 23,
 * administrators only). Each alert
 * is queued once (notify_clerk_alert) with one outbox row per clerk who wants it, in one
 * transaction: the same outbox, and so the same guarantees, as the residents' mail. The row
 * carries what the mail says (titles, instants, names: no resident's address), so that it reads
 * the same whenever it goes out.
 */
public final class ClerkAlerts {
    /** An avviso still running this close to its scadenza is worth a clerk's look. */
    static final Duration EXPIRING = Duration.ofHours(48);
    /** A delivery failing this long is "keeps failing". */
    static final Duration FAILING = Duration.ofHours(1);

    /** What a clerk can be told; key: the column of notify_clerk and the alert's name in its row. */
    public enum Kind {
        EXPIRING("expiring", false), MAINTENANCE("maintenance", false), FAILING("failing", true), REQUESTS("requests", true),
        SIGNALS("signals", false), ACCOUNTS("accounts", true, true);

        private final String key;
        private final boolean administrators;
        private final boolean offered;

        Kind(String key, boolean administrators) {
            this(key, administrators, false);
        }

        Kind(String key, boolean administrators, boolean offered) {
            this.key = key;
            this.administrators = administrators;
            this.offered = offered;
        }

        public String key() {
            return key;
        }

        /** Deliveries and data requests are the administrators' business (their page is /admin/notifiche). */
        public boolean administratorsOnly() {
            return administrators;
        }

        /**
         * Ticked on a profile where nothing was chosen yet: accounts suspended for disuse are what
         * the access review tells administrators, so an administrator who gives an address gets
         * them unless they untick the box.
         */
        public boolean offeredByDefault() {
            return offered;
        }

        static Optional<Kind> of(String key) {
            for (Kind k : values()) if (k.key.equals(key)) return Optional.of(k);
            return Optional.empty();
        }
    }

    /** A clerk's choices: where to be told, and of what. */
    public record Preferences(long userId, String email, java.util.Set<Kind> kinds) {
        public boolean wants(Kind k) {
            return kinds.contains(k);
        }
    }

    private final Database db;
    private final Outbox outbox;
    private final NoticeRepository notices;
    private final ServiceCatalog catalog;
    private final Clock clock;
    private final Duration maintenanceBefore;

    /** Rows queued here are found by the mail sender's next look (within a second): no wake-up needed. */
    ClerkAlerts(Database db, Outbox outbox, NoticeRepository notices, ServiceCatalog catalog, Clock clock,
                Duration maintenanceBefore) {
        this.db = db;
        this.outbox = outbox;
        this.notices = notices;
        this.catalog = catalog;
        this.clock = clock;
        this.maintenanceBefore = maintenanceBefore;
    }

    /** The address as the sign-up form accepts it (one plain addr-spec, A-label domain), or empty. */
    public static Optional<String> address(String raw) {
        return SubscriptionRoutes.normalise(raw == null ? "" : raw.strip());
    }

    // ---- the profile ---------------------------------------------------------------------------

    public Optional<Preferences> preferences(long userId) {
        return db.read(c -> preferences(c, userId));
    }

    /**
     * A clerk's choices, only while their account is active, and the administrators' kinds only
     * while they are one (the accounts are the clerks' area's; read here only to stop telling
     * someone who left, or who was queued an alert as an administrator and is one no more).
     */
    private static Optional<Preferences> preferences(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT k.*, u.role FROM notify_clerk k JOIN app_user u ON u.id = k.user_id "
                + "WHERE k.user_id = ? AND u.active = 1")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Preferences row(ResultSet rs) throws SQLException {
        java.util.Set<Kind> kinds = java.util.EnumSet.noneOf(Kind.class);
        boolean administrator = "amministratore".equals(rs.getString("role"));
        for (Kind k : Kind.values()) if (rs.getInt(k.key()) == 1 && (administrator || !k.administratorsOnly())) kinds.add(k);
        return new Preferences(rs.getLong("user_id"), rs.getString("email"), kinds);
    }

    /** Saves a clerk's choices; no kind chosen forgets the address too. */
    public void save(long userId, String email, java.util.Set<Kind> kinds) {
        Instant now = clock.instant();
        db.write(c -> {
            if (kinds.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM notify_clerk WHERE user_id = ?")) {
                    ps.setLong(1, userId);
                    return ps.executeUpdate();
                }
            }
            // one column per kind (the kinds' keys are the columns' names)
            StringBuilder columns = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            StringBuilder updates = new StringBuilder();
            for (Kind k : Kind.values()) {
                columns.append(", ").append(k.key());
                marks.append(", ?");
                updates.append(", ").append(k.key()).append(" = excluded.").append(k.key());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_clerk(user_id, email" + columns
                    + ", updated_at) VALUES (?, ?" + marks + ", ?) ON CONFLICT(user_id) DO UPDATE SET email = excluded.email"
                    + updates + ", updated_at = excluded.updated_at")) {
                ps.setLong(1, userId);
                ps.setString(2, email);
                int i = 3;
                for (Kind k : Kind.values()) ps.setInt(i++, kinds.contains(k) ? 1 : 0);
                ps.setLong(i, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    // ---- what makes an alert ------------------------------------------------------------------

    /** The alerts that time brings (scadenze, maintenances): run by the mail sender every minute. */
    int run() {
        Instant now = clock.instant();
        int queued = 0;
        Catalog cat = null;
        for (Notice n : notices.expiringWithin(now, EXPIRING)) {
            if (cat == null) cat = catalog.load();
            List<String> down = stillDown(n, cat);
            if (down.isEmpty()) continue;
            ObjectNode p = JsonText.MAPPER.createObjectNode();
            p.put("notice", n.id()).put("title", n.title()).put("at", n.expiresAt().toEpochMilli());
            p.putArray("services").addAll(down.stream().map(JsonText.MAPPER.getNodeFactory()::textNode).toList());
            if (queue(Kind.EXPIRING, n.id() + "@" + n.expiresAt().toEpochMilli(), p)) queued++;
        }
        if (!maintenanceBefore.isZero()) {
            for (Notice n : notices.publicNotices(now)) {
                if (n.kind() != NoticeKind.MAINTENANCE || n.withdrawnAt() != null || n.closedAt() != null) continue;
                if (n.windowStart() == null || !n.windowStart().isAfter(now) || n.windowStart().isAfter(now.plus(maintenanceBefore))) continue;
                if (cat == null) cat = catalog.load();
                Catalog names = cat;
                ObjectNode p = JsonText.MAPPER.createObjectNode();
                p.put("notice", n.id()).put("title", n.title()).put("at", n.windowStart().toEpochMilli());
                p.putArray("services").addAll(MaintenanceReminders.services(n, cat).stream().sorted()
                        .map(id -> names.service(id).map(s -> s.name()).orElse("#" + id))
                        .map(JsonText.MAPPER.getNodeFactory()::textNode).toList());
                if (queue(Kind.MAINTENANCE, n.id() + "@" + n.windowStart().toEpochMilli(), p)) queued++;
            }
        }
        return queued;
    }

    /**
     * The names of the services and providers an avviso names whose latest state in it is not
     * operational (the Massa seed: the scadenza passed while the outage went on).
     */
    static List<String> stillDown(Notice n, Catalog cat) {
        Map<String, Impact> latest = new LinkedHashMap<>();
        Comparator<Impact> order = Comparator.comparing((Impact i) -> i.effectiveFrom() == null ? Instant.EPOCH : i.effectiveFrom())
                .thenComparing(i -> i.updateId() == null ? 0L : i.updateId());
        for (Impact i : n.impacts()) latest.merge(i.targetKey(), i, (a, b) -> order.compare(a, b) >= 0 ? a : b);
        List<String> down = new ArrayList<>();
        for (Impact i : latest.values()) {
            if (i.state() == ServiceState.OPERATIONAL) continue;
            if (i.serviceId() != null) down.add(cat.service(i.serviceId()).map(s -> s.name()).orElse("#" + i.serviceId()));
            else down.add(cat.providers().stream().filter(p -> p.id() == i.providerId()).map(p -> p.name()).findFirst()
                    .orElse("#" + i.providerId()));
        }
        return down;
    }

    /**
     * A delivery that keeps failing: channel "webhook" (target: the endpoint's address) or "mail";
     * disabled: the endpoint was switched off for it. At most one alert a day per channel and target,
     * and one for each disabling.
     */
    void failing(String channel, long targetId, String target, String error, Instant since, boolean disabled) {
        Instant now = clock.instant();
        ObjectNode p = JsonText.MAPPER.createObjectNode();
        p.put("channel", channel).put("target", target).put("error", error == null ? "" : error)
                .put("since", since.toEpochMilli()).put("disabled", disabled);
        String ref = channel + ":" + targetId + (disabled ? ":disabled@" + now.toEpochMilli() : ":" + LocalDate.ofInstant(now, java.time.ZoneOffset.UTC));
        queue(Kind.FAILING, ref, p);
    }

    /**
     * Signals raised by an upstream source or a probe (event.ChangeEvent.SignalRaised, never
     * public): one alert per signal to each clerk who chose it. A durable subscriber of the log,
     * so a signal raised while the mail server was away is told once it is back, and a batch
     * delivered again after a crash queues nothing twice (the alert's mark, kind and signal).
     */
    void signals(List<LoggedEvent> events) {
        for (LoggedEvent e : events) {
            if (!(e.event() instanceof ChangeEvent.SignalRaised s)) continue;
            ObjectNode p = JsonText.MAPPER.createObjectNode();
            p.put("signal", s.signalId()).put("source", s.source()).put("state", s.state()).put("recovery", s.recovery())
                    .put("title", s.title()).put("link", s.link()).put("at", e.at().toEpochMilli());
            queue(Kind.SIGNALS, String.valueOf(s.signalId()), p);
        }
    }

    /** An account suspended for disuse, as the administrators' alert names it. */
    public record SuspendedAccount(String username, String displayName) {
    }

    /**
     * Accounts suspended for disuse by the access review (issue 23): one alert per batch to each
     * administrator who chose it, in the suspension's own transaction, so that both commit or
     * neither does: a day-began handled again (a retried subscriber, a restart) finds nothing left
     * to suspend and queues nothing. The accounts just suspended are no longer active, so an
     * administrator suspended in the batch is not written to. ref: the batch's instant and
     * accounts, so that the same batch cannot be queued twice whoever calls.
     */
    public void accountsSuspended(Connection c, List<SuspendedAccount> accounts, Instant at, Duration unusedFor) throws SQLException {
        if (accounts.isEmpty()) return;
        ObjectNode p = JsonText.MAPPER.createObjectNode();
        p.put("at", at.toEpochMilli()).put("days", unusedFor.toDays());
        var list = p.putArray("accounts");
        for (SuspendedAccount a : accounts) list.addObject().put("username", a.username()).put("name", a.displayName());
        String ref = at.toEpochMilli() + ":" + String.join(",", accounts.stream().map(SuspendedAccount::username).toList());
        queue(c, Kind.ACCOUNTS, ref, p, clock.instant());
    }

    /** A subscriber's data request handled (action: export or erase), in the caller's transaction (its audit entry's). */
    public void requestHandled(Connection c, String action, String by) throws SQLException {
        Instant now = clock.instant();
        ObjectNode p = JsonText.MAPPER.createObjectNode();
        p.put("action", action).put("by", by).put("at", now.toEpochMilli());
        queue(c, Kind.REQUESTS, action + "@" + now.toEpochMilli() + "@" + Tokens.random().substring(0, 8), p, now);
    }

    private boolean queue(Kind kind, String ref, ObjectNode payload) {
        Instant now = clock.instant();
        return db.write(c -> queue(c, kind, ref, payload, now));
    }

    /** Once per kind and ref: the alert's mark and one row per clerk who wants it, in the caller's transaction. */
    private boolean queue(Connection c, Kind kind, String ref, ObjectNode payload, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO notify_clerk_alert(kind, ref, queued_at) VALUES (?, ?, ?)")) {
            ps.setString(1, kind.key());
            ps.setString(2, ref);
            ps.setLong(3, now.toEpochMilli());
            if (ps.executeUpdate() == 0) return false;
        }
        List<Long> clerks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.user_id FROM notify_clerk k JOIN app_user u ON u.id = k.user_id "
                + "WHERE u.active = 1 AND k." + kind.key() + " = 1" + (kind.administratorsOnly() ? " AND u.role = 'amministratore'" : "")
                + " ORDER BY k.user_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) clerks.add(rs.getLong(1));
            }
        }
        for (long user : clerks) {
            ObjectNode p = payload.deepCopy();
            p.put("user", user).put("alert", kind.key());
            outbox.enqueue(c, "clerk", null, p.toString(), now);
        }
        return true;
    }

    /** The clerk a row is for, if they still want that kind of alert (they may have changed their mind since). */
    Optional<Preferences> recipient(long userId, String alert) {
        Optional<Kind> kind = Kind.of(alert);
        if (kind.isEmpty()) return Optional.empty();
        return preferences(userId).filter(p -> p.wants(kind.get()));
    }
}
