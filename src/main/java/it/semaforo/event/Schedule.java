package it.semaforo.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Changes that time makes by itself (a scheduled publication, a scadenza, a maintenance window,
 * midnight): the ledger's clock asks each schedule what fell due in an interval and turns each
 * into an event, once.
 */
public interface Schedule {
    /** What falls due in (after, upTo], in any order. */
    List<Moment> due(Connection c, Instant after, Instant upTo) throws SQLException;

    /** The first instant after t at which something falls due, or null if nothing is planned. */
    Instant next(Connection c, Instant t) throws SQLException;

    /**
     * One thing falling due. noticeId: the avviso it is about, whose services the event carries
     * (null: none); event builds the event from those services' states before and after.
     */
    record Moment(Instant at, Long noticeId, Function<List<ChangeEvent.ServiceChange>, ChangeEvent> event) {
    }
}
