package it.semaforo.notify;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a subscriber follows: everything; or the union of some services, some groups (every
 * service in them) and some kinds of avviso (whatever service they name).
 */
public record Choices(boolean everything, Set<Long> services, Set<Long> groups, Set<String> kinds) {
    /** The kinds a resident can follow on their own (docs/design.md): outages, maintenance, security, data breaches. */
    public static final List<String> KINDS = List.of("disservizio", "manutenzione", "sicurezza", "violazione-dati");

    public Choices {
        services = Set.copyOf(services);
        groups = Set.copyOf(groups);
        kinds = Set.copyOf(kinds.stream().filter(KINDS::contains).toList());
    }

    public static Choices all() {
        return new Choices(true, Set.of(), Set.of(), Set.of());
    }

    public boolean isEmpty() {
        return !everything && services.isEmpty() && groups.isEmpty() && kinds.isEmpty();
    }

    /** Whether an avviso of this kind naming these services (with their groups) concerns the subscriber. */
    public boolean follows(String kind, Set<Long> serviceIds, Set<Long> groupIds) {
        if (everything || kind != null && kinds.contains(kind)) return true;
        for (Long s : serviceIds) if (services.contains(s)) return true;
        for (Long g : groupIds) if (groups.contains(g)) return true;
        return false;
    }

    static String column(Set<?> values) {
        if (values.isEmpty()) return "";
        return "," + values.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new))
                .stream().collect(Collectors.joining(",")) + ",";
    }

    static Set<Long> ids(String column) {
        return Arrays.stream(column.split(",")).filter(s -> !s.isEmpty()).map(Long::valueOf).collect(Collectors.toSet());
    }

    static Set<String> words(String column) {
        return Arrays.stream(column.split(",")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
