package it.semaforo.service;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

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
    private final Clock clock;

    public ServiceCatalog(Database db, Clock clock) {
        this.db = db;
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
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO service_group(name, position, created_at) VALUES (?, ?, ?)", Jdbc.keys())) {
                ps.setString(1, name);
                ps.setInt(2, position);
                ps.setLong(3, clock.millis());
                return Jdbc.insert(ps);
            }
        });
    }

    public record NewService(String slug, String name, String description, long groupId, int position,
                             List<Channel> channels, Set<Long> providerIds) {
    }

    public long createService(NewService s) {
        return db.write(c -> {
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
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO channel(service_id, kind, label, value, hours, position) VALUES (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (Channel ch : s.channels()) {
                    ps.setLong(1, id);
                    ps.setString(2, ch.kind().key());
                    ps.setString(3, ch.label());
                    ps.setString(4, ch.value());
                    ps.setString(5, ch.hours() == null ? "" : ch.hours());
                    ps.setInt(6, position++);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO service_provider(service_id, provider_id) VALUES (?, ?)")) {
                for (long p : s.providerIds()) {
                    ps.setLong(1, id);
                    ps.setLong(2, p);
                    ps.executeUpdate();
                }
            }
            return id;
        });
    }

    public long createProvider(String slug, String name, String description) {
        return db.write(c -> {
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
        });
    }

    /** Records that provider runs on dependsOn; refuses a link that would close a cycle. */
    public void addProviderDependency(long providerId, long dependsOnId) {
        db.write(c -> {
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
            return null;
        });
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
