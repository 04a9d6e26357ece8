package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;
import it.semaforo.audit.AuditLog;
import it.semaforo.db.Database;
import it.semaforo.notify.Choices;
import it.semaforo.notify.Notify;
import it.semaforo.notify.Subscriber;
import it.semaforo.notify.Subscriptions;
import it.semaforo.notify.Webhooks;
import it.semaforo.service.Catalog;
import it.semaforo.service.ServiceCatalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * /admin/notifiche (administrators): whether mail is on and why not, subscriber counts per
 * service, group and kind (never a list of addresses), one person's data exported or erased on
 * request (art. 15/17 GDPR, audited), and the webhook endpoints with their delivery log.
 */
public final class NotifyRoutes {
    private final AdminWeb web;
    private final Notify notify;
    private final ServiceCatalog services;
    private final AuditLog audit;
    private final Database db;

    NotifyRoutes(AdminWeb web, Notify notify, ServiceCatalog services, AuditLog audit, Database db) {
        this.web = web;
        this.notify = notify;
        this.services = services;
        this.audit = audit;
        this.db = db;
    }

    public record Count(String key, String name, int subscribers) {
    }

    public record EndpointView(Webhooks.Endpoint endpoint, String scope, List<Webhooks.Delivery> deliveries) {
    }

    public record Page(AdminPages.Frame frame, boolean mailEnabled, Subscriptions.Counts counts, List<Count> perService,
                       List<Count> perGroup, List<Count> perKind, Map<String, Integer> outbox, List<EndpointView> endpoints,
                       Form form, String secret, String allowPrivate, String dataMessage) {
    }

    void routes(RoutesConfig r) {
        r.get("/admin/notifiche", web.page(Role.ADMINISTRATOR, v -> page(v, Form.empty(), null, null, 200)));
        r.post("/admin/notifiche/webhook", web.action(Role.ADMINISTRATOR, this::create));
        r.post("/admin/notifiche/webhook/{id}/elimina", web.action(Role.ADMINISTRATOR, v -> {
            long id = web.id(v.ctx(), "id");
            notify.webhooks().delete(id);
            db.write(c -> {
                audit.record(c, v.actor(), "webhook.delete", "webhook", id, web.msg.t("admin.notify.audit.webhook.deleted"), null, null);
                return null;
            });
            AdminWeb.seeOther(v.ctx(), "/admin/notifiche");
        }));
        r.post("/admin/notifiche/webhook/{id}/riattiva", web.action(Role.ADMINISTRATOR, v -> {
            notify.webhooks().enable(web.id(v.ctx(), "id"));
            AdminWeb.seeOther(v.ctx(), "/admin/notifiche");
        }));
        r.post("/admin/notifiche/dati", web.action(Role.ADMINISTRATOR, this::dataRequest));
    }

    private void create(Visit v) {
        Form f = v.form();
        String url = NoticeForms.oneLine(f.text("url"));
        String description = NoticeForms.oneLine(f.text("description"));
        if (description.length() > 200) description = description.substring(0, 200);
        Optional<String> refused = url.isEmpty() ? Optional.of(web.msg.t("admin.notify.webhook.url.required"))
                : notify.webhooks().refusal(url);
        if (refused.isPresent()) {
            f.reject("url", web.msg.t("admin.notify.webhook.url.refused", refused.get()));
            page(v, f, null, null, 422);
            return;
        }
        Set<Long> ids = v.ctx().formParams("service").stream().filter(s -> s.matches("[0-9]{1,18}")).map(Long::valueOf)
                .collect(Collectors.toSet());
        Set<String> kinds = v.ctx().formParams("kind").stream().filter(Choices.KINDS::contains).collect(Collectors.toSet());
        Choices scope = new Choices("1".equals(f.text("everything")), ids, Set.of(), kinds);
        if (scope.isEmpty()) scope = Choices.all();
        Webhooks.Endpoint e = notify.webhooks().create(url, description, scope);
        db.write(c -> {
            audit.record(c, v.actor(), "webhook.create", "webhook", e.id(), web.msg.t("admin.notify.audit.webhook.created", e.url()), null, null);
            return null;
        });
        // the secret is in this answer only (no-store)
        page(v, Form.empty(), e.secret(), null, 201);
    }

    private void dataRequest(Visit v) {
        String email = NoticeForms.oneLine(v.form().text("email"));
        String action = v.form().text("action");
        Optional<Subscriber> s = email.isEmpty() ? Optional.empty() : notify.subscriptions().byEmail(email);
        if (s.isEmpty()) {
            page(v, Form.empty(), null, web.msg.t("admin.notify.data.none"), 404);
            return;
        }
        Subscriber sub = s.get();
        if ("erase".equals(action)) {
            notify.subscriptions().erase(sub.id());
            db.write(c -> {
                audit.record(c, v.actor(), "subscriber.erase", "subscriber", sub.id(), web.msg.t("admin.notify.audit.erased"), null, null);
                if (notify.clerkAlerts().isPresent()) notify.clerkAlerts().get().requestHandled(c, "erase", v.actor().displayName());
                return null;
            });
            page(v, Form.empty(), null, web.msg.t("admin.notify.data.erased"), 200);
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email", sub.email());
        data.put("language", sub.language());
        data.put("everything", sub.choices().everything());
        Catalog cat = services.load();
        data.put("services", cat.services().stream().filter(x -> sub.choices().services().contains(x.id())).map(x -> x.name()).toList());
        data.put("groups", cat.groups().stream().filter(x -> sub.choices().groups().contains(x.id())).map(x -> x.name()).toList());
        data.put("kinds", sub.choices().kinds().stream().sorted().toList());
        data.put("consent_at", String.valueOf(sub.consentAt()));
        data.put("confirmed_at", String.valueOf(sub.confirmedAt()));
        data.put("bounces", sub.bounces());
        data.put("suspended_at", String.valueOf(sub.suspendedAt()));
        db.write(c -> {
            audit.record(c, v.actor(), "subscriber.export", "subscriber", sub.id(), web.msg.t("admin.notify.audit.exported"), null, null);
            if (notify.clerkAlerts().isPresent()) notify.clerkAlerts().get().requestHandled(c, "export", v.actor().displayName());
            return null;
        });
        try {
            v.ctx().header("Cache-Control", "no-store");
            v.ctx().header("Content-Disposition", "attachment; filename=\"iscrizione-" + sub.id() + ".json\"");
            v.ctx().contentType("application/json; charset=utf-8").result(
                    it.semaforo.text.JsonText.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(data));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void page(Visit v, Form form, String secret, String dataMessage, int status) {
        Subscriptions.Counts counts = notify.subscriptions().counts();
        Catalog cat = services.load();
        List<Count> perService = cat.services().stream().map(s -> new Count(String.valueOf(s.id()), s.name(), counts.perService().getOrDefault(s.id(), 0))).toList();
        List<Count> perGroup = cat.groups().stream().map(g -> new Count(String.valueOf(g.id()), g.name(), counts.perGroup().getOrDefault(g.id(), 0))).toList();
        it.semaforo.render.Messages site = new it.semaforo.render.Messages(web.msg.locale());
        List<Count> perKind = Choices.KINDS.stream().map(k -> new Count(k, site.t("kind." + k), counts.perKind().getOrDefault(k, 0))).toList();
        List<EndpointView> endpoints = notify.webhooks().list().stream().map(e -> new EndpointView(e,
                e.choices().everything() ? web.msg.t("admin.notify.webhook.everything")
                        : cat.services().stream().filter(s -> e.choices().services().contains(s.id())).map(s -> s.name())
                        .collect(Collectors.joining(", ")) + (e.choices().kinds().isEmpty() ? "" : " " + e.choices().kinds()),
                notify.webhooks().deliveries(e.id(), 10))).toList();
        v.ctx().header("Cache-Control", "no-store");
        web.render(v.ctx(), status, "admin/notify.jte", new Page(web.frame(v.ctx(), v, "notify"), notify.mailEnabled(), counts,
                perService, perGroup, perKind, notify.outbox().countByState(), endpoints, form, secret,
                notify.webhooks().allowsPrivate() ? "true" : "false", dataMessage));
    }
}
