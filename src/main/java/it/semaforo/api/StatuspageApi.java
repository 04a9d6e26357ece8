package it.semaforo.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceGroup;
import it.semaforo.service.ServiceState;
import it.semaforo.status.ModelMemo;
import it.semaforo.status.ReadModel;
import it.semaforo.status.Timeline;
import it.semaforo.render.Formats;
import it.semaforo.render.Messages;
import it.semaforo.render.Site;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The read API of Atlassian Statuspage v2, so that clients, widgets and integrations written for
 * it work against Semaforo unchanged. The contract is docs/statuspage-v2.md: field
 * names, order, nullability and enums as real pages answer. Services are components, groups
 * are component groups (flat, with their members' ids), avvisi are incidents and planned
 * maintenances are scheduled maintenances; Semaforo's own facts travel in fields prefixed
 * "semaforo_", which no Statuspage field can clash with.
 */
public final class StatuspageApi {
    /** "50 most recent", as Statuspage documents its lists. */
    static final int LIST_SIZE = 50;

    private final NoticeRepository notices;
    private final Site site;
    private final String pageId;

    /**
     * When each service and the page last changed, for one read model: every endpoint and
     * language of one state of the site shares it (each needed a walk of the 90 days' avvisi).
     */
    private record Changes(Map<Long, Instant> services, Instant page) {
    }

    private final ModelMemo<ReadModel, Changes> changes = new ModelMemo<>(1);

    public StatuspageApi(NoticeRepository notices, Site site) {
        this.notices = notices;
        this.site = site;
        this.pageId = ApiIds.page(site.baseUrl());
    }

    // ---- endpoints --------------------------------------------------------------------

    public ObjectNode summary(ReadModel m, Locale lang) {
        View v = new View(m, lang, m.timeline());
        ObjectNode root = v.pageEnvelope();
        root.set("components", v.components());
        root.set("incidents", v.incidents(unresolvedIncidents(m)));
        root.set("scheduled_maintenances", v.incidents(maintenances(m, "scheduled", "in_progress", "verifying")));
        root.set("status", v.status());
        return root;
    }

    public ObjectNode status(ReadModel m, Locale lang) {
        View v = new View(m, lang, m.timeline());
        ObjectNode root = v.pageEnvelope();
        root.set("status", v.status());
        return root;
    }

    public ObjectNode components(ReadModel m, Locale lang) {
        View v = new View(m, lang, m.timeline());
        ObjectNode root = v.pageEnvelope();
        root.set("components", v.components());
        return root;
    }

    public ObjectNode incidents(ReadModel m, Locale lang) {
        List<Notice> list = notices.latestPublic(m.now(), false, LIST_SIZE);
        View v = new View(m, lang, timelineFor(m, list));
        ObjectNode root = v.pageEnvelope();
        root.set("incidents", v.incidents(list));
        return root;
    }

    public ObjectNode unresolvedIncidents(ReadModel m, Locale lang) {
        View v = new View(m, lang, m.timeline());
        ObjectNode root = v.pageEnvelope();
        root.set("incidents", v.incidents(unresolvedIncidents(m)));
        return root;
    }

    public ObjectNode scheduledMaintenances(ReadModel m, Locale lang) {
        List<Notice> list = notices.latestPublic(m.now(), true, LIST_SIZE);
        View v = new View(m, lang, timelineFor(m, list));
        ObjectNode root = v.pageEnvelope();
        root.set("scheduled_maintenances", v.incidents(list));
        return root;
    }

    public ObjectNode upcomingMaintenances(ReadModel m, Locale lang) {
        View v = new View(m, lang, m.timeline());
        ObjectNode root = v.pageEnvelope();
        root.set("scheduled_maintenances", v.incidents(maintenances(m, "scheduled")));
        return root;
    }

    public ObjectNode activeMaintenances(ReadModel m, Locale lang) {
        View v = new View(m, lang, m.timeline());
        ObjectNode root = v.pageEnvelope();
        root.set("scheduled_maintenances", v.incidents(maintenances(m, "in_progress", "verifying")));
        return root;
    }

    // ---- selections -------------------------------------------------------------------

    /** Incidents in force now, newest first. */
    private static List<Notice> unresolvedIncidents(ReadModel m) {
        return m.inForce().stream().filter(n -> !Reports.isMaintenance(n)).toList();
    }

    /** Maintenances of the read model in one of the statuses, newest window first. */
    private static List<Notice> maintenances(ReadModel m, String... statuses) {
        List<String> wanted = List.of(statuses);
        return m.inForce().stream().filter(Reports::isMaintenance)
                .filter(n -> wanted.contains(new Reports(n, m.catalog(), m.now()).status()))
                .sorted(Comparator.comparing(Notice::windowStart).thenComparing(Notice::id).reversed())
                .toList();
    }

    /**
     * The states before and after an old report need every avviso in force at that time; the
     * read model holds those of the last 90 days, enough for everything in force now.
     */
    private Timeline timelineFor(ReadModel m, List<Notice> list) {
        Instant oldest = list.stream().map(Notice::publishedAt).min(Comparator.naturalOrder()).orElse(m.now());
        if (!oldest.isBefore(m.now().minus(Duration.ofDays(ReadModel.HISTORY_DAYS)))) return m.timeline();
        List<Notice> all = new ArrayList<>(notices.inForceSince(oldest));
        return new Timeline(m.catalog(), all);
    }

    // ---- mapping ----------------------------------------------------------------------

    /** The page's "status.indicator" for the worst state of all services, and its verbatim description. */
    static String indicator(ServiceState overall) {
        return switch (overall) {
            case OPERATIONAL -> "none";
            case DEGRADED -> "minor";
            case ALTERNATIVE, LIMITED -> "major";
            case MAINTENANCE -> "maintenance";
            case SUSPENDED -> "critical";
        };
    }

    static String description(String indicator) {
        return switch (indicator) {
            case "none" -> "All Systems Operational";
            case "minor" -> "Partially Degraded Service";
            case "major" -> "Partial System Outage";
            case "maintenance" -> "Service Under Maintenance";
            default -> "Major Service Outage";
        };
    }

    /** An incident's impact from the worst state it imposed; an unplanned "maintenance" counts as major. */
    static String impact(ServiceState worst) {
        return switch (worst) {
            case OPERATIONAL -> "none";
            case DEGRADED -> "minor";
            case ALTERNATIVE, LIMITED, MAINTENANCE -> "major";
            case SUSPENDED -> "critical";
        };
    }

    /** Everything one answer needs, computed once per answer. */
    private final class View {
        private final ReadModel m;
        private final Catalog catalog;
        private final ZoneId zone;
        private final Messages msg;
        private final Formats fmt;
        private final Timeline timeline;
        private final Map<Long, Instant> serviceUpdatedAt = new HashMap<>();
        private final Map<Long, ObjectNode> serviceNodes = new LinkedHashMap<>();
        private final Changes changes;

        View(ReadModel m, Locale lang, Timeline timeline) {
            this.m = m;
            this.catalog = m.catalog();
            this.zone = site.zone();
            this.msg = new Messages(lang);
            this.fmt = new Formats(lang, zone);
            this.timeline = timeline;
            this.changes = StatuspageApi.this.changes.get(m, m, model -> {
                Map<Long, Instant> services = servicesLastChange();
                return new Changes(services, pageUpdatedAt(services));
            });
            serviceUpdatedAt.putAll(changes.services());
            for (Service s : catalog.services()) serviceNodes.put(s.id(), serviceComponent(s));
        }

        String ts(Instant t) {
            return Json.timestamp(t, zone);
        }

        ObjectNode pageEnvelope() {
            ObjectNode root = Json.object();
            ObjectNode page = root.putObject("page");
            page.put("id", pageId);
            page.put("name", site.comune().name());
            page.put("url", site.baseUrl());
            page.put("time_zone", zone.getId());
            page.put("updated_at", ts(pageUpdatedAt()));
            return root;
        }

        /** The latest public change: a state, a publication, a report. */
        private Instant pageUpdatedAt() {
            return changes.page();
        }

        private Instant pageUpdatedAt(Map<Long, Instant> serviceUpdatedAt) {
            Stream<Instant> services = serviceUpdatedAt.values().stream();
            Stream<Instant> reports = m.notices().stream().filter(n -> n.isPublicAt(m.now()))
                    .flatMap(n -> new Reports(n, catalog, m.now()).reports().stream().map(Reports.Report::at));
            return Stream.concat(services, reports).filter(t -> !t.isAfter(m.now()))
                    .max(Comparator.naturalOrder()).orElse(m.now());
        }

        ObjectNode status() {
            String indicator = indicator(m.overall());
            ObjectNode status = Json.object();
            status.put("indicator", indicator);
            status.put("description", description(indicator));
            status.put("semaforo_state", m.overall().key());
            return status;
        }

        /** Groups and their members in one flat list: each group, then its services. */
        ArrayNode components() {
            ArrayNode list = Json.array();
            int position = 0;
            for (ServiceGroup g : catalog.groups()) {
                List<Service> members = catalog.servicesOf(g);
                if (members.isEmpty()) continue;   // as on the home page: an empty group is not shown
                ServiceState worst = members.stream().map(s -> m.status(s).state())
                        .reduce(ServiceState.OPERATIONAL, ServiceState::worst);
                ObjectNode group = list.addObject();
                group.put("id", ApiIds.group(g.id()));
                group.put("name", g.name());
                group.put("status", worst.statuspage());
                group.put("created_at", ts(members.stream().map(Service::createdAt).min(Comparator.naturalOrder()).orElseThrow()));
                group.put("updated_at", ts(members.stream().map(s -> serviceUpdatedAt.get(s.id())).max(Comparator.naturalOrder()).orElseThrow()));
                group.put("position", ++position);
                group.putNull("description");
                group.put("showcase", false);
                group.putNull("start_date");
                group.putNull("group_id");
                group.put("page_id", pageId);
                group.put("group", true);
                group.put("only_show_if_degraded", false);
                ArrayNode ids = group.putArray("components");
                members.forEach(s -> ids.add(ApiIds.component(s.id())));
                group.put("semaforo_state", worst.key());
                int memberPosition = 0;
                for (Service s : members) {
                    ObjectNode node = serviceNodes.get(s.id()).deepCopy();
                    node.put("position", ++memberPosition);
                    list.add(node);
                }
            }
            return list;
        }

        private ObjectNode serviceComponent(Service s) {
            ServiceState state = m.status(s).state();
            ObjectNode c = Json.object();
            c.put("id", ApiIds.component(s.id()));
            c.put("name", s.name());
            c.put("status", state.statuspage());
            c.put("created_at", ts(s.createdAt()));
            c.put("updated_at", ts(serviceUpdatedAt.get(s.id())));
            c.put("position", s.position());
            Json.text(c, "description", s.description());
            c.put("showcase", true);
            c.put("start_date", Json.date(s.createdAt().atZone(zone).toLocalDate()));
            c.put("group_id", ApiIds.group(s.groupId()));
            c.put("page_id", pageId);
            c.put("group", false);
            c.put("only_show_if_degraded", false);
            c.put("semaforo_state", state.key());
            c.put("semaforo_url", site.baseUrl() + s.path());
            return c;
        }

        /**
         * The last instant the derived state of the service changed (within the read model's 90
         * days), or the last edit of the service if later.
         */
        private Map<Long, Instant> servicesLastChange() {
            // each avviso's instants given to the services it names: one walk of the avvisi, not one per service
            Timeline t = m.timeline();
            Map<Long, Set<Instant>> byService = new HashMap<>();
            for (Notice n : m.notices()) {
                Set<Long> named = t.servicesNamedBy(n);
                if (named.isEmpty()) continue;
                List<Instant> instants = Stream.concat(Stream.of(n.publishedAt(), n.expiresAt(), n.closedAt(), n.windowStart(), n.windowEnd()),
                                n.impacts().stream().map(Impact::effectiveFrom))
                        .filter(Objects::nonNull)
                        .filter(i -> !i.isAfter(m.now()) && i.isAfter(Instant.EPOCH)).toList();
                for (long id : named) byService.computeIfAbsent(id, k -> new HashSet<>()).addAll(instants);
            }
            Map<Long, Instant> out = new HashMap<>();
            for (Service s : catalog.services()) out.put(s.id(), lastChange(s, byService.getOrDefault(s.id(), Set.of())));
            return out;
        }

        private Instant lastChange(Service s, Set<Instant> instants) {
            Timeline t = m.timeline();
            List<Instant> candidates = instants.stream().sorted(Comparator.reverseOrder()).toList();
            for (Instant i : candidates) {
                if (t.statusAt(s.id(), i).state() != t.statusAt(s.id(), i.minusMillis(1)).state()) {
                    return later(i, s.updatedAt());
                }
            }
            return s.updatedAt();
        }

        ArrayNode incidents(List<Notice> list) {
            ArrayNode out = Json.array();
            for (Notice n : list) out.add(incident(n));
            return out;
        }

        private ObjectNode incident(Notice n) {
            Reports r = new Reports(n, catalog, m.now());
            List<Reports.Report> reports = r.reports();
            String id = r.maintenance() ? ApiIds.maintenance(n.id()) : ApiIds.incident(n.id());
            Instant updatedAt = Stream.concat(Stream.of(n.publishedAt()), reports.stream().map(Reports.Report::at))
                    .filter(t -> !t.isAfter(m.now())).max(Comparator.naturalOrder()).orElse(n.publishedAt());
            ObjectNode i = Json.object();
            i.put("id", id);
            i.put("name", n.title());
            i.put("status", r.status());
            i.put("created_at", ts(n.publishedAt()));
            i.put("updated_at", ts(updatedAt));
            i.put("monitoring_at", ts(r.maintenance() ? null : r.monitoringAt()));
            i.put("resolved_at", ts(r.resolvedAt()));
            i.put("impact", r.maintenance() ? "maintenance" : impact(r.worstState()));
            i.put("shortlink", site.baseUrl() + "/avvisi/" + n.id());
            i.put("started_at", ts(n.publishedAt()));
            i.put("page_id", pageId);
            ArrayNode updates = i.putArray("incident_updates");
            for (Reports.Report report : reports) updates.add(update(id, n, report));
            ArrayNode components = i.putArray("components");
            for (Service s : m.servicesNamedBy(n)) {
                ObjectNode c = serviceNodes.get(s.id());
                if (c != null) components.add(c.deepCopy());
            }
            i.putNull("reminder_intervals");
            if (r.maintenance()) {
                i.put("scheduled_for", ts(n.windowStart()));
                i.put("scheduled_until", ts(n.windowEnd()));
            }
            i.put("semaforo_kind", n.kind().key());
            i.put("semaforo_url", site.baseUrl() + n.path());
            i.put("semaforo_expires_at", ts(n.expiresAt()));
            return i;
        }

        private ObjectNode update(String incidentId, Notice n, Reports.Report report) {
            ObjectNode u = Json.object();
            u.put("id", report.id());
            u.put("status", report.status());
            u.put("body", report.body() != null ? report.body() : syntheticBody(n, report));
            u.put("incident_id", incidentId);
            u.put("created_at", ts(report.at()));
            u.put("updated_at", ts(report.at()));
            u.put("display_at", ts(report.at()));
            if (report.services().isEmpty()) {
                u.putNull("affected_components");
            } else {
                ArrayNode affected = u.putArray("affected_components");
                for (long serviceId : report.services()) {
                    Service s = catalog.service(serviceId).orElseThrow();
                    ObjectNode a = affected.addObject();
                    a.put("code", ApiIds.component(serviceId));
                    a.put("name", s.name());
                    a.put("old_status", timeline.statusAt(serviceId, report.at().minusMillis(1)).state().statuspage());
                    a.put("new_status", timeline.statusAt(serviceId, report.at()).state().statuspage());
                }
            }
            u.put("deliver_notifications", true);
            u.putNull("custom_tweet");
            u.putNull("tweet_id");
            return u;
        }

        private String syntheticBody(Notice n, Reports.Report report) {
            return switch (report.kind()) {
                case WINDOW_START -> msg.t("api.report.window.started", fmt.dateTime(n.windowEnd()));
                case END -> n.expiresAt() != null && n.expiresAt().equals(report.at())
                        ? msg.t("api.report.expired", fmt.dateTime(report.at()))
                        : msg.t("api.report.window.ended");
                default -> "";
            };
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
