package it.semaforo.service;

import java.util.Set;

/** A provider as an administrator describes it (checked by the form): the providers it runs on. */
public record ProviderInput(String slug, String name, String description, Set<Long> dependsOn) {
}
