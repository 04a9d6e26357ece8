package it.semaforo.notify;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;
import it.semaforo.event.ChangeEvent;
import it.semaforo.event.LoggedEvent;
import it.semaforo.net.GuardedHttp;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook endpoints and the durable subscriber that queues their deliveries: every public
 * event within an endpoint's scope becomes an outbox row, in the same transaction as the
 * progress, so nothing is queued twice or lost.
 */
public final class Webhooks {
    static final String PROGRESS = "webhooks";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Outbox outbox;
    private final ServiceCatalog catalog;
    private final Clock clock;
    private final boolean allowPrivate;
    private final GuardedHttp.Lookup lookup;
    private volatile Runnable wake = () -> { };

    public Webhooks(Database db, Outbox outbox, ServiceCatalog catalog, Clock clock, boolean allowPrivate) {
        this(db, outbox, catalog, clock, allowPrivate, GuardedHttp.Lookup.SYSTEM);
    }

    /** With the resolver the sender uses too (a test answers as a rebinding DNS server would). */
    public Webhooks(Database db, Outbox outbox, ServiceCatalog catalog, Clock clock, boolean allowPrivate,
                    GuardedHttp.Lookup lookup) {
        this.lookup = lookup;
        this.db = db;
        this.outbox = outbox;
        this.catalog = catalog;
        this.clock = clock;
        this.allowPrivate = allowPrivate;
    }

    void onQueued(Runnable wake) {
        this.wake = wake;
    }

    public record Endpoint(long id, String url, String description, Choices choices, String secret, Instant createdAt,
                           Instant disabledAt, String disabledReason) {
        public boolean enabled() {
            return disabledAt == null;
        }
    }

    /** A delivery as the admin's log shows it. */
    public record Delivery(long id, String eventIds, String state, int attempts, Instant createdAt, Instant doneAt,
                           Instant dueAt, String lastError) {
    }

    /**
     * Why an address is refused as a destination, or empty when it is acceptable: the clerk's
     * answer at registration. What the name resolves to then is no promise for later: the sender
     * checks again the addresses it connects to (WebhookSender, net.GuardedHttp).
     */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return Optional.of("not an address");
        }
        if (url.length() > 2000) return Optional.of("longer than 2000 characters");
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) return Optional.of("only http and https");
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("a host, without user name or fragment");
        }
        if (allowPrivate) return Optional.empty();
        // the sender's own rule (net.GuardedHttp), asked here of the addresses the name has now
        var refused = GuardedHttp.refusing(false);
        try {
            for (InetAddress a : lookup.all(uri.getHost())) {
                if (refused.test(a)) return Optional.of("a loopback, private or link-local address (" + a.getHostAddress() + ")");
            }
        } catch (UnknownHostException e) {
            return Optional.of("unknown host");
        }
        return Optional.empty();
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /** A new endpoint; its secret is in the answer and never shown again. */
    public Endpoint create(String url, String description, Choices choices) {
        Optional<String> refused = refusal(url);
        if (refused.isPresent()) throw new IllegalArgumentException(refused.get());
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Instant now = clock.instant();
        long id = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_endpoint(url, description, everything, "
                    + "services, groups, kinds, secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Jdbc.keys())) {
                ps.setString(1, url);
                ps.setString(2, description);
                ps.setInt(3, choices.everything() ? 1 : 0);
                ps.setString(4, Choices.column(choices.services()));
                ps.setString(5, Choices.column(choices.groups()));
                ps.setString(6, Choices.column(choices.kinds()));
                ps.setString(7, secret);
                ps.setLong(8, now.toEpochMilli());
                return Jdbc.insert(ps);
            }
        });
        return find(id).orElseThrow();
    }

    public List<Endpoint> list() {
        return db.read(c -> {
            List<Endpoint> all = new ArrayList<>();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT * FROM webhook_endpoint ORDER BY id")) {
                while (rs.next()) all.add(row(rs));
            }
            return all;
        });
    }

    public Optional<Endpoint> find(long id) {
        return db.read(c -> find(c, id));
    }

    private static Optional<Endpoint> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM webhook_endpoint WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public void delete(long id) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notify_outbox WHERE endpoint_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_endpoint WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Enabled again by an administrator: new events are delivered again (those missed meanwhile are not). */
    public void enable(long id) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE webhook_endpoint SET disabled_at = NULL, disabled_reason = NULL WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /** After persistent failure: no new deliveries, those waiting are given up. */
    void disable(long id, String reason) {
        Instant now = clock.instant();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_endpoint SET disabled_at = ?, disabled_reason = ? "
                    + "WHERE id = ? AND disabled_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, reason.length() > 300 ? reason.substring(0, 300) : reason);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE notify_outbox SET state = 'failed', done_at = ?, "
                    + "last_error = 'endpoint disabled' WHERE endpoint_id = ? AND state = 'pending'")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** The latest deliveries of an endpoint, newest first. */
    public List<Delivery> deliveries(long endpointId, int limit) {
        return db.read(c -> {
            List<Delivery> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM notify_outbox WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, endpointId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(new Delivery(rs.getLong("id"), rs.getString("payload").replaceAll("[\\[\\]]", ""),
                                rs.getString("state"), rs.getInt("attempts"), Jdbc.instant(rs, "created_at"),
                                Jdbc.instant(rs, "done_at"), Jdbc.instant(rs, "due_at"), rs.getString("last_error")));
                    }
                }
            }
            return all;
        });
    }

    private static Endpoint row(ResultSet rs) throws SQLException {
        return new Endpoint(rs.getLong("id"), rs.getString("url"), rs.getString("description"),
                new Choices(rs.getInt("everything") == 1, Choices.ids(rs.getString("services")),
                        Choices.ids(rs.getString("groups")), Choices.words(rs.getString("kinds"))),
                rs.getString("secret"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "disabled_at"),
                rs.getString("disabled_reason"));
    }

    /** The event subscriber: public events within each enabled endpoint's scope, queued. */
    public void deliver(List<LoggedEvent> batch) {
        if (batch.stream().noneMatch(LoggedEvent::isPublic)) return;
        Instant now = clock.instant();
        boolean queued = db.write(c -> {
            long done;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM notify_progress WHERE name = ?")) {
                ps.setString(1, PROGRESS);
                try (ResultSet rs = ps.executeQuery()) {
                    done = rs.next() ? rs.getLong(1) : -1;
                }
            }
            List<Endpoint> endpoints = new ArrayList<>();
            try (var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT * FROM webhook_endpoint WHERE disabled_at IS NULL ORDER BY id")) {
                while (rs.next()) endpoints.add(row(rs));
            }
            // the catalogue only for an endpoint that chose services or groups: with none (most
            // comuni) the clock thread's round after each public change loaded it for nothing
            Catalog cat = endpoints.stream().allMatch(e -> e.choices().everything()) ? null : catalog.load(c);
            boolean any = false;
            for (LoggedEvent le : batch) {
                if (le.seq() <= done || !le.isPublic()) continue;
                for (Endpoint e : endpoints) {
                    if (inScope(e.choices(), le.event(), cat)) {
                        outbox.enqueueWebhook(c, e.id(), "[" + le.seq() + "]", now);
                        any = true;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_progress(name, seq) VALUES (?, ?) "
                    + "ON CONFLICT(name) DO UPDATE SET seq = MAX(seq, excluded.seq)")) {
                ps.setString(1, PROGRESS);
                ps.setLong(2, batch.get(batch.size() - 1).seq());
                ps.executeUpdate();
            }
            return any;
        });
        if (queued) wake.run();
    }

    static boolean inScope(Choices scope, ChangeEvent e, Catalog cat) {
        if (scope.everything()) return true;
        Set<Long> services = new HashSet<>();
        String kind = null;
        if (e instanceof ChangeEvent.NoticeEvent n) {
            kind = n.notice().kind();
            n.services().forEach(s -> services.add(s.id()));
        } else if (e instanceof ChangeEvent.ServiceStateChanged s) {
            services.add(s.service().id());
        } else {
            return false;   // the catalogue, imports: endpoints that follow everything only
        }
        Set<Long> groups = new HashSet<>();
        for (Service s : cat.services()) if (services.contains(s.id())) groups.add(s.groupId());
        return scope.follows(kind, services, groups);
    }
}
