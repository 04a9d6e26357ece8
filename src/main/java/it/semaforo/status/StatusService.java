package it.semaforo.status;

import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.ServiceCatalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** Builds the read model at the current instant of the injected clock. */
public final class StatusService {
    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final Clock clock;
    private final ZoneId zone;

    public StatusService(ServiceCatalog services, NoticeRepository notices, Clock clock, ZoneId zone) {
        this.services = services;
        this.notices = notices;
        this.clock = clock;
        this.zone = zone;
    }

    public ReadModel now() {
        Instant now = clock.instant();
        // a day more than the history shows, so the oldest day is complete in any zone
        Instant since = now.minus(Duration.ofDays(ReadModel.HISTORY_DAYS + 1));
        return new ReadModel(now, zone, services.load(), notices.inForceSince(since));
    }
}
