package it.semaforo.service;

import it.semaforo.audit.Actor;
import it.semaforo.audit.AuditLog;
import it.semaforo.event.ChangeEvent.CatalogChanged;
import it.semaforo.event.Ledger;
import it.semaforo.event.Refusal;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceCatalog.ProviderCycleException;
import it.semaforo.service.ServiceCatalog.ServiceEdit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What administrators change of groups, services and providers, whoever asks: each change in
 * one transaction with its audit entry and its event, checked again inside the transaction (two
 * administrators may submit at once). Input arrives already checked by the form.
 */
public final class CatalogDesk {
    private final Ledger ledger;
    private final ServiceCatalog catalog;
    private final AuditLog audit;

    public CatalogDesk(Ledger ledger, ServiceCatalog catalog, AuditLog audit) {
        this.ledger = ledger;
        this.catalog = catalog;
        this.audit = audit;
    }

    public long createGroup(Actor actor, String name) {
        return ledger.write(tx -> {
            Connection c = tx.connection();
            // checked again inside the transaction: two administrators may submit at once
            if (catalog.load(c).groups().stream().anyMatch(g -> g.name().equalsIgnoreCase(name))) {
                throw Refusal.conflictOn("name", "admin.error.group.taken");
            }
            int position = catalog.load(c).groups().stream().mapToInt(ServiceGroup::position).max().orElse(0) + 1;
            long id = catalog.createGroup(c, name, position);
            audit.record(c, actor, "group.create", "group", id, name, null, Map.of("name", name, "position", position));
            tx.announce(new CatalogChanged("group", id, "created", name));
            return id;
        });
    }

    public void renameGroup(Actor actor, long id, String name) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            ServiceGroup before = group(c, id);
            if (catalog.load(c).groups().stream().anyMatch(g -> g.id() != id && g.name().equalsIgnoreCase(name))) {
                throw Refusal.conflictOn("name", "admin.error.group.taken");
            }
            catalog.renameGroup(c, id, name);
            audit.record(c, actor, "group.rename", "group", id, name, Map.of("name", before.name()), Map.of("name", name));
            tx.announce(new CatalogChanged("group", id, "edited", name));
            return null;
        });
    }

    public void moveGroup(Actor actor, long id, int direction) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            ServiceGroup before = group(c, id);
            List<Long> orderBefore = catalog.load(c).groups().stream().map(ServiceGroup::id).toList();
            catalog.moveGroup(c, id, direction);
            List<Long> orderAfter = catalog.load(c).groups().stream().map(ServiceGroup::id).toList();
            audit.record(c, actor, "group.move", "group", id, before.name(), Map.of("order", orderBefore), Map.of("order", orderAfter));
            tx.announce(new CatalogChanged("group", id, "moved", before.name()));
            return null;
        });
    }

    public long createService(Actor actor, ServiceInput in) {
        return ledger.write(tx -> {
            Connection c = tx.connection();
            if (catalog.load(c).service(in.slug()).isPresent()) throw Refusal.conflictOn("slug", "admin.error.slug.taken", in.slug());
            int position = (int) catalog.load(c).services().stream().filter(s -> s.groupId() == in.groupId()).count() + 1;
            long id = catalog.createService(c, new NewService(in.slug(), in.name(), in.description(), in.groupId(), position,
                    in.channels(), in.providerIds()));
            audit.record(c, actor, "service.create", "service", id, in.name(), null, snapshot(service(c, id)));
            tx.announce(new CatalogChanged("service", id, "created", in.name()));
            return id;
        });
    }

    public void updateService(Actor actor, long id, ServiceInput in) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Service before = service(c, id);
            catalog.updateService(c, id, new ServiceEdit(in.name(), in.description(), in.groupId(), in.channels(), in.providerIds()));
            audit.record(c, actor, "service.edit", "service", id, in.name(), snapshot(before), snapshot(service(c, id)));
            tx.announce(new CatalogChanged("service", id, "edited", in.name()));
            return null;
        });
    }

    public void moveService(Actor actor, long id, int direction) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Service before = service(c, id);
            catalog.moveService(c, id, direction);
            audit.record(c, actor, "service.move", "service", id, before.name(),
                    Map.of("position", before.position()), Map.of("position", service(c, id).position()));
            tx.announce(new CatalogChanged("service", id, "moved", before.name()));
            return null;
        });
    }

    public long createProvider(Actor actor, ProviderInput in) {
        return ledger.write(tx -> {
            Connection c = tx.connection();
            if (catalog.load(c).providers().stream().anyMatch(p -> p.slug().equals(in.slug()))) {
                throw Refusal.conflictOn("slug", "admin.error.slug.taken", in.slug());
            }
            long id = catalog.createProvider(c, in.slug(), in.name(), in.description());
            dependencies(c, id, in.dependsOn());
            audit.record(c, actor, "provider.create", "provider", id, in.name(), null, snapshot(provider(c, id)));
            tx.announce(new CatalogChanged("provider", id, "created", in.name()));
            return id;
        });
    }

    public void updateProvider(Actor actor, long id, ProviderInput in) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Provider before = provider(c, id);
            catalog.updateProvider(c, id, in.name(), in.description());
            dependencies(c, id, in.dependsOn());
            audit.record(c, actor, "provider.edit", "provider", id, in.name(), snapshot(before), snapshot(provider(c, id)));
            tx.announce(new CatalogChanged("provider", id, "edited", in.name()));
            return null;
        });
    }

    /** The form checked for cycles already; two administrators at once are caught here, inside the transaction. */
    private void dependencies(Connection c, long id, Set<Long> dependsOn) throws SQLException {
        try {
            catalog.setProviderDependencies(c, id, dependsOn);
        } catch (ProviderCycleException e) {
            throw Refusal.conflictOn("depends_on", "admin.error.provider.cycle", String.valueOf(e.dependsOnId()));
        }
    }

    private ServiceGroup group(Connection c, long id) throws SQLException {
        return catalog.load(c).groups().stream().filter(g -> g.id() == id).findFirst()
                .orElseThrow(() -> Refusal.notFound("admin.problem.group.missing"));
    }

    private Service service(Connection c, long id) throws SQLException {
        return catalog.load(c).service(id).orElseThrow(() -> Refusal.notFound("admin.problem.service.missing"));
    }

    private Provider provider(Connection c, long id) throws SQLException {
        return catalog.load(c).provider(id).orElseThrow(() -> Refusal.notFound("admin.problem.provider.missing"));
    }

    public static Map<String, Object> snapshot(Service s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slug", s.slug());
        m.put("name", s.name());
        m.put("description", s.description());
        m.put("group", s.groupId());
        m.put("position", s.position());
        m.put("channels", s.channels().stream().map(ch -> Map.of("kind", ch.kind().key(), "label", ch.label(),
                "value", ch.value(), "hours", ch.hours())).toList());
        m.put("providers", s.providerIds().stream().sorted().toList());
        return m;
    }

    public static Map<String, Object> snapshot(Provider p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slug", p.slug());
        m.put("name", p.name());
        m.put("description", p.description());
        m.put("dependsOn", p.dependsOn().stream().sorted().toList());
        return m;
    }
}
