package it.semaforo.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every group, service and provider, with the dependency graph between them. Immutable. */
public final class Catalog {
    private final List<ServiceGroup> groups;
    private final List<Service> services;
    private final List<Provider> providers;
    private final Map<Long, Service> servicesById;
    private final Map<Long, Provider> providersById;
    private final Map<Long, Set<Long>> servicesByProvider;

    public Catalog(List<ServiceGroup> groups, List<Service> services, List<Provider> providers) {
        this.groups = List.copyOf(groups);
        this.services = List.copyOf(services);
        this.providers = List.copyOf(providers);
        this.servicesById = services.stream().collect(Collectors.toMap(Service::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        this.providersById = providers.stream().collect(Collectors.toMap(Provider::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        this.servicesByProvider = new LinkedHashMap<>();
        for (Service s : services) {
            for (long p : reachableProviders(s.providerIds())) {
                servicesByProvider.computeIfAbsent(p, k -> new HashSet<>()).add(s.id());
            }
        }
    }

    public List<ServiceGroup> groups() {
        return groups;
    }

    public List<Service> services() {
        return services;
    }

    public List<Provider> providers() {
        return providers;
    }

    public Optional<Service> service(long id) {
        return Optional.ofNullable(servicesById.get(id));
    }

    public Optional<Service> service(String slug) {
        return services.stream().filter(s -> s.slug().equals(slug)).findFirst();
    }

    public Optional<Provider> provider(long id) {
        return Optional.ofNullable(providersById.get(id));
    }

    public List<Service> servicesOf(ServiceGroup group) {
        return services.stream().filter(s -> s.groupId() == group.id()).toList();
    }

    /** Services that depend on the provider directly or through a chain of providers. */
    public Set<Long> servicesDependingOn(long providerId) {
        return servicesByProvider.getOrDefault(providerId, Set.of());
    }

    /** The providers reached from a start set by following "depends on" links (start included). */
    public Set<Long> reachableProviders(Set<Long> start) {
        Set<Long> seen = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            long p = todo.pop();
            if (!seen.add(p)) continue;
            Provider provider = providersById.get(p);
            if (provider != null) todo.addAll(provider.dependsOn());
        }
        return seen;
    }
}
