package it.semaforo.notice;

import java.time.Instant;
import java.util.Set;

/**
 * A search of the archive. serviceId also matches avvisi on the providers in providerIds (the
 * ones the service depends on); from/until bound the publication (a year).
 */
public record ArchiveQuery(String text, NoticeKind kind, Long serviceId, Set<Long> providerIds, Instant from,
                           Instant until, int page, int pageSize) {
}
