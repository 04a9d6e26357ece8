package it.semaforo.status;

import it.semaforo.service.ServiceState;

import java.util.List;

/** The derived state of one service at an instant, the reason of the worst avviso, the avvisi imposing it. */
public record ServiceStatus(ServiceState state, String reason, List<Long> noticeIds) {
    public static final ServiceStatus OPERATIONAL = new ServiceStatus(ServiceState.OPERATIONAL, "", List.of());
}
