package it.semaforo.signal;

import it.semaforo.audit.Actor;
import it.semaforo.audit.AuditLog;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;
import it.semaforo.event.ChangeEvent.ProviderReported;
import it.semaforo.event.ChangeEvent.SignalDecided;
import it.semaforo.event.ChangeEvent.SignalRaised;
import it.semaforo.event.Ledger;
import it.semaforo.event.Refusal;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeDesk;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.notice.UpdateInput;
import it.semaforo.service.Catalog;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Signals in: what a source says becomes a signal when it changes, recorded and announced
 * (SignalRaised) in one transaction through the ledger, with its proposal audited; a clerk
 * disposes of it, publishing the proposed avviso (or its closing update, for a recovery)
 * through notice.NoticeDesk in the same transaction as the signal's outcome, drafting it, or
 * dismissing it. Nothing here is public except what a clerk marks as reported by a provider.
 */
public final class SignalDesk {
    private static final Logger log = LoggerFactory.getLogger(SignalDesk.class);
    /** Who publishes when automatic publication is on for a source. */
    public static final Actor AUTOMATIC = new Actor(null, "segnalazioni", "Segnalazioni automatiche", "");

    private final Database db;
    private final Ledger ledger;
    private final Sources sources;
    private final NoticeDesk noticeDesk;
    private final NoticeRepository notices;
    private final ServiceCatalog services;
    private final AuditLog audit;
    private final Clock clock;
    private final Wording wording;
    private final String language;

    /** The words of proposals and audit lines, in the clerks' area's language (handed in: the domain words nothing). */
    public interface Wording {
        /** The proposed avviso's title. */
        String title(String source, String upstreamTitle);

        /** The proposed avviso's body: the upstream's words quoted, and the link. */
        String body(String source, String text, String link);

        /** The closing update proposed by a recovery. */
        String closing(String source, String text, String link);

        /** The reason next to the proposed state. */
        String reason(String source);

        /** Audit summaries. */
        String audit(String action, String subject);

        /** What a probe says after n failures in a row, and after n successes. */
        String probeDown(String source, int failures);

        String probeUp(String source, int successes);

        /** A poller's stored error (a message key and its arguments, one a line) in words. */
        String error(String stored);
    }

    public SignalDesk(Database db, Ledger ledger, Sources sources, NoticeDesk noticeDesk, NoticeRepository notices,
                      ServiceCatalog services, AuditLog audit, Clock clock, Wording wording, String language) {
        this.db = db;
        this.ledger = ledger;
        this.sources = sources;
        this.noticeDesk = noticeDesk;
        this.notices = notices;
        this.services = services;
        this.audit = audit;
        this.clock = clock;
        this.wording = wording;
        this.language = language;
    }

    public Sources sources() {
        return sources;
    }

    // ---- sources, configured by administrators --------------------------------------------

    public long addSource(Actor actor, SourceInput in) {
        return db.write(c -> {
            long id = sources.create(c, in, clock.instant());
            audit.record(c, actor, "signal.source.create", "signal_source", id, wording.audit("source.create", in.name()), null,
                    Map.of("kind", in.kind().key(), "url", in.url()));
            return id;
        });
    }

    /** An administrator's changes to a source (its kind stays), audited with what it was and what it is. */
    public void updateSource(Actor actor, long id, SourceInput in) {
        db.write(c -> {
            Source s = sources.find(c, id).orElseThrow(() -> Refusal.notFound("admin.signals.problem.source"));
            if (s.kind() != in.kind()) throw Refusal.conflict("admin.signals.problem.kind");
            boolean restart = !s.url().equals(in.url()) || !s.selector().equals(in.selector());
            sources.update(c, id, in, restart);
            audit.record(c, actor, "signal.source.update", "signal_source", id, wording.audit("source.update", in.name()),
                    described(s.name(), s.url(), s.providerId(), s.serviceId(), s.selector(), s.proposedState(), s.interval(),
                            s.timeout(), s.expectedStatus(), s.threshold(), s.autoPublish(), s.publicMeasurements()),
                    described(in.name(), in.url(), in.providerId(), in.serviceId(), in.selector(), in.proposedState(),
                            in.interval(), in.timeout(), in.expectedStatus(), in.threshold(), in.autoPublish(),
                            in.publicMeasurements()));
            return null;
        });
    }

    private static Map<String, Object> described(String name, String url, Long provider, Long service, String selector,
                                                 ServiceState state, java.time.Duration interval, java.time.Duration timeout,
                                                 int expected, int threshold, boolean auto, boolean publicMeasurements) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("url", url);
        m.put("target", provider != null ? "provider:" + provider : "service:" + service);
        m.put("selector", selector);
        m.put("state", state.key());
        m.put("interval_seconds", interval.toSeconds());
        m.put("timeout_seconds", timeout.toSeconds());
        m.put("expected_status", expected);
        m.put("threshold", threshold);
        m.put("auto_publish", auto);
        m.put("public_measurements", publicMeasurements);
        return m;
    }

    /** Pauses (enabled false) or resumes a source; nothing is written, nor audited, when it already is so. */
    public void enableSource(Actor actor, long id, boolean enabled) {
        db.write(c -> {
            Source s = sources.find(c, id).orElseThrow(() -> Refusal.notFound("admin.signals.problem.source"));
            if (s.enabled() == enabled) return null;
            sources.enable(c, id, enabled);
            audit.record(c, actor, enabled ? "signal.source.resume" : "signal.source.pause", "signal_source", id,
                    wording.audit(enabled ? "source.resume" : "source.pause", s.name()), Map.of("enabled", s.enabled()),
                    Map.of("enabled", enabled));
            return null;
        });
    }

    public void removeSource(Actor actor, long id) {
        db.write(c -> {
            Source s = sources.find(c, id).orElseThrow(() -> Refusal.notFound("admin.signals.problem.source"));
            sources.delete(c, id);
            audit.record(c, actor, "signal.source.delete", "signal_source", id, wording.audit("source.delete", s.name()),
                    Map.of("kind", s.kind().key(), "url", s.url()), null);
            return null;
        });
    }

    // ---- what sources say ----------------------------------------------------------------

    /**
     * What a source says now. A change of state becomes a signal (a worse state, or a recovery
     * to operational after a worse one); a feed's new entry is a signal with the source's
     * proposed state. The first reading of a source that is well, and a feed's first entries,
     * only set where it starts from. Returns the new signal's id, if any.
     */
    public Optional<Long> observe(long sourceId, Reading r) {
        Source s = sources.find(sourceId).orElse(null);
        if (s == null) return Optional.empty();   // removed while its answer was on the way
        String position = s.kind() == SourceKind.FEED && r.key() != null ? r.key() : null;
        ServiceState state = raises(s, r);
        if (state == null) {
            // most polls: nothing moved, and nothing is announced (the ledger's work is for changes)
            db.write(c -> {
                sources.says(c, s.id(), r, clock.instant());
                if (position != null) sources.position(c, s.id(), position);
                return null;
            });
            return Optional.empty();
        }
        // a recovery, whatever the kind: back to operational (a feed's entry that says it is resolved)
        boolean recovery = state == ServiceState.OPERATIONAL;
        long id = ledger.write(tx -> {
            Connection c = tx.connection();
            sources.says(c, s.id(), r, tx.now());
            if (position != null) sources.position(c, s.id(), position);
            long signal = insert(c, s, tx.now(), state, recovery, r);
            audit.record(c, AUTOMATIC, "signal.propose", "signal", signal, wording.audit("propose", s.name() + ": " + r.title()),
                    null, Map.of("state", state.key(), "recovery", recovery, "link", r.link()));
            tx.announce(new SignalRaised(signal, s.id(), s.name(), state.key(), recovery, Sources.cut(r.title(), 200), r.link()));
            return signal;
        });
        if (s.autoPublish()) {
            try {
                accept(AUTOMATIC, id, true);
            } catch (Refusal e) {
                // left open on the dashboard: a clerk decides (say, there is nothing open to close)
                log.info("signal {} of source {} not published automatically: {}", id, s.name(), e.key());
            }
        }
        return Optional.of(id);
    }

    /**
     * A probe's measurement: kept (90 days), and after threshold failures in a row it says the
     * source's proposed state, after threshold successes operational again (a recovery).
     */
    public Optional<Long> probed(long sourceId, ProbeResult r, String error) {
        int streak = sources.measured(sourceId, r, error);
        Source s = sources.find(sourceId).orElse(null);
        if (s == null) return Optional.empty();
        if (streak <= -s.threshold()) {
            return observe(sourceId, new Reading(s.proposedState(), wording.probeDown(s.name(), -streak),
                    error == null ? "" : wording.error(error), s.url(), null));
        }
        if (streak >= s.threshold()) {
            return observe(sourceId, new Reading(ServiceState.OPERATIONAL, wording.probeUp(s.name(), streak), "", s.url(), null));
        }
        return Optional.empty();
    }

    /** The state a reading proposes, or null when it raises nothing (one poller per source: no race with itself). */
    private static ServiceState raises(Source s, Reading r) {
        if (s.kind() == SourceKind.FEED) {
            if (r.key() == null || r.key().equals(s.position())) return null;
            if (s.position().isEmpty()) return null;   // the entries already there when it was added
            return r.state() == ServiceState.OPERATIONAL ? ServiceState.OPERATIONAL : s.proposedState();
        }
        ServiceState was = s.saysState();
        if (r.state() == null || r.state() == was) return null;
        if (r.state() == ServiceState.OPERATIONAL && (was == null || was == ServiceState.OPERATIONAL)) return null;
        return r.state();
    }

    private long insert(Connection c, Source s, Instant now, ServiceState state, boolean recovery, Reading r)
            throws SQLException {
        // the source's earlier open signals are out of date: the dashboard shows what it says now
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE signal SET outcome = 'superseded', decided_at = ? WHERE source_id = ? AND outcome = 'open'")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setLong(2, s.id());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO signal(source_id, at, state, recovery, title, text, link) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                Jdbc.keys())) {
            ps.setLong(1, s.id());
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, state.key());
            ps.setInt(4, recovery ? 1 : 0);
            ps.setString(5, Sources.cut(r.title().isBlank() ? s.name() : r.title(), 500));
            ps.setString(6, Sources.cut(r.text(), 4000));
            ps.setString(7, Sources.cut(r.link(), 2000));
            return Jdbc.insert(ps);
        }
    }

    // ---- what clerks see and do ----------------------------------------------------------

    public List<Signal> open() {
        return db.read(c -> query(c, "WHERE outcome = 'open' ORDER BY at DESC, id DESC LIMIT 100"));
    }

    public List<Signal> recent(long sourceId, int limit) {
        return db.read(c -> query(c, "WHERE source_id = " + sourceId + " ORDER BY at DESC, id DESC LIMIT " + limit));
    }

    public Optional<Signal> find(long id) {
        return db.read(c -> find(c, id));
    }

    private Optional<Signal> find(Connection c, long id) throws SQLException {
        List<Signal> l = query(c, "WHERE id = " + id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /**
     * What a proposal would publish: a new avviso (notice); or, while an avviso an earlier signal
     * of the same source published is still open (updates), its update: the new state for a
     * worse or different one, its end for a recovery (update.closes()).
     */
    public record Proposal(Signal signal, Source source, NoticeInput notice, Long updates, UpdateInput update) {
        /** The avviso a recovery would close, or null. */
        public Long closes() {
            return update != null && update.closes() ? updates : null;
        }
    }

    public Proposal proposal(long signalId) {
        return db.read(c -> proposal(c, find(c, signalId).orElseThrow(() -> Refusal.notFound("admin.signals.problem.signal"))));
    }

    private Proposal proposal(Connection c, Signal sig) throws SQLException {
        Source s = sources.find(c, sig.sourceId()).orElseThrow(() -> Refusal.notFound("admin.signals.problem.source"));
        Long open = openNotice(c, s.id());
        if (sig.recovery()) {
            UpdateInput update = new UpdateInput(wording.closing(s.name(), sig.text().isBlank() ? sig.title() : sig.text(),
                    sig.link()), List.of(), true);
            return new Proposal(sig, s, null, open, update);
        }
        String reason = Sources.cut(wording.reason(s.name()), 300);
        Impact impact = s.providerId() != null ? Impact.onProvider(s.providerId(), sig.state(), reason)
                : Impact.onService(s.serviceId(), sig.state(), reason);
        if (open != null) {
            // the same source's avviso is still in force: its next update, with the state the upstream says now
            UpdateInput update = new UpdateInput(Sources.cut(wording.body(s.name(), sig.text().isBlank() ? sig.title() : sig.text(),
                    sig.link()), 50_000), List.of(impact), false);
            return new Proposal(sig, s, null, open, update);
        }
        String summary = sig.text().isBlank() ? sig.title() : sig.text();
        NoticeInput in = new NoticeInput(NoticeKind.OUTAGE, Sources.cut(wording.title(s.name(), sig.title()), 200),
                Sources.cut(summary, 500), Sources.cut(wording.body(s.name(), sig.text(), sig.link()), 50_000), language,
                null, null, null, null, List.of(impact), NoticeDetails.NONE);
        return new Proposal(sig, s, in, null, null);
    }

    /** The avviso still open that an earlier signal of this source published, if any. */
    private Long openNotice(Connection c, long sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT notice_id FROM signal WHERE source_id = ? AND notice_id IS NOT NULL
                  AND outcome IN ('published', 'automatic') AND recovery = 0 ORDER BY at DESC, id DESC""")) {
            ps.setLong(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Optional<Notice> n = notices.find(c, rs.getLong(1));
                    if (n.isPresent() && n.get().status() == NoticeStatus.PUBLISHED && n.get().closedAt() == null) {
                        return n.get().id();
                    }
                }
            }
        }
        return null;
    }

    /** Publishes the proposal in one click: the avviso (or its closing update) and the signal's outcome in one transaction. */
    public long accept(Actor actor, long signalId) {
        return accept(actor, signalId, false);
    }

    private long accept(Actor actor, long signalId, boolean automatic) {
        return ledger.write(tx -> {
            Connection c = tx.connection();
            Signal sig = openSignal(c, signalId);
            Proposal p = proposal(c, sig);
            long noticeId;
            if (sig.recovery() || p.update() != null) {
                if (p.updates() == null) throw Refusal.conflict("admin.signals.problem.nothing.to.close");
                noticeDesk.addUpdate(tx, actor, p.updates(), p.update());
                noticeId = p.updates();
            } else {
                noticeId = noticeDesk.createPublished(tx, actor, p.notice());
            }
            String outcome = automatic ? "automatic" : "published";
            decide(c, signalId, outcome, noticeId, actor, tx.now());
            audit.record(c, actor, "signal.accept", "signal", signalId, wording.audit("accept", p.source().name()), null,
                    Map.of("notice", noticeId, "outcome", outcome));
            tx.announce(new SignalDecided(signalId, outcome, noticeId));
            return noticeId;
        });
    }

    /** The proposal as a draft, for a clerk who wants to change it first; returns the draft's id. */
    public long draft(Actor actor, long signalId) {
        return ledger.write(tx -> {
            Connection c = tx.connection();
            Signal sig = openSignal(c, signalId);
            if (sig.recovery()) throw Refusal.conflict("admin.signals.problem.recovery.draft");
            Proposal p = proposal(c, sig);
            if (p.notice() == null) throw Refusal.conflict("admin.signals.problem.update.draft");
            long id = noticeDesk.createDraft(tx, actor, p.notice());
            decide(c, signalId, "drafted", id, actor, tx.now());
            audit.record(c, actor, "signal.draft", "signal", signalId, wording.audit("draft", p.source().name()), null,
                    Map.of("notice", id));
            tx.announce(new SignalDecided(signalId, "drafted", id));
            return id;
        });
    }

    public void dismiss(Actor actor, long signalId) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Signal sig = openSignal(c, signalId);
            decide(c, signalId, "dismissed", null, actor, tx.now());
            audit.record(c, actor, "signal.dismiss", "signal", signalId, wording.audit("dismiss", sig.title()), null, null);
            tx.announce(new SignalDecided(signalId, "dismissed", null));
            return null;
        });
    }

    private Signal openSignal(Connection c, long id) throws SQLException {
        Signal sig = find(c, id).orElseThrow(() -> Refusal.notFound("admin.signals.problem.signal"));
        if (!sig.open()) throw Refusal.conflict("admin.signals.problem.decided");
        return sig;
    }

    private static void decide(Connection c, long id, String outcome, Long noticeId, Actor actor, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE signal SET outcome = ?, notice_id = ?, decided_at = ?, decided_by = ? WHERE id = ?")) {
            ps.setString(1, outcome);
            Jdbc.setLong(ps, 2, noticeId);
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, actor.displayName());
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    private static List<Signal> query(Connection c, String where) throws SQLException {
        List<Signal> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, source_id, at, state, recovery, title, text, link, outcome, "
                + "notice_id, decided_at, decided_by FROM signal " + where);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.add(new Signal(rs.getLong("id"), rs.getLong("source_id"), Jdbc.instant(rs, "at"),
                        ServiceState.of(rs.getString("state")), rs.getInt("recovery") == 1, rs.getString("title"),
                        rs.getString("text"), rs.getString("link"), rs.getString("outcome"), Jdbc.nullableLong(rs, "notice_id"),
                        Jdbc.instant(rs, "decided_at"), rs.getString("decided_by")));
            }
        }
        return all;
    }

    // ---- "Segnalato dal fornitore" -------------------------------------------------------

    /** Marks (text set) or clears (text blank) what a provider reports of itself, publicly. */
    public void report(Actor actor, long providerId, String text, String link) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Catalog cat = services.load(c);
            String name = cat.provider(providerId).orElseThrow(() -> Refusal.notFound("admin.signals.problem.provider")).name();
            ProviderReport before = report(c, providerId);
            boolean clear = text == null || text.isBlank();
            if (clear) {
                if (before == null) return null;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM provider_report WHERE provider_id = ?")) {
                    ps.setLong(1, providerId);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO provider_report(provider_id, text, link, at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(provider_id) DO UPDATE SET text = excluded.text, link = excluded.link, at = excluded.at""")) {
                    ps.setLong(1, providerId);
                    ps.setString(2, text.strip());
                    ps.setString(3, link == null ? "" : link.strip());
                    ps.setLong(4, tx.now().toEpochMilli());
                    ps.executeUpdate();
                }
            }
            audit.record(c, actor, "provider.report", "provider", providerId, wording.audit(clear ? "report.clear" : "report", name),
                    before == null ? null : Map.of("text", before.text(), "link", before.link()),
                    clear ? null : Map.of("text", text.strip(), "link", link == null ? "" : link.strip()));
            tx.announce(new ProviderReported(providerId, name, clear ? null : text.strip(), clear ? null : Objects.toString(link, "").strip()));
            return null;
        });
    }

    /** Every provider's mark, by provider. */
    public Map<Long, ProviderReport> reports() {
        return db.read(c -> {
            Map<Long, ProviderReport> all = new java.util.LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT provider_id, text, link, at FROM provider_report");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.put(rs.getLong(1), new ProviderReport(rs.getLong(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return all;
        });
    }

    private static ProviderReport report(Connection c, long providerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT text, link, at FROM provider_report WHERE provider_id = ?")) {
            ps.setLong(1, providerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new ProviderReport(providerId, rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))) : null;
            }
        }
    }
}
