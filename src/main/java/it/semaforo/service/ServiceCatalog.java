package it.semaforo.service;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;
import it.semaforo.event.ChangeEvent.CatalogChanged;
import it.semaforo.event.Ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Queries and writes of groups, services, channels and providers. */
public final class ServiceCatalog {
    private final Database db;
    /** The writes below that stand alone (the demo, tests) go through it, with their events. */
    private final Ledger ledger;
    private final Clock clock;

    public ServiceCatalog(Database db, Ledger ledger, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.clock = clock;
    }

    public Catalog load() {
        return db.read(this::load);
    }

    public Catalog load(Connection c) throws SQLException {
        List<ServiceGroup> groups = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, position FROM service_group ORDER BY position, name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) groups.add(new ServiceGroup(rs.getLong(1), rs.getString(2), rs.getInt(3)));
        }
        Map<Long, List<Channel>> channels = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT service_id, kind, label, value, hours FROM channel ORDER BY service_id, position, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                channels.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Channel(ChannelKind.of(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        Map<Long, Set<Long>> serviceProviders = links(c, "SELECT service_id, provider_id FROM service_provider");
        Map<Long, Set<Long>> providerLinks = links(c, "SELECT provider_id, depends_on_id FROM provider_dependency");
        List<Service> services = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.id, s.slug, s.name, s.description, s.group_id, s.position, s.created_at, s.updated_at
                FROM service s JOIN service_group g ON g.id = s.group_id
                ORDER BY g.position, g.name, s.position, s.name""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong("id");
                services.add(new Service(id, rs.getString("slug"), rs.getString("name"), rs.getString("description"),
                        rs.getLong("group_id"), rs.getInt("position"), List.copyOf(channels.getOrDefault(id, List.of())),
                        Set.copyOf(serviceProviders.getOrDefault(id, Set.of())),
                        Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at")));
            }
        }
        List<Provider> providers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, slug, name, description FROM provider ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                providers.add(new Provider(id, rs.getString(2), rs.getString(3), rs.getString(4),
                        Set.copyOf(providerLinks.getOrDefault(id, Set.of()))));
            }
        }
        return new Catalog(groups, services, providers);
    }

    private static Map<Long, Set<Long>> links(Connection c, String sql) throws SQLException {
        Map<Long, Set<Long>> links = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) links.computeIfAbsent(rs.getLong(1), k -> new LinkedHashSet<>()).add(rs.getLong(2));
        }
        return links;
    }

    public long createGroup(String name, int position) {
        return ledger.write(tx -> {
            long id = createGroup(tx.connection(), name, position);
            tx.announce(new CatalogChanged("group", id, "created", name));
            return id;
        });
    }

    /** Inside a caller's transaction, so that the audit entry commits with the change or not at all. */
    public long createGroup(Connection c, String name, int position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO service_group(name, position, created_at) VALUES (?, ?, ?)", Jdbc.keys())) {
            ps.setString(1, name);
            ps.setInt(2, position);
            ps.setLong(3, clock.millis());
            return Jdbc.insert(ps);
        }
    }

    public record NewService(String slug, String name, String description, long groupId, int position,
                             List<Channel> channels, Set<Long> providerIds) {
    }

    public long createService(NewService s) {
        return ledger.write(tx -> {
            long id = createService(tx.connection(), s);
            tx.announce(new CatalogChanged("service", id, "created", s.name()));
            return id;
        });
    }

    public long createService(Connection c, NewService s) throws SQLException {
        long now = clock.millis();
        long id;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO service(slug, name, description, group_id, position, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", Jdbc.keys())) {
            ps.setString(1, s.slug());
            ps.setString(2, s.name());
            ps.setString(3, s.description());
            ps.setLong(4, s.groupId());
            ps.setInt(5, s.position());
            ps.setLong(6, now);
            ps.setLong(7, now);
            id = Jdbc.insert(ps);
        }
        insertChannelsAndProviders(c, id, s.channels(), s.providerIds());
        return id;
    }

    private static void insertChannelsAndProviders(Connection c, long serviceId, List<Channel> channels,
                                                   Set<Long> providerIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO channel(service_id, kind, label, value, hours, position) VALUES (?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (Channel ch : channels) {
                ps.setLong(1, serviceId);
                ps.setString(2, ch.kind().key());
                ps.setString(3, ch.label());
                ps.setString(4, ch.value());
                ps.setString(5, ch.hours() == null ? "" : ch.hours());
                ps.setInt(6, position++);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO service_provider(service_id, provider_id) VALUES (?, ?)")) {
            for (long p : providerIds) {
                ps.setLong(1, serviceId);
                ps.setLong(2, p);
                ps.executeUpdate();
            }
        }
    }

    public long createProvider(String slug, String name, String description) {
        return ledger.write(tx -> {
            long id = createProvider(tx.connection(), slug, name, description);
            tx.announce(new CatalogChanged("provider", id, "created", name));
            return id;
        });
    }

    public long createProvider(Connection c, String slug, String name, String description) throws SQLException {
        long now = clock.millis();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO provider(slug, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", Jdbc.keys())) {
            ps.setString(1, slug);
            ps.setString(2, name);
            ps.setString(3, description);
            ps.setLong(4, now);
            ps.setLong(5, now);
            return Jdbc.insert(ps);
        }
    }

    /** Records that provider runs on dependsOn; refuses a link that would close a cycle. */
    public void addProviderDependency(long providerId, long dependsOnId) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Catalog current = load(c);
            if (providerId == dependsOnId || current.reachableProviders(Set.of(dependsOnId)).contains(providerId)) {
                throw new IllegalArgumentException("a provider cannot depend on itself, directly or through other providers");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO provider_dependency(provider_id, depends_on_id) VALUES (?, ?)")) {
                ps.setLong(1, providerId);
                ps.setLong(2, dependsOnId);
                ps.executeUpdate();
            }
            tx.announce(new CatalogChanged("provider", providerId, "edited",
                    current.provider(providerId).map(Provider::name).orElse("")));
            return null;
        });
    }

    // ---- edits by administrators (inside the caller's transaction, with its audit entry) ----

    public void renameGroup(Connection c, long groupId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE service_group SET name = ? WHERE id = ?")) {
            ps.setString(1, name);
            ps.setLong(2, groupId);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no group " + groupId);
        }
    }

    /** What an administrator may change of a service; the slug stays, since its page address is public. */
    public record ServiceEdit(String name, String description, long groupId, List<Channel> channels,
                              Set<Long> providerIds) {
    }

    /** Rewrites a service, its channels and its providers. Moving it to another group puts it last there. */
    public void updateService(Connection c, long serviceId, ServiceEdit e) throws SQLException {
        long oldGroup;
        try (PreparedStatement ps = c.prepareStatement("SELECT group_id FROM service WHERE id = ?")) {
            ps.setLong(1, serviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("no service " + serviceId);
                oldGroup = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE service SET name = ?, description = ?, group_id = ?, updated_at = ?,
                       position = CASE WHEN group_id = ? THEN position
                                       ELSE (SELECT coalesce(max(position), 0) + 1 FROM service WHERE group_id = ?) END
                WHERE id = ?""")) {
            ps.setString(1, e.name());
            ps.setString(2, e.description());
            ps.setLong(3, e.groupId());
            ps.setLong(4, clock.millis());
            ps.setLong(5, e.groupId());
            ps.setLong(6, e.groupId());
            ps.setLong(7, serviceId);
            ps.executeUpdate();
        }
        for (String sql : List.of("DELETE FROM channel WHERE service_id = ?", "DELETE FROM service_provider WHERE service_id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, serviceId);
                ps.executeUpdate();
            }
        }
        insertChannelsAndProviders(c, serviceId, e.channels(), e.providerIds());
        if (oldGroup != e.groupId()) renumber(c, "service", "group_id = " + oldGroup);
    }

    /** Moves a service one place up (-1) or down (+1) within its group. */
    public void moveService(Connection c, long serviceId, int direction) throws SQLException {
        long group;
        try (PreparedStatement ps = c.prepareStatement("SELECT group_id FROM service WHERE id = ?")) {
            ps.setLong(1, serviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("no service " + serviceId);
                group = rs.getLong(1);
            }
        }
        move(c, "service", "group_id = " + group, serviceId, direction);
    }

    /** Moves a group one place up (-1) or down (+1). */
    public void moveGroup(Connection c, long groupId, int direction) throws SQLException {
        move(c, "service_group", "1 = 1", groupId, direction);
    }

    /** Swaps a row with its neighbour in the displayed order and numbers the positions 1..n again. */
    private static void move(Connection c, String table, String scope, long id, int direction) throws SQLException {
        List<Long> order = order(c, table, scope);
        int at = order.indexOf(id);
        if (at < 0) throw new IllegalArgumentException("no " + table + " " + id);
        int to = at + Integer.signum(direction);
        if (to >= 0 && to < order.size()) {
            order.set(at, order.get(to));
            order.set(to, id);
        }
        writePositions(c, table, order);
    }

    private static void renumber(Connection c, String table, String scope) throws SQLException {
        writePositions(c, table, order(c, table, scope));
    }

    // table and scope are constants of this class, never input
    private static List<Long> order(Connection c, String table, String scope) throws SQLException {
        List<Long> order = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE " + scope + " ORDER BY position, name, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) order.add(rs.getLong(1));
        }
        return order;
    }

    private static void writePositions(Connection c, String table, List<Long> order) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET position = ? WHERE id = ?")) {
            for (int i = 0; i < order.size(); i++) {
                ps.setInt(1, i + 1);
                ps.setLong(2, order.get(i));
                ps.executeUpdate();
            }
        }
    }

    public void updateProvider(Connection c, long providerId, String name, String description) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE provider SET name = ?, description = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setLong(3, clock.millis());
            ps.setLong(4, providerId);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no provider " + providerId);
        }
    }

    /**
     * Replaces the providers a provider runs on. Refuses, changing nothing, a set that would
     * close a cycle (the provider reachable again from one of its new dependencies).
     */
    public void setProviderDependencies(Connection c, long providerId, Set<Long> dependsOn) throws SQLException {
        Catalog current = load(c);
        for (long d : dependsOn) {
            if (d == providerId || current.reachableProviders(Set.of(d)).contains(providerId)) {
                throw new ProviderCycleException(providerId, d);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM provider_dependency WHERE provider_id = ?")) {
            ps.setLong(1, providerId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO provider_dependency(provider_id, depends_on_id) VALUES (?, ?)")) {
            for (long d : dependsOn) {
                ps.setLong(1, providerId);
                ps.setLong(2, d);
                ps.executeUpdate();
            }
        }
    }

    /** A dependency that would make a provider depend on itself, directly or through others. */
    public static final class ProviderCycleException extends IllegalArgumentException {
        private final long dependsOnId;

        public ProviderCycleException(long providerId, long dependsOnId) {
            super("provider " + providerId + " cannot depend on " + dependsOnId + ": it would depend on itself");
            this.dependsOnId = dependsOnId;
        }

        public long dependsOnId() {
            return dependsOnId;
        }
    }

    public boolean isEmpty() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM service) AND NOT EXISTS (SELECT 1 FROM notice)");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }
}
