package it.semaforo.embed;

import it.semaforo.notice.Notice;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;
import it.semaforo.status.ServiceStatus;
import it.semaforo.render.PageContext;

import java.util.List;

/** The data of the embeddable pages, one record per template. */
public final class EmbedPages {
    private EmbedPages() {
    }

    /** services: the chosen ones with their state (empty when the whole page is shown). */
    public record Banner(PageContext ctx, String css, ServiceState worst, String headline,
                         List<ServiceLine> services, List<Notice> notices) {
    }

    public record ServiceLine(Service service, ServiceStatus status) {
    }

    public record Error(PageContext ctx, String css, String text) {
    }
}
