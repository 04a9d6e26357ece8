package it.semaforo.admin;

import it.semaforo.event.Refusal;
import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;
import it.semaforo.service.CatalogDesk;
import it.semaforo.service.ProviderInput;
import it.semaforo.service.ServiceInput;
import it.semaforo.service.Catalog;
import it.semaforo.service.Channel;
import it.semaforo.service.ChannelKind;
import it.semaforo.service.Provider;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Groups, services and providers: administrators only. */
final class CatalogRoutes {
    private final AdminWeb web;
    private final ServiceCatalog services;
    private final CatalogDesk desk;
    private final CatalogForms forms;

    CatalogRoutes(AdminWeb web, ServiceCatalog services, CatalogDesk desk, CatalogForms forms) {
        this.forms = forms;
        this.web = web;
        this.services = services;
        this.desk = desk;
    }

    void routes(RoutesConfig r) {
        Role admin = Role.ADMINISTRATOR;
        r.get("/admin/servizi", web.page(admin, v -> list(v, Form.empty(), null, 200)));
        r.post("/admin/gruppi", web.action(admin, this::createGroup));
        r.post("/admin/gruppi/{id}", web.action(admin, this::renameGroup));
        r.post("/admin/gruppi/{id}/sposta", web.action(admin, v -> {
            desk.moveGroup(v.actor(), group(v).id(), direction(v));
            AdminWeb.seeOther(v.ctx(), "/admin/servizi?esito=ordine");
        }));
        r.get("/admin/servizi/nuovo", web.page(admin, v -> serviceEditor(v, null, Form.empty(), null, 200)));
        r.post("/admin/servizi", web.action(admin, v -> saveService(v, null)));
        r.get("/admin/servizi/{id}", web.page(admin, v -> {
            Service s = service(v);
            serviceEditor(v, s, filled(s), null, 200);
        }));
        r.post("/admin/servizi/{id}", web.action(admin, v -> saveService(v, service(v))));
        r.post("/admin/servizi/{id}/sposta", web.action(admin, v -> {
            desk.moveService(v.actor(), service(v).id(), direction(v));
            AdminWeb.seeOther(v.ctx(), "/admin/servizi?esito=ordine");
        }));
        r.get("/admin/fornitori", web.page(admin, this::providers));
        r.get("/admin/fornitori/nuovo", web.page(admin, v -> providerEditor(v, null, Form.empty(), null, 200)));
        r.post("/admin/fornitori", web.action(admin, v -> saveProvider(v, null)));
        r.get("/admin/fornitori/{id}", web.page(admin, v -> {
            Provider p = provider(v);
            Form f = Form.empty().set("name", p.name()).set("description", p.description()).set("slug", p.slug());
            p.dependsOn().forEach(d -> f.set("depends_on_" + d, "on"));
            providerEditor(v, p, f, null, 200);
        }));
        r.post("/admin/fornitori/{id}", web.action(admin, v -> saveProvider(v, provider(v))));
    }

    // ---- groups and the list ----------------------------------------------------------------

    private void list(Visit v, Form groupForm, Long failedGroupId, int status) {
        Catalog c = services.load();
        List<ServiceGroup> groups = c.groups();
        List<AdminPages.GroupBlock> blocks = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            blocks.add(new AdminPages.GroupBlock(groups.get(i), c.servicesOf(groups.get(i)), i == 0, i == groups.size() - 1));
        }
        web.render(v.ctx(), status, "admin/services.jte",
                new AdminPages.Services(web.frame(v.ctx(), v, "services"), blocks, groupForm, failedGroupId));
    }

    private void createGroup(Visit v) {
        Optional<String> name = forms.groupName(v.form(), services.load(), null);
        if (name.isEmpty()) {
            list(v, v.form(), null, 422);
            return;
        }
        desk.createGroup(v.actor(), name.get());
        AdminWeb.seeOther(v.ctx(), "/admin/servizi?esito=gruppo");
    }

    private void renameGroup(Visit v) {
        ServiceGroup g = group(v);
        Optional<String> name = forms.groupName(v.form(), services.load(), g.id());
        if (name.isEmpty()) {
            list(v, v.form(), g.id(), 422);
            return;
        }
        desk.renameGroup(v.actor(), g.id(), name.get());
        AdminWeb.seeOther(v.ctx(), "/admin/servizi?esito=gruppo");
    }

    private int direction(Visit v) {
        if (v.form().is("direction", "su")) return -1;
        if (v.form().is("direction", "giu")) return 1;
        throw new AdminProblem(400, web.msg.t("admin.problem.direction"));
    }

    // ---- services -----------------------------------------------------------------------------

    private Form filled(Service s) {
        Form f = Form.empty().set("name", s.name()).set("description", s.description()).set("slug", s.slug())
                .set("group", String.valueOf(s.groupId()));
        for (int i = 0; i < s.channels().size(); i++) {
            Channel ch = s.channels().get(i);
            f.set("channel_kind_" + i, ch.kind().key()).set("channel_label_" + i, ch.label())
                    .set("channel_value_" + i, ch.value()).set("channel_hours_" + i, ch.hours());
        }
        s.providerIds().forEach(p -> f.set("provider_" + p, "on"));
        return f;
    }

    private void saveService(Visit v, Service editing) {
        Optional<ServiceInput> in = forms.service(v.form(), services.load(), editing);
        if (in.isEmpty()) {
            serviceEditor(v, editing, v.form(), null, 422);
            return;
        }
        try {
            if (editing == null) desk.createService(v.actor(), in.get());
            else desk.updateService(v.actor(), editing.id(), in.get());
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            serviceEditor(v, editing, v.form(), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/servizi?esito=servizio");
    }

    private void serviceEditor(Visit v, Service editing, Form form, String problem, int status) {
        Catalog c = services.load();
        // as many rows as the form had (or the service has), and a few empty ones to add channels
        int used = (int) form.values().keySet().stream().filter(k -> k.startsWith("channel_label_")).count();
        int rows = Math.max(used, editing == null ? 0 : editing.channels().size()) + CatalogForms.SPARE_CHANNEL_ROWS;
        web.render(v.ctx(), status, "admin/serviceForm.jte", new AdminPages.ServiceEditor(web.frame(v.ctx(), v, "services"),
                editing, form, c.groups(), c.providers(), IntStream.range(0, rows).mapToObj(AdminPages.ChannelRow::new).toList(),
                List.of(ChannelKind.values()), problem));
    }

    // ---- providers ----------------------------------------------------------------------------

    private void providers(Visit v) {
        Catalog c = services.load();
        List<AdminPages.ProviderLine> lines = c.providers().stream().map(p -> new AdminPages.ProviderLine(p,
                p.dependsOn().stream().map(c::provider).flatMap(Optional::stream).map(Provider::name).sorted().toList(),
                c.servicesDependingOn(p.id()).stream().map(c::service).flatMap(Optional::stream).map(Service::name).sorted().toList()))
                .toList();
        web.render(v.ctx(), 200, "admin/providers.jte", new AdminPages.Providers(web.frame(v.ctx(), v, "providers"), lines));
    }

    private void saveProvider(Visit v, Provider editing) {
        Optional<ProviderInput> in = forms.provider(v.form(), services.load(), editing);
        if (in.isEmpty()) {
            providerEditor(v, editing, v.form(), null, 422);
            return;
        }
        try {
            if (editing == null) desk.createProvider(v.actor(), in.get());
            else desk.updateProvider(v.actor(), editing.id(), in.get());
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            providerEditor(v, editing, v.form(), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/fornitori?esito=fornitore");
    }

    private void providerEditor(Visit v, Provider editing, Form form, String problem, int status) {
        List<Provider> others = services.load().providers().stream().filter(p -> editing == null || p.id() != editing.id()).toList();
        web.render(v.ctx(), status, "admin/providerForm.jte",
                new AdminPages.ProviderEditor(web.frame(v.ctx(), v, "providers"), editing, form, others, problem));
    }

    // ---- lookups ------------------------------------------------------------------------------

    private ServiceGroup group(Visit v) {
        long id = web.id(v.ctx(), "id");
        return services.load().groups().stream().filter(g -> g.id() == id).findFirst()
                .orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.group.missing")));
    }

    private Service service(Visit v) {
        return services.load().service(web.id(v.ctx(), "id"))
                .orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.service.missing")));
    }

    private Provider provider(Visit v) {
        return services.load().provider(web.id(v.ctx(), "id"))
                .orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.provider.missing")));
    }
}
