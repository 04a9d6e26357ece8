package it.semaforo.status;

import it.semaforo.service.ServiceState;

import java.time.LocalDate;
import java.util.List;

/** The worst state of a service during one day, and the avvisi that imposed states that day. */
public record DayStatus(LocalDate date, ServiceState worst, List<Long> noticeIds) {
}
