package it.semaforo.service;

import java.util.Set;

/** A supplier or platform services depend on; it may itself be carried by other providers. */
public record Provider(long id, String slug, String name, String description, Set<Long> dependsOn) {
}
