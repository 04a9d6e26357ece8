package it.semaforo.notice;

import java.time.Instant;
import java.util.Set;

/**
 * A list of the archive, by its filters. serviceId also matches avvisi on the providers in
 * providerIds (the ones the service depends on); from/until bound the publication (a year).
 * Its pages are the web's: see NoticeRepository.ArchiveList.
 */
public record ArchiveQuery(String text, NoticeKind kind, Long serviceId, Set<Long> providerIds, Instant from,
                           Instant until) {
}
