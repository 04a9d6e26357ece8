package it.semaforo.admin;

import io.javalin.config.RoutesConfig;
import it.semaforo.admin.AdminWeb.Visit;
import it.semaforo.service.Catalog;
import it.semaforo.service.Provider;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceState;
import it.semaforo.signal.ProviderReport;
import it.semaforo.signal.Signal;
import it.semaforo.signal.SignalDesk;
import it.semaforo.signal.Source;
import it.semaforo.signal.SourceInput;
import it.semaforo.signal.SourceKind;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Signals in the clerks' area: /admin/segnalazioni, where administrators add upstream sources
 * and probes and see each one's status (last success, last error, what it says now); the open
 * signals on the dashboard with their proposed avviso, published in one click, drafted or
 * dismissed; a probe's measurements as a chart (SVG drawn here, no script); and the mark
 * "Segnalato dal fornitore" on a provider.
 */
public final class SignalRoutes {
    private final AdminWeb web;
    private final SignalDesk desk;
    private final ServiceCatalog services;
    private final LongPredicate pollNow;
    private final Clock clock;
    private final Duration defaultInterval;
    private final Duration defaultTimeout;

    SignalRoutes(AdminWeb web, SignalDesk desk, ServiceCatalog services, LongPredicate pollNow, Clock clock,
                 Duration defaultInterval, Duration defaultTimeout) {
        this.web = web;
        this.desk = desk;
        this.services = services;
        this.pollNow = pollNow;
        this.clock = clock;
        this.defaultInterval = defaultInterval;
        this.defaultTimeout = defaultTimeout;
    }

    /** One open signal as the dashboard shows it, with its proposal. */
    public record Card(Signal signal, Source source, String target, List<String> reaches, String proposedTitle,
                       Long closes, Long updates, String problem) {
    }

    /** A source as the admin lists it: its status in words. */
    public record SourceLine(Source source, String target, String error, String says, List<Signal> recent) {
    }

    public record ReportLine(Provider provider, ProviderReport report) {
    }

    public record Page(AdminPages.Frame frame, List<SourceLine> sources, List<ReportLine> reports, Form form,
                       List<AdminPages.Option> kinds, List<AdminPages.Option> targets, List<AdminPages.Option> states,
                       long defaultInterval, long defaultTimeout) {
    }

    public record EditPage(AdminPages.Frame frame, Source source, Form form, List<AdminPages.Option> targets,
                           List<AdminPages.Option> states, long defaultInterval, long defaultTimeout) {
    }

    /** A source's page; a probe's with its chart over the chosen period (null for other sources). */
    public record Detail(AdminPages.Frame frame, SourceLine line, ProbeCharts.Chart chart, List<PeriodLink> periods,
                         String service) {
    }

    /** A link to a period of a chart; current: the one shown. */
    public record PeriodLink(String href, String label, boolean current) {
    }

    /** The probes of a service, charted over the chosen period. */
    public record ServiceMeasurements(AdminPages.Frame frame, String service, ProbeCharts.Chart chart,
                                      List<PeriodLink> periods, String periodLabel) {
    }

    void routes(RoutesConfig r) {
        r.get("/admin/segnalazioni", web.page(Role.ADMINISTRATOR, v -> page(v, Form.empty(), 200)));
        r.post("/admin/segnalazioni/fonti", web.action(Role.ADMINISTRATOR, this::create));
        r.get("/admin/segnalazioni/fonti/{id}", web.page(Role.EDITOR, this::detail));
        r.get("/admin/segnalazioni/servizi/{id}", web.page(Role.EDITOR, this::serviceMeasurements));
        r.post("/admin/segnalazioni/fonti/{id}/elimina", web.action(Role.ADMINISTRATOR, v -> {
            desk.removeSource(v.actor(), web.id(v.ctx(), "id"));
            AdminWeb.seeOther(v.ctx(), "/admin/segnalazioni?esito=fonte-eliminata");
        }));
        r.get("/admin/segnalazioni/fonti/{id}/modifica", web.page(Role.ADMINISTRATOR, v -> {
            Source s = source(v);
            edit(v, s, filled(s), 200);
        }));
        r.post("/admin/segnalazioni/fonti/{id}/modifica", web.action(Role.ADMINISTRATOR, v -> {
            Source s = source(v);
            SourceInput in = input(v.form(), s.kind());
            if (in == null) {
                edit(v, s, v.form(), 422);
                return;
            }
            desk.updateSource(v.actor(), s.id(), in);
            AdminWeb.seeOther(v.ctx(), "/admin/segnalazioni/fonti/" + s.id() + "?esito=fonte-modificata");
        }));
        r.post("/admin/segnalazioni/fonti/{id}/sospendi", web.action(Role.ADMINISTRATOR, v -> {
            long id = source(v).id();
            desk.enableSource(v.actor(), id, false);
            AdminWeb.seeOther(v.ctx(), "/admin/segnalazioni/fonti/" + id + "?esito=fonte-sospesa");
        }));
        r.post("/admin/segnalazioni/fonti/{id}/riprendi", web.action(Role.ADMINISTRATOR, v -> {
            long id = source(v).id();
            desk.enableSource(v.actor(), id, true);
            AdminWeb.seeOther(v.ctx(), "/admin/segnalazioni/fonti/" + id + "?esito=fonte-ripresa");
        }));
        r.post("/admin/segnalazioni/fonti/{id}/prova", web.action(Role.ADMINISTRATOR, v -> {
            long id = web.id(v.ctx(), "id");
            if (desk.sources().find(id).isEmpty()) throw new AdminProblem(404, web.msg.t("admin.signals.problem.source"));
            pollNow.test(id);
            AdminWeb.seeOther(v.ctx(), "/admin/segnalazioni/fonti/" + id + "?esito=provata");
        }));
        r.post("/admin/segnalazioni/{id}/pubblica", web.action(Role.EDITOR, v -> {
            long id = desk.accept(v.actor(), web.id(v.ctx(), "id"));
            AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + id + "?esito=pubblicato");
        }));
        r.post("/admin/segnalazioni/{id}/bozza", web.action(Role.EDITOR, v -> {
            long id = desk.draft(v.actor(), web.id(v.ctx(), "id"));
            AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + id + "/modifica?esito=bozza");
        }));
        r.post("/admin/segnalazioni/{id}/ignora", web.action(Role.EDITOR, v -> {
            desk.dismiss(v.actor(), web.id(v.ctx(), "id"));
            AdminWeb.seeOther(v.ctx(), "/admin?esito=ignorata");
        }));
        r.post("/admin/segnalazioni/fornitori/{id}", web.action(Role.EDITOR, v -> {
            long id = web.id(v.ctx(), "id");
            String text = NoticeForms.oneLine(v.form().text("text"));
            String link = NoticeForms.oneLine(v.form().text("link"));
            if (text.length() > 300) throw new AdminProblem(422, web.msg.t("admin.signals.report.long", 300));
            if (!link.isEmpty() && !httpLink(link)) throw new AdminProblem(422, web.msg.t("admin.signals.report.link"));
            desk.report(v.actor(), id, "clear".equals(v.form().text("action")) ? "" : text, link);
            AdminWeb.seeOther(v.ctx(), "/admin/segnalazioni?esito=segnalato#fornitori");
        }));
    }

    /** The open signals for the dashboard, newest first. */
    List<Card> cards() {
        Catalog cat = services.load();
        List<Card> cards = new ArrayList<>();
        for (Signal s : desk.open()) {
            Source src = desk.sources().find(s.sourceId()).orElse(null);
            if (src == null) continue;
            String problem = null;
            String title = null;
            Long closes = null;
            Long updates = null;
            try {
                SignalDesk.Proposal p = desk.proposal(s.id());
                title = p.notice() == null ? null : p.notice().title();
                closes = p.closes();
                updates = p.updates();
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            cards.add(new Card(s, src, target(cat, src), reaches(cat, src), title, closes, updates, problem));
        }
        return cards;
    }

    private static String target(Catalog cat, Source s) {
        if (s.providerId() != null) return cat.provider(s.providerId()).map(Provider::name).orElse("?");
        return cat.service(s.serviceId()).map(x -> x.name()).orElse("?");
    }

    /** The services a source reaches: those of its provider, directly or through chains of providers. */
    private static List<String> reaches(Catalog cat, Source s) {
        Set<Long> ids = s.providerId() != null ? cat.servicesDependingOn(s.providerId()) : Set.of(s.serviceId());
        return cat.services().stream().filter(x -> ids.contains(x.id())).map(x -> x.name()).toList();
    }

    private void page(Visit v, Form form, int status) {
        Catalog cat = services.load();
        List<SourceLine> lines = desk.sources().list().stream().map(s -> line(cat, s, 3)).toList();
        Map<Long, ProviderReport> reports = desk.reports();
        List<ReportLine> reportLines = cat.providers().stream().map(p -> new ReportLine(p, reports.get(p.id()))).toList();
        List<AdminPages.Option> kinds = Arrays.stream(SourceKind.values()).map(k -> new AdminPages.Option(k.key(),
                web.msg.t("admin.signals.kind." + k.key()), k.key().equals(form.get("kind")))).toList();
        v.ctx().header("Cache-Control", "no-store");
        web.render(v.ctx(), status, "admin/signals.jte", new Page(web.frame(v.ctx(), v, "signals"), lines, reportLines, form,
                kinds, targets(cat, form), states(form), defaultInterval.toSeconds(), defaultTimeout.toSeconds()));
    }

    private List<AdminPages.Option> targets(Catalog cat, Form form) {
        List<AdminPages.Option> targets = new ArrayList<>();
        for (Provider p : cat.providers()) {
            targets.add(new AdminPages.Option("p" + p.id(), web.msg.t("admin.signals.target.provider", p.name()),
                    ("p" + p.id()).equals(form.get("target"))));
        }
        for (var s : cat.services()) {
            targets.add(new AdminPages.Option("s" + s.id(), web.msg.t("admin.signals.target.service", s.name()),
                    ("s" + s.id()).equals(form.get("target"))));
        }
        return targets;
    }

    private List<AdminPages.Option> states(Form form) {
        String chosen = form.get("state").isEmpty() ? ServiceState.DEGRADED.key() : form.get("state");
        return Arrays.stream(ServiceState.values()).filter(s -> s != ServiceState.OPERATIONAL)
                .map(s -> new AdminPages.Option(s.key(), web.context("/admin").state(s), s.key().equals(chosen))).toList();
    }

    private Source source(Visit v) {
        return desk.sources().find(web.id(v.ctx(), "id"))
                .orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.signals.problem.source")));
    }

    /** The edit form as the source is now. */
    private static Form filled(Source s) {
        Form f = Form.empty();
        f.set("name", s.name());
        f.set("url", s.url());
        f.set("target", s.providerId() != null ? "p" + s.providerId() : "s" + s.serviceId());
        f.set("selector", s.selector());
        f.set("state", s.proposedState().key());
        f.set("interval", String.valueOf(s.interval().toSeconds()));
        f.set("timeout", String.valueOf(s.timeout().toSeconds()));
        f.set("expected", String.valueOf(s.expectedStatus()));
        f.set("threshold", String.valueOf(s.threshold()));
        if (s.autoPublish()) f.set("auto", "1");
        if (s.publicMeasurements()) f.set("public", "1");
        return f;
    }

    private void edit(Visit v, Source s, Form form, int status) {
        v.ctx().header("Cache-Control", "no-store");
        web.render(v.ctx(), status, "admin/signalSourceEdit.jte", new EditPage(web.frame(v.ctx(), v, "signals"), s, form,
                targets(services.load(), form), states(form), defaultInterval.toSeconds(), defaultTimeout.toSeconds()));
    }

    private SourceLine line(Catalog cat, Source s, int recent) {
        String says = s.saysAt() == null ? null : s.saysState() == null ? s.saysTitle()
                : web.context("/admin").state(s.saysState()) + (s.saysTitle() == null || s.saysTitle().isBlank() ? "" : " — " + s.saysTitle());
        return new SourceLine(s, target(cat, s), s.lastError() == null ? null : error(s.lastError()), says,
                desk.recent(s.id(), recent));
    }

    /** A stored error (a key, then its arguments one a line) in the clerks' words. */
    String error(String stored) {
        String[] parts = stored.split("\n");
        try {
            return web.msg.t(parts[0], (Object[]) Arrays.copyOfRange(parts, 1, parts.length));
        } catch (RuntimeException e) {
            return stored.replace('\n', ' ');
        }
    }

    private void create(Visit v) {
        Form f = v.form();
        SourceKind kind = SourceKind.fromKey(f.text("kind")).orElse(null);
        if (kind == null) f.reject("kind", web.msg.t("admin.signals.error.kind"));
        SourceInput in = input(f, kind);
        if (in == null) {
            page(v, f, 422);
            return;
        }
        desk.addSource(v.actor(), in);
        AdminWeb.seeOther(v.ctx(), "/admin/segnalazioni?esito=fonte");
    }

    /** The source the form describes, of the given kind; null (and the form's errors set) when something is wrong. */
    private SourceInput input(Form f, SourceKind kind) {
        String name = NoticeForms.oneLine(f.text("name"));
        if (name.isEmpty()) f.reject("name", web.msg.t("admin.signals.error.name"));
        else if (name.length() > 200) f.reject("name", web.msg.t("admin.signals.error.name.long", 200));
        String url = NoticeForms.oneLine(f.text("url"));
        if (!httpLink(url) || url.length() > 2000) f.reject("url", web.msg.t("admin.signals.error.url"));
        String target = f.text("target");
        Catalog cat = services.load();
        Long providerId = null;
        Long serviceId = null;
        if (target.matches("p[0-9]{1,18}") && cat.provider(Long.parseLong(target.substring(1))).isPresent()) {
            providerId = Long.parseLong(target.substring(1));
        } else if (target.matches("s[0-9]{1,18}") && cat.service(Long.parseLong(target.substring(1))).isPresent()) {
            serviceId = Long.parseLong(target.substring(1));
        } else {
            f.reject("target", web.msg.t("admin.signals.error.target"));
        }
        String selector = NoticeForms.oneLine(f.text("selector"));
        if (selector.length() > 200) f.reject("selector", web.msg.t("admin.signals.error.selector", 200));
        ServiceState state = ServiceState.fromKey(f.text("state")).orElse(null);
        if (state == null || state == ServiceState.OPERATIONAL) f.reject("state", web.msg.t("admin.signals.error.state"));
        long interval = number(f, "interval", defaultInterval.toSeconds(), 5, 86_400);
        long timeout = number(f, "timeout", defaultTimeout.toSeconds(), 1, 300);
        long expected = number(f, "expected", 200, 100, 599);
        long threshold = number(f, "threshold", 3, 1, 100);
        if (timeout > interval) f.reject("timeout", web.msg.t("admin.signals.error.timeout"));
        if (f.hasErrors() || kind == null) return null;
        return new SourceInput(kind, name, url, providerId, serviceId, selector, state,
                Duration.ofSeconds(interval), Duration.ofSeconds(timeout), (int) expected, (int) threshold,
                f.checked("auto"), f.checked("public"));
    }

    private long number(Form f, String field, long dflt, long min, long max) {
        String raw = f.text(field);
        if (raw.isEmpty()) return dflt;
        if (!raw.matches("[0-9]{1,9}") || Long.parseLong(raw) < min || Long.parseLong(raw) > max) {
            f.reject(field, web.msg.t("admin.signals.error.number", String.valueOf(min), String.valueOf(max)));
            return dflt;
        }
        return Long.parseLong(raw);
    }

    static boolean httpLink(String url) {
        try {
            URI u = new URI(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<PeriodLink> periods(AdminPages.Frame frame, String path, ProbeCharts.Period chosen) {
        return Arrays.stream(ProbeCharts.Period.values()).map(p -> new PeriodLink(path + "?periodo=" + p.key(),
                frame.t("admin.measurements.period." + p.key()), p == chosen)).toList();
    }

    private void detail(Visit v) {
        long id = web.id(v.ctx(), "id");
        Source s = desk.sources().find(id).orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.signals.problem.source")));
        Catalog cat = services.load();
        ProbeCharts.Period period = ProbeCharts.Period.of(v.ctx().queryParam("periodo"));
        AdminPages.Frame frame = web.frame(v.ctx(), v, "signals");
        String label = frame.t("admin.measurements.period." + period.key());
        ProbeCharts.Chart chart = s.isProbe() ? ProbeCharts.chart(desk.sources(), List.of(s), period, clock.instant(),
                frame.ctx(), frame.t("admin.measurements.chart.title", s.name(), label)) : null;
        String service = s.serviceId() == null ? null : cat.service(s.serviceId()).map(x -> x.name()).orElse(null);
        v.ctx().header("Cache-Control", "no-store");
        web.render(v.ctx(), 200, "admin/signalSource.jte", new Detail(frame,
                line(cat, s, 20), chart, periods(frame, "/admin/segnalazioni/fonti/" + id, period), service));
    }

    /** The clerks' chart per service: every probe of the service over the period chosen by a link. */
    private void serviceMeasurements(Visit v) {
        long id = web.id(v.ctx(), "id");
        var service = services.load().service(id)
                .orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.measurements.problem.service")));
        ProbeCharts.Period period = ProbeCharts.Period.of(v.ctx().queryParam("periodo"));
        AdminPages.Frame frame = web.frame(v.ctx(), v, "signals");
        String label = frame.t("admin.measurements.period." + period.key());
        List<Source> probes = desk.sources().list().stream()
                .filter(s -> s.isProbe() && Long.valueOf(id).equals(s.serviceId())).toList();
        ProbeCharts.Chart chart = probes.isEmpty() ? null : ProbeCharts.chart(desk.sources(), probes, period, clock.instant(),
                frame.ctx(), frame.t("admin.measurements.chart.title", service.name(), label));
        v.ctx().header("Cache-Control", "no-store");
        web.render(v.ctx(), 200, "admin/serviceMeasurements.jte", new ServiceMeasurements(frame,
                service.name(), chart, periods(frame, "/admin/segnalazioni/servizi/" + id, period), label));
    }
}
