package it.semaforo.status;

import it.semaforo.event.ChangeEvent.ServiceChange;
import it.semaforo.event.Derivation;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The derivation (Timeline) as the ledger asks it, inside its transaction: from the avvisi's
 * terms and impacts alone (never their updates, which a long outage has by the hundred).
 */
public final class StateDerivation implements Derivation {
    private final ServiceCatalog services;
    private final NoticeRepository notices;

    public StateDerivation(ServiceCatalog services, NoticeRepository notices) {
        this.services = services;
        this.notices = notices;
    }

    @Override
    public Map<Long, ServiceChange> states(Connection c, Instant at) throws SQLException {
        Catalog catalog = services.load(c);
        Map<Long, ServiceStatus> statuses = new Timeline(catalog, notices.termsInForceSince(c, at)).statusAt(at);
        Map<Long, ServiceChange> states = new LinkedHashMap<>();
        for (Service s : catalog.services()) {
            states.put(s.id(), new ServiceChange(s.id(), s.slug(), s.name(), null,
                    statuses.getOrDefault(s.id(), ServiceStatus.OPERATIONAL).state().key()));
        }
        return states;
    }

    @Override
    public Set<Long> servicesNamedBy(Connection c, long noticeId) throws SQLException {
        Optional<Notice> n = notices.terms(c, noticeId);
        if (n.isEmpty()) return Set.of();
        return new Timeline(services.load(c), List.of()).servicesNamedBy(n.get());
    }
}
