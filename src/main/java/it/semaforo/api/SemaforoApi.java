package it.semaforo.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.service.Catalog;
import it.semaforo.service.Channel;
import it.semaforo.service.Provider;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceGroup;
import it.semaforo.service.ServiceState;
import it.semaforo.status.DayStatus;
import it.semaforo.status.ReadModel;
import it.semaforo.status.ServiceStatus;
import it.semaforo.render.Formats;
import it.semaforo.render.Messages;
import it.semaforo.render.Site;
import it.semaforo.text.FileNames;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Semaforo's own read API, for what Statuspage cannot say: the reason of a state and what to
 * do instead (channels), providers and the chains between them, the expiry of an avviso, its
 * impacts, numbered updates and attachments. Documented in /api/openapi.json.
 */
public final class SemaforoApi {
    public static final String BASE = "/api/semaforo/v1";
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private final NoticeRepository notices;
    private final Site site;

    public SemaforoApi(NoticeRepository notices, Site site) {
        this.notices = notices;
        this.site = site;
    }

    public ObjectNode services(ReadModel m, Locale lang) {
        Messages msg = new Messages(lang);
        ObjectNode root = envelope(m);
        ObjectNode overall = root.putObject("overall");
        overall.put("state", m.overall().key());
        overall.put("label", msg.t("state." + m.overall().key()));
        overall.put("statuspage_indicator", StatuspageApi.indicator(m.overall()));
        ArrayNode groups = root.putArray("groups");
        for (ServiceGroup g : m.catalog().groups()) {
            List<Service> members = m.catalog().servicesOf(g);
            if (members.isEmpty()) continue;
            ObjectNode group = groups.addObject();
            group.put("name", g.name());
            group.put("statuspage_id", ApiIds.group(g.id()));
            ArrayNode slugs = group.putArray("services");
            members.forEach(s -> slugs.add(s.slug()));
        }
        ArrayNode services = root.putArray("services");
        for (Service s : m.catalog().services()) services.add(service(m, s, msg));
        return root;
    }

    public ObjectNode service(ReadModel m, Locale lang, String slug) {
        Messages msg = new Messages(lang);
        Service s = m.catalog().service(slug)
                .orElseThrow(() -> ApiError.notFound(msg.t("api.error.service.not.found", slug)));
        ObjectNode root = envelope(m);
        root.set("service", service(m, s, msg));
        ArrayNode history = root.putArray("history");
        for (DayStatus d : m.history(s)) {
            ObjectNode day = history.addObject();
            day.put("date", d.date().toString());
            day.put("state", d.worst().key());
            ArrayNode ids = day.putArray("notice_ids");
            d.noticeIds().forEach(ids::add);
        }
        ArrayNode list = root.putArray("notices");
        for (Notice n : m.inForceFor(s)) list.add(notice(m, n, msg));
        return root;
    }

    public ObjectNode providers(ReadModel m, Locale lang) {
        Catalog c = m.catalog();
        ObjectNode root = envelope(m);
        ArrayNode list = root.putArray("providers");
        for (Provider p : c.providers()) {
            ObjectNode node = list.addObject();
            node.put("slug", p.slug());
            node.put("name", p.name());
            Json.text(node, "description", p.description());
            ArrayNode dependsOn = node.putArray("depends_on");
            c.providers().stream().filter(o -> p.dependsOn().contains(o.id())).forEach(o -> dependsOn.add(o.slug()));
            ArrayNode services = node.putArray("services");
            Set<Long> reached = c.servicesDependingOn(p.id());
            c.services().stream().filter(s -> reached.contains(s.id())).forEach(s -> services.add(s.slug()));
            ArrayNode ids = node.putArray("notice_ids");
            m.inForce().stream().filter(n -> n.impacts().stream().anyMatch(i -> Long.valueOf(p.id()).equals(i.providerId())))
                    .forEach(n -> ids.add(n.id()));
        }
        return root;
    }

    /** The avvisi in force (planned maintenances included), newest first, optionally for some services. */
    public ObjectNode notices(ReadModel m, Locale lang, String servizi) {
        Messages msg = new Messages(lang);
        List<Notice> chosen = inForceFor(m, ServiceSelection.parse(servizi, m.catalog(), msg));
        ObjectNode root = envelope(m);
        ArrayNode list = root.putArray("notices");
        for (Notice n : chosen) list.add(notice(m, n, msg));
        return root;
    }

    /**
     * Avvisi in force naming one of the services (all of them when none is chosen): what holds
     * now first, newest first, then the maintenances still to come, soonest first (a banner that
     * shows three shows the outage before next week's maintenance).
     */
    public static List<Notice> inForceFor(ReadModel m, List<Service> services) {
        Set<Long> ids = services.stream().map(Service::id).collect(java.util.stream.Collectors.toSet());
        List<Notice> chosen = m.inForce().stream()
                .filter(n -> ids.isEmpty() || m.servicesNamedBy(n).stream().anyMatch(s -> ids.contains(s.id()))).toList();
        return java.util.stream.Stream.concat(
                chosen.stream().filter(n -> !m.isUpcoming(n)),
                chosen.stream().filter(m::isUpcoming).sorted(Comparator.comparing(Notice::windowStart))).toList();
    }

    /** One public avviso, in force or not. A withdrawn one answers 410, as its page does. */
    public ObjectNode notice(ReadModel m, Locale lang, String ref) {
        Messages msg = new Messages(lang);
        if (!NUMBER.matcher(ref).matches()) throw ApiError.notFound(msg.t("api.error.notice.not.found", ref));
        Notice n = notices.find(Long.parseLong(ref))
                .orElseThrow(() -> ApiError.notFound(msg.t("api.error.notice.not.found", ref)));
        if (n.status() != NoticeStatus.WITHDRAWN && !n.isPublicAt(m.now())) {
            throw ApiError.notFound(msg.t("api.error.notice.not.found", ref));
        }
        return notice(m, msg, n, ref);
    }

    /** A public or withdrawn avviso already loaded, as the address of its id answers: for the static export. */
    public ObjectNode notice(ReadModel m, Locale lang, Notice n) {
        return notice(m, new Messages(lang), n, String.valueOf(n.id()));
    }

    private ObjectNode notice(ReadModel m, Messages msg, Notice n, String ref) {
        if (n.status() == NoticeStatus.WITHDRAWN) {
            throw new ApiError(410, msg.t("api.error.notice.withdrawn", ref,
                    new Formats(msg.locale(), site.zone()).dateTime(n.withdrawnAt())), null);
        }
        ObjectNode root = envelope(m);
        root.set("notice", notice(m, n, msg));
        return root;
    }

    // ---- objects ----------------------------------------------------------------------

    private ObjectNode envelope(ReadModel m) {
        ObjectNode root = Json.object();
        ObjectNode page = root.putObject("page");
        page.put("name", site.comune().name());
        page.put("url", site.baseUrl());
        page.put("time_zone", site.zone().getId());
        root.put("generated_at", ts(m.now()));
        return root;
    }

    private String ts(Instant t) {
        return Json.timestamp(t, site.zone());
    }

    private ObjectNode service(ReadModel m, Service s, Messages msg) {
        Catalog c = m.catalog();
        ServiceStatus status = m.status(s);
        ObjectNode node = Json.object();
        node.put("slug", s.slug());
        node.put("name", s.name());
        Json.text(node, "description", s.description());
        node.put("group", c.groups().stream().filter(g -> g.id() == s.groupId()).map(ServiceGroup::name).findFirst().orElse(""));
        node.put("url", site.baseUrl() + s.path());
        node.put("statuspage_id", ApiIds.component(s.id()));
        node.set("state", state(status.state(), msg));
        Json.text(node, "reason", status.reason());
        ArrayNode ids = node.putArray("notice_ids");
        status.noticeIds().forEach(ids::add);
        ArrayNode channels = node.putArray("channels");
        for (Channel ch : s.channels()) {
            ObjectNode channel = channels.addObject();
            channel.put("kind", ch.kind().key());
            channel.put("label", ch.label());
            channel.put("value", ch.value());
            Json.text(channel, "hours", ch.hours());
            Json.text(channel, "href", ch.href());
        }
        ArrayNode direct = node.putArray("providers");
        c.providers().stream().filter(p -> s.providerIds().contains(p.id())).forEach(p -> direct.add(p.slug()));
        ArrayNode all = node.putArray("all_providers");
        Set<Long> reachable = c.reachableProviders(s.providerIds());
        c.providers().stream().filter(p -> reachable.contains(p.id())).forEach(p -> all.add(p.slug()));
        node.put("badge_url", site.baseUrl() + "/embed/badge/" + s.slug() + ".svg");
        return node;
    }

    private static ObjectNode state(ServiceState state, Messages msg) {
        ObjectNode node = Json.object();
        node.put("key", state.key());
        node.put("label", msg.t("state." + state.key()));
        node.put("statuspage", state.statuspage());
        return node;
    }

    /** The fields of the avviso's kind: data_breach (art. 34 GDPR) and security, null for other kinds. */
    private static void kindDetails(ObjectNode node, Notice n) {
        var d = n.details();
        if (n.kind() == it.semaforo.notice.NoticeKind.DATA_BREACH) {
            ObjectNode b = node.putObject("data_breach");
            b.put("nature", d.breachNature());
            b.put("discovered", d.breachDiscovered());
            d.dataInvolved().forEach(b.putArray("data_involved")::add);
            d.dataNotInvolved().forEach(b.putArray("data_not_involved")::add);
            b.put("subjects", d.subjects());
            b.put("consequences", d.consequences());
            d.measuresTaken().forEach(b.putArray("measures_taken")::add);
            d.measuresProposed().forEach(b.putArray("measures_proposed")::add);
            d.residentActions().forEach(b.putArray("resident_actions")::add);
            b.put("controller", d.controller());
            b.put("dpo", d.dpo());
            b.put("garante_notification", d.garanteReference());
        } else {
            node.putNull("data_breach");
        }
        if (n.kind() == it.semaforo.notice.NoticeKind.SECURITY) {
            ObjectNode sec = node.putObject("security");
            d.recommendations().forEach(sec.putArray("recommendations")::add);
            sec.put("official_contact", d.officialContact());
            sec.put("not_us", d.notUs());
            sec.put("pinned", d.pinned());
        } else {
            node.putNull("security");
        }
    }

    private ObjectNode notice(ReadModel m, Notice n, Messages msg) {
        Catalog c = m.catalog();
        ObjectNode node = Json.object();
        node.put("id", n.id());
        node.put("statuspage_id", Reports.isMaintenance(n) ? ApiIds.maintenance(n.id()) : ApiIds.incident(n.id()));
        node.put("url", site.baseUrl() + n.path());
        node.put("kind", n.kind().key());
        node.put("kind_label", msg.t("kind." + n.kind().key()));
        node.put("title", n.title());
        node.put("summary", n.summary());
        node.put("body", n.body());
        node.put("language", n.language());
        node.put("status", noticeStatus(m, n));
        node.put("published_at", ts(n.publishedAt()));
        node.put("expires_at", ts(n.expiresAt()));
        node.put("closed_at", ts(n.closedAt()));
        node.put("last_updated_at", ts(n.lastUpdatedAt()));
        if (n.windowStart() == null) {
            node.putNull("window");
        } else {
            ObjectNode window = node.putObject("window");
            window.put("start", ts(n.windowStart()));
            window.put("end", ts(n.windowEnd()));
        }
        kindDetails(node, n);
        ArrayNode services = node.putArray("services");
        for (Service s : m.servicesNamedBy(n)) {
            ObjectNode service = services.addObject();
            service.put("slug", s.slug());
            service.put("name", s.name());
            service.set("state", state(m.status(s).state(), msg));
        }
        Map<Long, Integer> numbers = new HashMap<>();
        n.updates().forEach(u -> numbers.put(u.id(), u.number()));
        ArrayNode impacts = node.putArray("impacts");
        for (Impact i : n.impacts()) {
            String service = i.serviceId() == null ? null : c.service(i.serviceId()).map(Service::slug).orElse(null);
            String provider = i.providerId() == null ? null : c.provider(i.providerId()).map(Provider::slug).orElse(null);
            if (service == null && provider == null) continue;   // its target no longer exists
            ObjectNode impact = impacts.addObject();
            Json.text(impact, "service", service);
            Json.text(impact, "provider", provider);
            impact.set("state", state(i.state(), msg));
            Json.text(impact, "reason", i.reason());
            // the impacts an avviso is created with hold from its publication
            impact.put("effective_from", ts(i.effectiveFrom().isAfter(n.publishedAt()) ? i.effectiveFrom() : n.publishedAt()));
            number(impact, "update_number", i.updateId() == null ? null : numbers.get(i.updateId()));
        }
        ArrayNode updates = node.putArray("updates");
        n.updates().stream().sorted(Comparator.comparingInt(NoticeUpdate::number).reversed()).forEach(u -> {
            ObjectNode update = updates.addObject();
            update.put("number", u.number());
            update.put("body", u.body());
            update.put("closes", u.closes());
            update.put("created_at", ts(u.createdAt()));
        });
        ArrayNode attachments = node.putArray("attachments");
        for (Attachment a : n.attachments()) {
            ObjectNode attachment = attachments.addObject();
            attachment.put("title", a.title());
            attachment.put("filename", FileNames.shown(a.filename()));
            attachment.put("url", site.baseUrl() + a.path());
            attachment.put("content_type", a.contentType());
            attachment.put("size_bytes", a.sizeBytes());
            attachment.put("created_at", ts(a.createdAt()));
            number(attachment, "update_number", a.updateId() == null ? null : numbers.get(a.updateId()));
        }
        return node;
    }

    private static void number(ObjectNode node, String field, Integer value) {
        if (value == null) node.putNull(field);
        else node.put(field, value);
    }

    /** As the avviso page says it: closed, expired, scheduled (a window still to come) or in force. */
    static String noticeStatus(ReadModel m, Notice n) {
        if (n.isClosedAt(m.now())) return "closed";
        if (n.isExpiredAt(m.now())) return "expired";
        if (m.isUpcoming(n)) return "scheduled";
        return "in_force";
    }
}
