package it.semaforo.notice;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;
import it.semaforo.event.ChangeEvent;
import it.semaforo.event.Ledger;
import it.semaforo.service.ServiceState;
import it.semaforo.text.Slug;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Queries and writes of avvisi, their impacts, updates and attachments. */
public final class NoticeRepository {
    /** effective_from of the impacts an avviso is created with: they hold from its publication. */
    private static final Instant FROM_PUBLICATION = Instant.EPOCH;
    /** The instant an avviso stops being in force (closing or expiry, the earlier; "never" if open). */
    private static final String END_OF_FORCE = "coalesce(CASE WHEN n.closed_at IS NULL THEN n.expires_at "
            + "WHEN n.expires_at IS NULL THEN n.closed_at WHEN n.closed_at < n.expires_at THEN n.closed_at "
            + "ELSE n.expires_at END, 9223372036854775807)";

    private final Database db;
    /** The writes below that stand alone (the demo, imports, tests) go through it, with their events. */
    private final Ledger ledger;
    private final Clock clock;

    public NoticeRepository(Database db, Ledger ledger, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.clock = clock;
    }

    // ---- reads ------------------------------------------------------------------------

    public Optional<Notice> find(long id) {
        return db.read(c -> find(c, id));
    }

    /** Inside a transaction: what the avviso is now, to check and to record before a change. */
    public Optional<Notice> find(Connection c, long id) throws SQLException {
        return select(c, "WHERE n.id = ?", List.of(id)).stream().findFirst();
    }

    /**
     * Published avvisi that are in force at some instant from since on (future publications
     * included): everything the status of the services depends on from that instant.
     */
    public List<Notice> inForceSince(Instant since) {
        // END_OF_FORCE is the expression of the index notice_end_of_force_idx (migration V3);
        // "+n.status" keeps the planner from preferring the status index, which matches them all
        return db.read(c -> select(c, "WHERE " + END_OF_FORCE + " > ? AND +n.status = 'published'"
                + " ORDER BY n.published_at DESC, n.id DESC", List.of(since.toEpochMilli())));
    }

    /** Inside a transaction: the avvisi in force at some instant from since on (see inForceSince). */
    public List<Notice> inForceSince(Connection c, Instant since) throws SQLException {
        return select(c, "WHERE " + END_OF_FORCE + " > ? AND +n.status = 'published'"
                + " ORDER BY n.published_at DESC, n.id DESC", List.of(since.toEpochMilli()));
    }

    /**
     * Inside a transaction, for the derivation of the services' states (which reads an avviso's
     * terms and impacts, nothing else): as inForceSince, without updates, attachments and
     * details. The ledger derives before and after every change, and a long outage's avviso has
     * hundreds of updates that it would otherwise read twice per write.
     */
    public List<Notice> termsInForceSince(Connection c, Instant since) throws SQLException {
        return select(c, "WHERE " + END_OF_FORCE + " > ? AND +n.status = 'published'"
                + " ORDER BY n.published_at DESC, n.id DESC", List.of(since.toEpochMilli()), false);
    }

    /** One avviso's terms and impacts, as termsInForceSince: which services it names. */
    public Optional<Notice> terms(Connection c, long id) throws SQLException {
        return select(c, "WHERE n.id = ?", List.of(id), false).stream().findFirst();
    }

    /** A publication, a scadenza or a window edge of a published avviso: what the clock turns into events. */
    public enum Moment { PUBLICATION, EXPIRY, WINDOW_START, WINDOW_END }

    public record Due(long noticeId, Moment moment, Instant at) {
    }

    /** The moments of published avvisi in (after, upTo]; only avvisi not ended before after are read (the index). */
    public List<Due> due(Connection c, Instant after, Instant upTo) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.id, n.published_at, n.expires_at, n.window_start, n.window_end"
                + " FROM notice n WHERE " + END_OF_FORCE + " > ? AND +n.status = 'published'")) {
            ps.setLong(1, after.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Moment[] moments = Moment.values();
                    for (int i = 0; i < moments.length; i++) {
                        long v = rs.getLong(i + 2);
                        if (rs.wasNull()) continue;
                        Instant at = Instant.ofEpochMilli(v);
                        if (at.isAfter(after) && !at.isAfter(upTo)) due.add(new Due(id, moments[i], at));
                    }
                }
            }
        }
        return due;
    }

    /** The first moment of a published avviso after t, or null. */
    public Instant nextMoment(Connection c, Instant t) throws SQLException {
        long after = t.toEpochMilli();
        // one scan of the avvisi not ended by t; a moment not after t (or absent) counts as "never"
        String never = "9223372036854775807";
        String each = String.join(", ", java.util.stream.Stream.of("published_at", "expires_at", "window_start", "window_end")
                .map(col -> "CASE WHEN n." + col + " > ?1 THEN n." + col + " ELSE " + never + " END").toList());
        try (PreparedStatement ps = c.prepareStatement("SELECT nullif(min(min(" + each + ")), " + never + ") FROM notice n WHERE "
                + END_OF_FORCE + " > ?1 AND +n.status = 'published'")) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : Instant.ofEpochMilli(v);
            }
        }
    }

    /**
     * A list of the public archive (its filters): its places, each avviso ever public in it by
     * publication instant, oldest first (ids), a withdrawn one keeping its place (so that a
     * withdrawal alters no other page); shown, which places hold a public avviso. A text search,
     * which only the live server answers, has its public matches alone.
     */
    public record ArchiveList(long[] ids, java.util.BitSet shown) {
        public int slots() {
            return ids.length;
        }

        public int shownCount() {
            return shown.cardinality();
        }

        /** The place of an avviso, or -1; looked for from the newest, where changes mostly are. */
        public int position(long id) {
            for (int i = ids.length - 1; i >= 0; i--) {
                if (ids[i] == id) return i;
            }
            return -1;
        }

        /** The public avviso ids at places [from, to), newest first. */
        public List<Long> shownIds(int from, int to) {
            List<Long> out = new ArrayList<>();
            for (int i = Math.min(to, ids.length) - 1; i >= Math.max(0, from); i--) {
                if (shown.get(i)) out.add(ids[i]);
            }
            return out;
        }
    }

    /** One query for a whole list, read in order: its pages are then slices of it, not a query each. */
    public ArchiveList archiveList(ArchiveQuery q, Instant now) {
        return db.read(c -> {
            StringBuilder where = new StringBuilder();
            List<Object> args = new ArrayList<>();
            archiveWhere(q, now, where, args);
            long[] ids = new long[64];
            java.util.BitSet shown = new java.util.BitSet();
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT n.id, n.status = 'published' FROM notice n " + where
                    + " ORDER BY n.published_at, n.id")) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n == ids.length) ids = java.util.Arrays.copyOf(ids, n * 2);
                        if (rs.getInt(2) == 1) shown.set(n);
                        ids[n++] = rs.getLong(1);
                    }
                }
            }
            return new ArchiveList(java.util.Arrays.copyOf(ids, n), shown);
        });
    }

    /** These avvisi, newest first (the shown places of an archive page). */
    public List<Notice> archiveNotices(List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        return db.read(c -> select(c, "WHERE n.id IN (" + ids.stream().map(i -> "?").collect(Collectors.joining(","))
                + ") ORDER BY n.published_at DESC, n.id DESC", ids));
    }

    /**
     * What a list of the archive holds: every avviso public by now, and every withdrawn one that
     * had been public (it keeps its place); a text search, its public matches alone.
     */
    private static void archiveWhere(ArchiveQuery q, Instant now, StringBuilder where, List<Object> args) {
        boolean search = q.text() != null && !q.text().isBlank();
        where.append(search ? "WHERE n.status = 'published' AND n.published_at <= ?"
                : "WHERE ((n.status = 'published' AND n.published_at <= ?)"
                + " OR (n.status = 'withdrawn' AND n.published_at <= n.withdrawn_at))");
        args.add(now.toEpochMilli());
        if (search) {
            // a NUL ends an FTS5 string early ("unterminated string"): control characters become spaces
            String text = q.text().replaceAll("\\p{Cntrl}", " ").strip();
            if (text.codePointCount(0, text.length()) >= 3) {
                // trigram index: the whole query as one phrase
                where.append(" AND n.id IN (SELECT rowid FROM notice_fts WHERE notice_fts MATCH ?)");
                args.add('"' + text.replace("\"", "\"\"") + '"');
            } else {
                where.append(" AND (n.title LIKE ? ESCAPE '\\' OR n.summary LIKE ? ESCAPE '\\' OR n.body LIKE ? ESCAPE '\\')");
                String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                args.add(like);
                args.add(like);
                args.add(like);
            }
        }
        appendFilter(where, args, q.kind(), q.serviceId(), q.providerIds());
        if (q.from() != null) {
            where.append(" AND n.published_at >= ? AND n.published_at < ?");
            args.add(q.from().toEpochMilli());
            args.add(q.until().toEpochMilli());
        }
    }

    /**
     * A place of the unfiltered archive list (see ArchiveList), as the sitemap needs it: the
     * avviso's address, whether it is public (a withdrawn one keeps its place and is not listed),
     * when its page last changed (its latest numbered update, else its publication, or its last
     * edit if later: Notice.lastUpdatedAt and updatedAt), and the services and providers it names.
     */
    public record SitemapPlace(long id, String path, boolean shown, Instant lastChange, Set<Long> serviceIds,
                               Set<Long> providerIds) {
    }

    /**
     * Every place of the unfiltered archive, oldest first, in two queries without the avvisi's
     * text, updates and attachments: the sitemap of a large comune lists them all.
     */
    public List<SitemapPlace> sitemapPlaces(Instant now) {
        return db.read(c -> {
            StringBuilder where = new StringBuilder();
            List<Object> args = new ArrayList<>();
            archiveWhere(new ArchiveQuery(null, null, null, Set.of(), null, null), now, where, args);
            record Row(long id, String slug, boolean shown, Instant lastChange) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n.id, n.slug, n.status = 'published' AS shown, n.published_at,"
                    + " n.updated_at, (SELECT u.created_at FROM notice_update u WHERE u.notice_id = n.id"
                    + " ORDER BY u.number DESC LIMIT 1) AS last_update FROM notice n " + where + " ORDER BY n.published_at, n.id")) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant t = Jdbc.instant(rs, "last_update");
                        if (t == null) t = Jdbc.instant(rs, "published_at");
                        Instant edited = Jdbc.instant(rs, "updated_at");
                        Instant last = edited != null && (t == null || edited.isAfter(t)) ? edited : t;
                        rows.add(new Row(rs.getLong("id"), rs.getString("slug"), rs.getInt("shown") == 1, last));
                    }
                }
            }
            Map<Long, Set<Long>> services = new HashMap<>();
            Map<Long, Set<Long>> providers = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT notice_id, service_id, provider_id FROM notice_impact");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Long service = Jdbc.nullableLong(rs, "service_id");
                    Long provider = Jdbc.nullableLong(rs, "provider_id");
                    if (service != null) services.computeIfAbsent(id, k -> new java.util.LinkedHashSet<>()).add(service);
                    if (provider != null) providers.computeIfAbsent(id, k -> new java.util.LinkedHashSet<>()).add(provider);
                }
            }
            List<SitemapPlace> places = new ArrayList<>(rows.size());
            for (Row r : rows) {
                places.add(new SitemapPlace(r.id(), "/avvisi/" + r.id() + "-" + r.slug(), r.shown(), r.lastChange(),
                        services.getOrDefault(r.id(), Set.of()), providers.getOrDefault(r.id(), Set.of())));
            }
            return places;
        });
    }

    /** Of these avvisi, the ones publicNotices(now) holds, loaded afresh: what a change of them shows. */
    public List<Notice> publicNotices(Collection<Long> ids, Instant now) {
        if (ids.isEmpty()) return List.of();
        List<Object> args = new ArrayList<>(List.of(now.toEpochMilli()));
        args.addAll(ids);
        return db.read(c -> select(c, "WHERE ((n.status = 'published' AND n.published_at <= ?) OR n.status = 'withdrawn')"
                + " AND n.id IN (" + ids.stream().map(i -> "?").collect(Collectors.joining(",")) + ") ORDER BY n.id", args));
    }

    /**
     * Every avviso ever published by now, withdrawn ones included (their addresses answer 410),
     * in a few queries for them all: the static export renders each without a query of its own.
     */
    public List<Notice> publicNotices(Instant now) {
        return db.read(c -> select(c, "WHERE (n.status = 'published' AND n.published_at <= ?) OR n.status = 'withdrawn'"
                + " ORDER BY n.id", List.of(now.toEpochMilli())));
    }

    /** Restricts to a kind and to the avvisi that name a service or one of the providers it depends on. */
    private static void appendFilter(StringBuilder where, List<Object> args, NoticeKind kind, Long serviceId,
                                     Set<Long> providerIds) {
        if (kind != null) {
            where.append(" AND n.kind = ?");
            args.add(kind.key());
        }
        if (serviceId != null) {
            // two index lookups (service, providers) rather than a probe per avviso
            where.append(" AND n.id IN (SELECT notice_id FROM notice_impact WHERE service_id = ?");
            args.add(serviceId);
            if (!providerIds.isEmpty()) {
                where.append(" UNION SELECT notice_id FROM notice_impact WHERE provider_id IN (")
                        .append(providerIds.stream().map(p -> "?").collect(Collectors.joining(",")))
                        .append(")");
                args.addAll(providerIds);
            }
            where.append(")");
        }
    }

    /**
     * What a feed lists: the public avvisi of a kind and/or of a service (its providers
     * included; null and empty for all), the ones with the latest public activity first
     * (publication, a numbered update, an expiry or a maintenance window reached by now), and
     * the last withdrawal among the matching ones, which removes an entry from the feed.
     */
    public record Activity(List<Notice> notices, Instant lastWithdrawal) {
    }

    public Activity latestActivity(NoticeKind kind, Long serviceId, Set<Long> providerIds, Instant now, int limit) {
        return db.read(c -> {
            long t = now.toEpochMilli();
            // A service's avvisi (its own and its providers') are read by their index and each checked
            // ("+" keeps the planner off the index of every publication): 6 ms a service's feed on the
            // large comune, where the whole archive's candidates below took 13 (docs/performance.md,
            // "The eighth pass").
            boolean byService = serviceId != null;
            String unindexed = byService ? "+" : "";
            StringBuilder where = new StringBuilder("WHERE " + unindexed + "n.status = 'published' AND "
                    + unindexed + "n.published_at <= ?");
            List<Object> args = new ArrayList<>(List.of(t));
            appendFilter(where, args, kind, serviceId, providerIds);
            // The limit-th newest publication bounds the answer: those avvisi are active since it at
            // least, so the latest active ones all have a moment from it on; only those are sorted.
            Long bound = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT n.published_at FROM notice n " + where
                    + " ORDER BY n.published_at DESC LIMIT 1 OFFSET ?")) {
                List<Object> boundArgs = new ArrayList<>(args);
                boundArgs.add(limit - 1);
                bind(ps, boundArgs);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) bound = rs.getLong(1);
                }
            }
            if (bound != null && byService) {
                where.append(" AND (n.published_at >= ? OR n.expires_at BETWEEN ? AND ? OR n.window_start BETWEEN ? AND ?"
                        + " OR EXISTS (SELECT 1 FROM notice_update u WHERE u.notice_id = n.id AND u.created_at BETWEEN ? AND ?))");
                args.addAll(List.of(bound, bound, t, bound, t, bound, t));
            } else if (bound != null) {
                // the candidates by index (migration V20), each moment from the bound to now; "+" keeps the
                // planner from scanning every publication for them
                where = new StringBuilder("WHERE +n.status = 'published' AND +n.published_at <= ? AND n.id IN ("
                        + "SELECT id FROM notice WHERE status = 'published' AND published_at BETWEEN ? AND ?"
                        + " UNION ALL SELECT id FROM notice WHERE expires_at BETWEEN ? AND ?"
                        + " UNION ALL SELECT id FROM notice WHERE window_start BETWEEN ? AND ?"
                        + " UNION ALL SELECT notice_id FROM notice_update WHERE created_at BETWEEN ? AND ?)");
                args = new ArrayList<>(List.of(t, bound, t, bound, t, bound, t, bound, t));
                appendFilter(where, args, kind, serviceId, providerIds);
            }
            where.append("""
                     ORDER BY max(n.published_at,
                                  coalesce((SELECT max(u.created_at) FROM notice_update u
                                            WHERE u.notice_id = n.id AND u.created_at <= ?), 0),
                                  CASE WHEN n.expires_at <= ? THEN n.expires_at ELSE 0 END,
                                  CASE WHEN n.window_start <= ? THEN n.window_start ELSE 0 END) DESC, n.id DESC
                     LIMIT ?""");
            args.addAll(List.of(t, t, t, limit));
            List<Notice> notices = select(c, where.toString(), args);

            StringBuilder withdrawn = new StringBuilder("SELECT max(n.withdrawn_at) FROM notice n WHERE "
                    + unindexed + "n.status = 'withdrawn' AND " + unindexed + "n.withdrawn_at <= ?");
            List<Object> withdrawnArgs = new ArrayList<>(List.of(t));
            appendFilter(withdrawn, withdrawnArgs, kind, serviceId, providerIds);
            Instant last = null;
            try (PreparedStatement ps = c.prepareStatement(withdrawn.toString())) {
                bind(ps, withdrawnArgs);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long ms = rs.getLong(1);
                        if (!rs.wasNull()) last = Instant.ofEpochMilli(ms);
                    }
                }
            }
            return new Activity(notices, last);
        });
    }

    /**
     * The most recent public avvisi (closed and expired included, withdrawn and future ones
     * not), newest first: either the planned maintenances with a window (by window start) or
     * everything else (by publication). For the Statuspage-compatible lists.
     */
    public List<Notice> latestPublic(Instant now, boolean maintenances, int limit) {
        String maintenance = "n.kind = 'manutenzione' AND n.window_start IS NOT NULL";
        return db.read(c -> select(c, "WHERE n.status = 'published' AND n.published_at <= ? AND "
                + (maintenances ? maintenance + " ORDER BY n.window_start DESC, n.id DESC"
                                : "NOT (" + maintenance + ") ORDER BY n.published_at DESC, n.id DESC")
                + " LIMIT ?", List.of(now.toEpochMilli(), limit)));
    }

    /**
     * The earliest publication instant of the archive's places (a withdrawn avviso keeps its
     * place, see ArchiveList), to offer the years of the archive; empty when none.
     */
    public Optional<Instant> firstPublication(Instant now) {
        return db.read(c -> {
            // two lookups on the (status, published_at) index rather than a scan for the OR
            try (PreparedStatement ps = c.prepareStatement("SELECT min(coalesce(p, w), coalesce(w, p)) AS \"min(published_at)\" FROM"
                    + " (SELECT (SELECT min(published_at) FROM notice WHERE status = 'published' AND published_at <= ?) AS p,"
                    + " (SELECT min(published_at) FROM notice WHERE status = 'withdrawn' AND published_at <= withdrawn_at) AS w)")) {
                ps.setLong(1, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(Jdbc.instant(rs, "min(published_at)")) : Optional.empty();
                }
            }
        });
    }

    private List<Notice> select(Connection c, String whereAndOrder, List<?> args) throws SQLException {
        return select(c, whereAndOrder, args, true);
    }

    /** whole: with updates, attachments and details; else the terms and impacts alone (see termsInForceSince). */
    private List<Notice> select(Connection c, String whereAndOrder, List<?> args, boolean whole) throws SQLException {
        List<Notice> bare = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement((whole ? """
                SELECT n.id, n.slug, n.kind, n.status, n.title, n.summary, n.body, n.language, n.published_at,
                       n.expires_at, n.closed_at, n.withdrawn_at, n.window_start, n.window_end, n.author,
                       n.created_at, n.updated_at, d.fields AS detail_fields, coalesce(d.sequence, 0) AS detail_sequence
                FROM notice n LEFT JOIN notice_detail d ON d.notice_id = n.id
                """ : """
                SELECT n.id, n.slug, n.kind, n.status, n.title, n.summary, n.body, n.language, n.published_at,
                       n.expires_at, n.closed_at, n.withdrawn_at, n.window_start, n.window_end, n.author,
                       n.created_at, n.updated_at, NULL AS detail_fields, 0 AS detail_sequence
                FROM notice n
                """) + whereAndOrder)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bare.add(new Notice(rs.getLong("id"), rs.getString("slug"), NoticeKind.of(rs.getString("kind")),
                            NoticeStatus.of(rs.getString("status")), rs.getString("title"), rs.getString("summary"),
                            rs.getString("body"), rs.getString("language"), Jdbc.instant(rs, "published_at"),
                            Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "closed_at"),
                            Jdbc.instant(rs, "withdrawn_at"), Jdbc.instant(rs, "window_start"),
                            Jdbc.instant(rs, "window_end"), rs.getString("author"), Jdbc.instant(rs, "created_at"),
                            Jdbc.instant(rs, "updated_at"), List.of(), List.of(), List.of(),
                            NoticeDetails.fromJson(rs.getString("detail_fields")), rs.getInt("detail_sequence")));
                }
            }
        }
        if (bare.isEmpty()) return bare;
        List<Long> ids = bare.stream().map(Notice::id).toList();
        Map<Long, List<Impact>> impacts = children(c, ids, """
                SELECT notice_id, service_id, provider_id, state, reason, effective_from, update_id
                FROM notice_impact WHERE notice_id IN (%s) ORDER BY effective_from, id""",
                rs -> new Impact(Jdbc.nullableLong(rs, "service_id"), Jdbc.nullableLong(rs, "provider_id"),
                        ServiceState.of(rs.getString("state")), rs.getString("reason"),
                        Jdbc.instant(rs, "effective_from"), Jdbc.nullableLong(rs, "update_id")));
        if (!whole) {
            return bare.stream().map(n -> new Notice(n.id(), n.slug(), n.kind(), n.status(), n.title(), n.summary(),
                    n.body(), n.language(), n.publishedAt(), n.expiresAt(), n.closedAt(), n.withdrawnAt(),
                    n.windowStart(), n.windowEnd(), n.author(), n.createdAt(), n.updatedAt(),
                    List.copyOf(impacts.getOrDefault(n.id(), List.of())), List.of(), List.of(), n.details(), n.sequence())).toList();
        }
        Map<Long, List<NoticeUpdate>> updates = children(c, ids, """
                SELECT notice_id, id, number, body, closes, author, created_at
                FROM notice_update WHERE notice_id IN (%s) ORDER BY number""",
                rs -> new NoticeUpdate(rs.getLong("id"), rs.getInt("number"), rs.getString("body"),
                        rs.getBoolean("closes"), rs.getString("author"), Jdbc.instant(rs, "created_at")));
        Map<Long, List<Attachment>> attachments = children(c, ids, """
                SELECT notice_id, id, update_id, title, filename, stored_name, content_type, size_bytes, created_at, alt_text
                FROM attachment WHERE notice_id IN (%s) AND removed_at IS NULL ORDER BY id""",
                NoticeRepository::attachmentRow);
        return bare.stream().map(n -> new Notice(n.id(), n.slug(), n.kind(), n.status(), n.title(), n.summary(),
                n.body(), n.language(), n.publishedAt(), n.expiresAt(), n.closedAt(), n.withdrawnAt(),
                n.windowStart(), n.windowEnd(), n.author(), n.createdAt(), n.updatedAt(),
                List.copyOf(impacts.getOrDefault(n.id(), List.of())),
                List.copyOf(updates.getOrDefault(n.id(), List.of())),
                List.copyOf(attachments.getOrDefault(n.id(), List.of())), n.details(), n.sequence())).toList();
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> Map<Long, List<T>> children(Connection c, List<Long> ids, String sqlTemplate, RowMapper<T> mapper)
            throws SQLException {
        Map<Long, List<T>> result = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String sql = sqlTemplate.formatted(chunk.stream().map(i -> "?").collect(Collectors.joining(",")));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) result.computeIfAbsent(rs.getLong("notice_id"), k -> new ArrayList<>()).add(mapper.map(rs));
                }
            }
        }
        return result;
    }

    private static void bind(PreparedStatement ps, Collection<?> args) throws SQLException {
        int i = 1;
        for (Object a : args) ps.setObject(i++, a);
    }

    // ---- writes -----------------------------------------------------------------------

    /** What a clerk submits to create an avviso. status is DRAFT or PUBLISHED. */
    public record NewNotice(NoticeKind kind, NoticeStatus status, String title, String summary, String body,
                            String language, Instant publishedAt, Instant expiresAt, Instant windowStart,
                            Instant windowEnd, String author, List<Impact> impacts) {
    }

    /** An avviso written as it is (the demo, tests), announced as drafted or published. */
    public long create(NewNotice n) {
        return ledger.write(tx -> {
            long id = create(tx.connection(), n);
            Notice created = find(tx.connection(), id).orElseThrow();
            ChangeEvent.NoticeRef ref = NoticeEvents.ref(created);
            if (n.status() == NoticeStatus.DRAFT) tx.announce(id, s -> new ChangeEvent.NoticeDrafted(ref, s));
            else if (n.status() == NoticeStatus.PUBLISHED) {
                boolean scheduled = created.publishedAt().isAfter(tx.now());
                tx.announce(id, s -> new ChangeEvent.NoticePublished(ref, scheduled, s));
            }
            return id;
        });
    }

    /** An avviso with its updates, for importing many at once. */
    public record Imported(NewNotice notice, List<NewUpdate> updates) {
    }

    /** Inserts many avvisi in one transaction (a generator, an import): all or none. */
    public void importAll(List<Imported> all) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            for (Imported i : all) {
                long id = create(c, i.notice());
                for (NewUpdate u : i.updates()) addUpdate(c, id, u);
            }
            tx.announce(new ChangeEvent.NoticesImported(all.size()));
            return null;
        });
    }

    /** Inside a caller's transaction, so that the audit entry commits with the avviso or not at all. */
    public long create(Connection c, NewNotice n) throws SQLException {
        long now = clock.millis();
        long id;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO notice(slug, kind, status, title, summary, body, language, published_at, expires_at,
                                   window_start, window_end, author, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Jdbc.keys())) {
            ps.setString(1, Slug.of(n.title(), "avviso"));
            ps.setString(2, n.kind().key());
            ps.setString(3, n.status().key());
            bindContent(ps, 4, n);
            ps.setString(12, n.author());
            ps.setLong(13, now);
            ps.setLong(14, now);
            id = Jdbc.insert(ps);
        }
        insertImpacts(c, id, null, FROM_PUBLICATION, n.impacts());
        return id;
    }

    /**
     * The eight columns a clerk writes, in their order in both the INSERT of a new avviso and
     * the UPDATE of a draft: title, summary, body, language, publication, expiry, window.
     */
    private static void bindContent(PreparedStatement ps, int first, NewNotice n) throws SQLException {
        ps.setString(first, n.title());
        ps.setString(first + 1, n.summary() == null ? "" : n.summary());
        ps.setString(first + 2, n.body() == null ? "" : n.body());
        ps.setString(first + 3, n.language() == null ? "it" : n.language());
        Jdbc.setInstant(ps, first + 4, n.publishedAt());
        Jdbc.setInstant(ps, first + 5, n.expiresAt());
        Jdbc.setInstant(ps, first + 6, n.windowStart());
        Jdbc.setInstant(ps, first + 7, n.windowEnd());
    }

    /** A numbered update: text, optionally new states for targets, optionally the closure. */
    public record NewUpdate(String body, List<Impact> impacts, boolean closes, String author, Instant at) {
    }

    /** Appends the next numbered update and returns its number. */
    public int addUpdate(long noticeId, NewUpdate u) {
        return ledger.write(tx -> {
            int number = addUpdate(tx.connection(), noticeId, u);
            Notice after = find(tx.connection(), noticeId).orElseThrow();
            ChangeEvent.NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = after.isPublicAt(tx.now());
            tx.announce(noticeId, s -> new ChangeEvent.NoticeUpdated(ref, number, u.closes(), shown, true, s));
            return number;
        });
    }

    public int addUpdate(Connection c, long noticeId, NewUpdate u) throws SQLException {
        Instant at = u.at() != null ? u.at() : clock.instant();
        int number;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(number), 0) + 1 FROM notice_update WHERE notice_id = ?")) {
            ps.setLong(1, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                number = rs.getInt(1);
            }
        }
        long updateId;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO notice_update(notice_id, number, body, closes, author, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""", Jdbc.keys())) {
            ps.setLong(1, noticeId);
            ps.setInt(2, number);
            ps.setString(3, u.body());
            ps.setBoolean(4, u.closes());
            ps.setString(5, u.author());
            ps.setLong(6, at.toEpochMilli());
            updateId = Jdbc.insert(ps);
        }
        insertImpacts(c, noticeId, updateId, at, u.impacts());
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE notice SET updated_at = ?, closed_at = CASE WHEN ? THEN ? ELSE closed_at END WHERE id = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setBoolean(2, u.closes());
            ps.setLong(3, at.toEpochMilli());
            ps.setLong(4, noticeId);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no avviso " + noticeId);
        }
        return number;
    }

    /** altText: null for a plain attachment; the alternative text of the avviso's image otherwise. */
    public record NewAttachment(String title, String filename, String storedName, String contentType, long sizeBytes,
                                Long updateId, String altText) {
        public NewAttachment(String title, String filename, String storedName, String contentType, long sizeBytes,
                             Long updateId) {
            this(title, filename, storedName, contentType, sizeBytes, updateId, null);
        }
    }

    public long addAttachment(long noticeId, NewAttachment a) {
        return ledger.write(tx -> {
            long id = addAttachment(tx.connection(), noticeId, a);
            Notice after = find(tx.connection(), noticeId).orElseThrow();
            ChangeEvent.NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = after.isPublicAt(tx.now());
            tx.announce(noticeId, s -> new ChangeEvent.AttachmentAdded(ref, id, a.title(), shown, s));
            return id;
        });
    }

    public long addAttachment(Connection c, long noticeId, NewAttachment a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO attachment(notice_id, update_id, title, filename, stored_name, content_type, size_bytes, created_at, alt_text)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", Jdbc.keys())) {
            ps.setLong(1, noticeId);
            Jdbc.setLong(ps, 2, a.updateId());
            ps.setString(3, a.title());
            ps.setString(4, a.filename());
            ps.setString(5, a.storedName());
            ps.setString(6, a.contentType());
            ps.setLong(7, a.sizeBytes());
            ps.setLong(8, clock.millis());
            ps.setString(9, a.altText());
            return Jdbc.insert(ps);
        }
    }

    public Optional<Attachment> attachment(String storedName) {
        return oneAttachment("""
                SELECT a.id, a.update_id, a.title, a.filename, a.stored_name, a.content_type, a.size_bytes, a.created_at, a.alt_text
                FROM attachment a JOIN notice n ON n.id = a.notice_id
                WHERE a.stored_name = ? AND n.status = 'published' AND a.removed_at IS NULL""", storedName);
    }

    /** The attachment the query finds for the stored name (its one parameter), if any. */
    private Optional<Attachment> oneAttachment(String sql, String storedName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, storedName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(attachmentRow(rs)) : Optional.<Attachment>empty();
                }
            }
        });
    }

    private static Attachment attachmentRow(ResultSet rs) throws SQLException {
        return new Attachment(rs.getLong("id"), Jdbc.nullableLong(rs, "update_id"), rs.getString("title"),
                rs.getString("filename"), rs.getString("stored_name"), rs.getString("content_type"),
                rs.getLong("size_bytes"), Jdbc.instant(rs, "created_at"), rs.getString("alt_text"));
    }

    /** When a clerk removed the attachment of a published avviso stored under that name; empty if they did not. */
    public Optional<Instant> attachmentRemovedAt(String storedName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.removed_at FROM attachment a JOIN notice n ON n.id = a.notice_id
                    WHERE a.stored_name = ? AND n.status = 'published' AND a.removed_at IS NOT NULL""")) {
                ps.setString(1, storedName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Jdbc.instant(rs, "removed_at")) : Optional.<Instant>empty();
                }
            }
        });
    }

    /**
     * Takes an attachment off the avviso (pages, feeds, API, export); its address then answers
     * 410. False if the avviso has no such attachment, or it was removed already.
     */
    public boolean removeAttachment(Connection c, long noticeId, long attachmentId, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE attachment SET removed_at = ?, removed_by = ?
                WHERE id = ? AND notice_id = ? AND removed_at IS NULL""")) {
            ps.setLong(1, clock.millis());
            ps.setString(2, by);
            ps.setLong(3, attachmentId);
            ps.setLong(4, noticeId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Withdraws a published avviso: it leaves every public list and its address answers 410. */
    public void withdraw(long noticeId) {
        ledger.write(tx -> {
            boolean shown = find(tx.connection(), noticeId).map(n -> n.isPublicAt(tx.now())).orElse(false);
            withdraw(tx.connection(), noticeId);
            ChangeEvent.NoticeRef ref = NoticeEvents.ref(find(tx.connection(), noticeId).orElseThrow());
            tx.announce(noticeId, s -> new ChangeEvent.NoticeWithdrawn(ref, shown, s));
            return null;
        });
    }

    public void withdraw(Connection c, long noticeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE notice SET status = 'withdrawn', withdrawn_at = ?, updated_at = ? WHERE id = ? AND status = 'published'")) {
            ps.setLong(1, clock.millis());
            ps.setLong(2, clock.millis());
            ps.setLong(3, noticeId);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no published avviso " + noticeId);
        }
    }

    /** Stores the fields of the avviso's kind; a change raises its sequence (a database trigger). */
    public void saveDetails(Connection c, long noticeId, NoticeDetails details) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO notice_detail(notice_id, fields) VALUES (?, ?)
                ON CONFLICT(notice_id) DO UPDATE SET fields = excluded.fields""")) {
            ps.setLong(1, noticeId);
            ps.setString(2, details.toJson());
            ps.executeUpdate();
        }
    }

    public void saveDetails(long noticeId, NoticeDetails details) {
        ledger.write(tx -> {
            saveDetails(tx.connection(), noticeId, details);
            Notice after = find(tx.connection(), noticeId).orElseThrow();
            ChangeEvent.NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = after.isPublicAt(tx.now());
            tx.announce(noticeId, s -> new ChangeEvent.NoticeEdited(ref, shown, false, s));
            return null;
        });
    }

    // ---- the clerks' desk: drafts, publication, edits, expiry ------------------------------

    /**
     * Rewrites a draft (text, dates and the impacts it will impose); the previous text is kept
     * as a revision when it changes. Refused unless the avviso is still a draft.
     */
    public void replaceDraft(Connection c, long id, NewNotice n, String editor) throws SQLException {
        Notice before = find(c, id).orElseThrow(() -> new IllegalArgumentException("no avviso " + id));
        if (before.status() != NoticeStatus.DRAFT) throw new IllegalStateException("avviso " + id + " is not a draft");
        keepRevision(c, before, n.title(), n.summary(), n.body(), editor);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE notice SET slug = ?, kind = ?, title = ?, summary = ?, body = ?, language = ?, published_at = ?,
                                  expires_at = ?, window_start = ?, window_end = ?, updated_at = ?
                WHERE id = ? AND status = 'draft'""")) {
            ps.setString(1, Slug.of(n.title(), "avviso"));
            ps.setString(2, n.kind().key());
            bindContent(ps, 3, n);
            ps.setLong(11, clock.millis());
            ps.setLong(12, id);
            ps.executeUpdate();
        }
        // a draft has no updates and was never public: its impacts are replaced, not appended
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM notice_impact WHERE notice_id = ? AND update_id IS NULL")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        insertImpacts(c, id, null, FROM_PUBLICATION, n.impacts());
    }

    /** Publishes a draft from the instant at (now, or a later scheduled time). */
    public void publish(Connection c, long id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE notice SET status = 'published', published_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setLong(2, clock.millis());
            ps.setLong(3, id);
            if (ps.executeUpdate() != 1) throw new IllegalStateException("avviso " + id + " is not a draft");
        }
    }

    /**
     * Corrects the text of a published avviso. The previous text is kept as a revision; the
     * slug follows the title (the public page redirects from the old one).
     */
    public void editText(Connection c, long id, String title, String summary, String body, String language, String editor)
            throws SQLException {
        Notice before = find(c, id).orElseThrow(() -> new IllegalArgumentException("no avviso " + id));
        keepRevision(c, before, title, summary, body, editor);
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE notice SET slug = ?, title = ?, summary = ?, body = ?, language = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, Slug.of(title, "avviso"));
            ps.setString(2, title);
            ps.setString(3, summary);
            ps.setString(4, body);
            ps.setString(5, language);
            ps.setLong(6, clock.millis());
            ps.setLong(7, id);
            ps.executeUpdate();
        }
    }

    /** Sets a new expiry ("data scadenza"), or none. */
    public void changeExpiry(Connection c, long id, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE notice SET expires_at = ?, updated_at = ? WHERE id = ?")) {
            Jdbc.setInstant(ps, 1, expiresAt);
            ps.setLong(2, clock.millis());
            ps.setLong(3, id);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no avviso " + id);
        }
    }

    private void keepRevision(Connection c, Notice before, String title, String summary, String body, String editor)
            throws SQLException {
        if (before.title().equals(title) && before.summary().equals(summary == null ? "" : summary)
                && before.body().equals(body == null ? "" : body)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO notice_revision(notice_id, number, title, summary, body, replaced_by, replaced_at)
                VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM notice_revision WHERE notice_id = ?), ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, before.id());
            ps.setLong(2, before.id());
            ps.setString(3, before.title());
            ps.setString(4, before.summary());
            ps.setString(5, before.body());
            ps.setString(6, editor);
            ps.setLong(7, clock.millis());
            ps.executeUpdate();
        }
    }

    /** The previous versions of the text, newest first. */
    public List<NoticeRevision> revisions(long id) {
        return db.read(c -> {
            List<NoticeRevision> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT number, title, summary, body, replaced_by, replaced_at
                    FROM notice_revision WHERE notice_id = ? ORDER BY number DESC""")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new NoticeRevision(rs.getInt("number"), rs.getString("title"), rs.getString("summary"),
                                rs.getString("body"), rs.getString("replaced_by"), Jdbc.instant(rs, "replaced_at")));
                    }
                }
            }
            return result;
        });
    }

    /**
     * Published avvisi, not closed, whose expiry falls in (now, now + within]: the ones a clerk
     * must extend or close on purpose, soonest first.
     */
    public List<Notice> expiringWithin(Instant now, java.time.Duration within) {
        return db.read(c -> select(c, """
                WHERE n.status = 'published' AND n.closed_at IS NULL AND n.expires_at > ? AND n.expires_at <= ?
                ORDER BY n.expires_at, n.id""", List.of(now.toEpochMilli(), now.plus(within).toEpochMilli())));
    }

    /** Published avvisi that expired after since without ever being closed: maybe still running. */
    public List<Notice> expiredUnclosed(Instant now, Instant since) {
        return db.read(c -> select(c, """
                WHERE n.status = 'published' AND n.closed_at IS NULL AND n.expires_at <= ? AND n.expires_at > ?
                ORDER BY n.expires_at DESC, n.id DESC""", List.of(now.toEpochMilli(), since.toEpochMilli())));
    }

    /** What the clerks' dashboard starts from: every draft, and whatever is published and not over. */
    public List<Notice> forDesk(Instant now) {
        return db.read(c -> select(c, """
                WHERE n.status = 'draft'
                   OR (n.status = 'published' AND (n.closed_at IS NULL OR n.closed_at > ?)
                       AND (n.expires_at IS NULL OR n.expires_at > ?))
                ORDER BY n.updated_at DESC, n.id DESC""", List.of(now.toEpochMilli(), now.toEpochMilli())));
    }

    /** Every avviso in every status, newest first: the clerks' list. */
    public ArchivePage allForClerks(int page, int pageSize) {
        return db.read(c -> {
            int total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM notice");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getInt(1);
            }
            List<Notice> items = select(c, "ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?",
                    List.of(pageSize, (long) (page - 1) * pageSize));
            return new ArchivePage(items, total, page, pageSize);
        });
    }

    /** An attachment of any avviso, drafts included: for the clerks' preview only. */
    public Optional<Attachment> attachmentForClerks(String storedName) {
        return oneAttachment("""
                SELECT id, update_id, title, filename, stored_name, content_type, size_bytes, created_at, alt_text
                FROM attachment WHERE stored_name = ?""", storedName);
    }

    private static void insertImpacts(Connection c, long noticeId, Long updateId, Instant from, List<Impact> impacts)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO notice_impact(notice_id, update_id, service_id, provider_id, state, reason, effective_from)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            for (Impact i : impacts) {
                ps.setLong(1, noticeId);
                Jdbc.setLong(ps, 2, updateId);
                Jdbc.setLong(ps, 3, i.serviceId());
                Jdbc.setLong(ps, 4, i.providerId());
                ps.setString(5, i.state().key());
                ps.setString(6, i.reason());
                ps.setLong(7, from.toEpochMilli());
                ps.executeUpdate();
            }
        }
    }
}
