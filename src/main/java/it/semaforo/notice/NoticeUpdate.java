package it.semaforo.notice;

import java.time.Instant;

/** A numbered report on an avviso; closes marks the update that closed it. */
public record NoticeUpdate(long id, int number, String body, boolean closes, String author, Instant createdAt) {
}
