package it.semaforo.service;

import java.util.List;
import java.util.Set;

/** A service as an administrator describes it (checked by the form). */
public record ServiceInput(String slug, String name, String description, long groupId, List<Channel> channels,
                           Set<Long> providerIds) {
}
