package it.semaforo.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The public state of the services as the avvisi derive it, read inside a write transaction
 * (so that it sees the change being made): the ledger asks it before and after each change to
 * tell subscribers which services moved. Implemented by the status package, handed in at assembly.
 */
public interface Derivation {
    /** Every service at that instant, by id. */
    Map<Long, ChangeEvent.ServiceChange> states(Connection c, Instant at) throws SQLException;

    /** The services an avviso names, directly or through their providers. */
    Set<Long> servicesNamedBy(Connection c, long noticeId) throws SQLException;

    /** No derivation: no service is ever reported (a ledger used before assembly, or in a tool). */
    Derivation NONE = new Derivation() {
        public Map<Long, ChangeEvent.ServiceChange> states(Connection c, Instant at) {
            return Map.of();
        }

        public Set<Long> servicesNamedBy(Connection c, long noticeId) {
            return Set.of();
        }
    };
}
