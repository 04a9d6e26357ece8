package it.semaforo.service;

import java.time.Instant;
import java.util.List;
import java.util.Set;

public record Service(long id, String slug, String name, String description, long groupId, int position,
                      List<Channel> channels, Set<Long> providerIds, Instant createdAt, Instant updatedAt) {
    public String path() {
        return "/servizi/" + slug;
    }
}
