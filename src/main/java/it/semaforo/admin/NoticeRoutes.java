package it.semaforo.admin;

import it.semaforo.notice.UpdateInput;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeDesk;
import it.semaforo.event.Refusal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.UploadedFile;
import it.semaforo.admin.AdminWeb.Visit;
import it.semaforo.http.Answers;
import it.semaforo.notice.Approval;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.Destinations;
import it.semaforo.notice.AttachmentFiles;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.render.Rendered;
import it.semaforo.service.Catalog;
import it.semaforo.service.Provider;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceGroup;
import it.semaforo.service.ServiceState;
import it.semaforo.text.FileNames;
import it.semaforo.text.Markdown;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The avvisi: dashboard, list, form, preview, publication, updates, expiry, withdrawal, attachments. */
final class NoticeRoutes {
    /** The avvisi a clerk must look at: those whose expiry comes within this time. */
    static final Duration EXPIRING = Duration.ofHours(48);
    private static final Duration EXPIRED_LOOKBACK = Duration.ofDays(30);
    private static final int PAGE_SIZE = 30;
    /** An alternative text says what the image shows in a sentence or two, not a caption of a page. */
    static final int ALT_MAX = 250;

    /** How far back the dashboard lists approvals and refusals. */
    private static final Duration DECISIONS_SHOWN = Duration.ofDays(14);

    private final AdminWeb web;
    private final NoticeRepository notices;
    private final ServiceCatalog services;
    private final NoticeDesk desk;
    private final NoticeForms forms;
    private final Uploads uploads;
    private final Markdown markdown;
    private final Clock clock;
    private final AttachmentFiles files;
    private final AccessReview accessReview;

    NoticeRoutes(AdminWeb web, NoticeRepository notices, ServiceCatalog services, NoticeDesk desk, NoticeForms forms,
                 Uploads uploads, Markdown markdown, Clock clock, AttachmentFiles files, AccessReview accessReview) {
        this.accessReview = accessReview;
        this.web = web;
        this.notices = notices;
        this.services = services;
        this.desk = desk;
        this.forms = forms;
        this.uploads = uploads;
        this.markdown = markdown;
        this.clock = clock;
        this.files = files;
    }

    /** The open signals with their proposals (signals in), when the feature is assembled. */
    private java.util.function.Supplier<List<SignalRoutes.Card>> signalCards = List::of;

    void signalCards(java.util.function.Supplier<List<SignalRoutes.Card>> cards) {
        this.signalCards = cards;
    }

    void routes(RoutesConfig r) {
        r.get("/admin", web.page(Role.EDITOR, this::dashboard));
        r.get("/admin/avvisi", web.page(Role.EDITOR, this::list));
        r.get("/admin/avvisi/nuovo", web.page(Role.EDITOR, v -> editor(v, null,
                Form.empty().set("publish", "now").set("kind", NoticeKind.OUTAGE.key()).set("language", web.msg.lang())
                        .set("controller", web.config.privacy().controller()).set("dpo", web.config.privacy().dpo()), null, 200)));
        r.post("/admin/avvisi", web.action(Role.EDITOR, this::create));
        r.get("/admin/avvisi/{id}", web.page(Role.EDITOR, v -> view(v, notice(v), null, 200)));
        r.get("/admin/avvisi/{id}/modifica", web.page(Role.EDITOR, this::editPage));
        r.post("/admin/avvisi/{id}/modifica", web.action(Role.EDITOR, this::save));
        r.get("/admin/avvisi/{id}/anteprima", web.page(Role.EDITOR, v -> preview(v, notice(v), null, 200)));
        r.post("/admin/avvisi/{id}/pubblica", web.action(Role.EDITOR, this::publish));
        r.post("/admin/avvisi/{id}/approvazione", web.action(Role.EDITOR, this::requestApproval));
        r.post("/admin/avvisi/{id}/approva", web.action(Role.EDITOR, this::approve));
        r.post("/admin/avvisi/{id}/rifiuta", web.action(Role.EDITOR, this::refuse));
        r.post("/admin/avvisi/{id}/aggiornamenti", web.action(Role.EDITOR, this::addUpdate));
        r.post("/admin/avvisi/{id}/scadenza", web.action(Role.EDITOR, this::changeExpiry));
        r.post("/admin/avvisi/{id}/ritira", web.action(Role.EDITOR, this::withdraw));
        r.post("/admin/avvisi/{id}/allegati", web.action(Role.EDITOR, this::upload));
        r.post("/admin/avvisi/{id}/allegati/{attachment}/rimuovi", web.action(Role.EDITOR, this::removeAttachment));
        r.get("/admin/allegati/{name}", web.page(Role.EDITOR, this::attachment));
    }

    // ---- dashboard and list ---------------------------------------------------------------

    private java.util.function.Supplier<List<AdminPages.CopyState>> copies = List::of;

    void copies(java.util.function.Supplier<List<AdminPages.CopyState>> copies) {
        this.copies = copies;
    }

    private void dashboard(Visit v) {
        Instant now = clock.instant();
        List<Notice> desk = notices.forDesk(now);
        List<Notice> expiring = notices.expiringWithin(now, EXPIRING);
        List<Notice> expired = notices.expiredUnclosed(now, now.minus(EXPIRED_LOOKBACK));
        AdminPages.Frame frame = web.frame(v.ctx(), v, "dashboard");
        if ("accesso".equals(v.ctx().queryParam("esito"))) {
            // "says so at login": the first thing a clerk reads after signing in
            frame = new AdminPages.Frame(frame.ctx(), frame.user(), frame.csrf(), frame.section(),
                    expiring.isEmpty() ? web.msg.t("admin.flash.welcome", v.user().displayName())
                            : web.msg.t("admin.flash.welcome.expiring", v.user().displayName(), expiring.size()),
                    !expiring.isEmpty());
        }
        // two pairs of eyes: what waits for an approver, and the latest decisions with their reasons
        List<AdminPages.PendingLine> pending = new ArrayList<>();
        for (Approval a : this.desk.approvals().allPending()) {
            notices.find(a.noticeId()).ifPresent(n -> pending.add(new AdminPages.PendingLine(a, n)));
        }
        List<AdminPages.DecisionLine> decisions = this.desk.approvals().recentDecisions(now.minus(DECISIONS_SHOWN), 10).stream()
                .map(a -> new AdminPages.DecisionLine(a, notices.find(a.noticeId()).map(Notice::title).orElse("#" + a.noticeId())))
                .toList();
        web.render(v.ctx(), 200, "admin/dashboard.jte", new AdminPages.Dashboard(frame, now, expiring, expired,
                desk.stream().filter(n -> n.status() == NoticeStatus.DRAFT).toList(),
                desk.stream().filter(n -> n.status() == NoticeStatus.PUBLISHED && n.isInForceAt(now)).toList(),
                desk.stream().filter(n -> n.status() == NoticeStatus.PUBLISHED && n.publishedAt().isAfter(now)).toList(),
                copies.get(), signalCards.get(), pending, decisions, v.user().isAdministrator() ? accessAlerts() : List.of()));
    }

    /** What administrators are told of the access review: accounts suspended for disuse, a review due. */
    private List<String> accessAlerts() {
        List<String> alerts = new ArrayList<>();
        for (AccessReview.Suspended s : accessReview.recentlySuspended()) {
            alerts.add(web.msg.t("admin.dashboard.access.suspended", s.displayName(), s.username(), web.fmt.dateTime(s.at()),
                    accessReview.policy().inactiveAfter().toDays()));
        }
        if (accessReview.overdue()) {
            Instant due = accessReview.due();
            alerts.add(due == null ? web.msg.t("admin.dashboard.access.never")
                    : web.msg.t("admin.dashboard.access.overdue", web.fmt.dateTime(due)));
        }
        return alerts;
    }

    private void list(Visit v) {
        int page = web.pageNumber(v.ctx());
        var result = notices.allForClerks(page, PAGE_SIZE);
        if (page > result.pages()) throw new AdminProblem(404, web.msg.t("admin.problem.page"));
        web.render(v.ctx(), 200, "admin/notices.jte", new AdminPages.NoticeList(web.frame(v.ctx(), v, "notices"),
                clock.instant(), result, page > 1 ? "/admin/avvisi?pagina=" + (page - 1) : null,
                page < result.pages() ? "/admin/avvisi?pagina=" + (page + 1) : null));
    }

    // ---- the form -------------------------------------------------------------------------

    private void create(Visit v) {
        Optional<NoticeInput> in = forms.notice(v.form(), services.load(), clock.instant());
        if (in.isEmpty()) {
            editor(v, null, v.form(), null, 422);
            return;
        }
        long id = desk.createDraft(v.actor(), in.get());
        AdminWeb.seeOther(v.ctx(), v.form().is("action", "preview") ? "/admin/avvisi/" + id + "/anteprima"
                : "/admin/avvisi/" + id + "?esito=bozza");
    }

    private void editPage(Visit v) {
        Notice n = notice(v);
        if (n.status() == NoticeStatus.WITHDRAWN) throw new AdminProblem(409, web.msg.t("admin.problem.withdrawn"));
        editor(v, n, filled(n), null, 200);
    }

    private void save(Visit v) {
        Notice n = notice(v);
        Form f = v.form();
        try {
            if (n.status() == NoticeStatus.DRAFT) {
                Optional<NoticeInput> in = forms.notice(f, services.load(), clock.instant());
                if (in.isEmpty()) {
                    editor(v, n, f, null, 422);
                    return;
                }
                desk.saveDraft(v.actor(), n.id(), in.get(), f.get("version"));
                AdminWeb.seeOther(v.ctx(), f.is("action", "preview") ? "/admin/avvisi/" + n.id() + "/anteprima"
                        : "/admin/avvisi/" + n.id() + "?esito=bozza");
            } else if (n.status() == NoticeStatus.PUBLISHED) {
                Optional<NoticeForms.Correction> in = forms.correction(f, n);
                if (in.isEmpty()) {
                    editor(v, n, f, null, 422);
                    return;
                }
                desk.editText(v.actor(), n.id(), in.get().text(), in.get().details(), f.get("version"), f.checked("notify"));
                AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito=modificato");
            } else {
                throw new AdminProblem(409, web.msg.t("admin.problem.withdrawn"));
            }
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            // what the clerk typed stays on the page; saving again is now a deliberate overwrite
            Notice current = notices.find(n.id()).orElse(n);
            if (current.status() == NoticeStatus.WITHDRAWN) throw p;
            f.set("version", NoticeDesk.version(current));
            editor(v, current, f, p.getMessage(), 409);
        }
    }

    private void editor(Visit v, Notice editing, Form form, String problem, int status) {
        Catalog catalog = services.load();
        Instant now = clock.instant();
        List<AdminPages.Option> kinds = Arrays.stream(NoticeKind.values())
                .map(k -> new AdminPages.Option(k.key(), web.context("").kind(k), form.is("kind", k.key()))).toList();
        // each language named in itself, as a reader of that language looks for it
        List<AdminPages.Option> languages = NoticeForms.LANGUAGES.stream().map(tag -> {
            Locale l = Locale.forLanguageTag(tag);
            return new AdminPages.Option(tag, l.getDisplayLanguage(l), form.is("language", tag));
        }).toList();
        boolean textOnly = editing != null && editing.status() != NoticeStatus.DRAFT;
        web.render(v.ctx(), status, "admin/noticeForm.jte", new AdminPages.NoticeEditor(web.frame(v.ctx(), v, "new"),
                editing, textOnly, form, kinds, languages, serviceRows(catalog, null, now), providerRows(catalog, null, now),
                List.of(ServiceState.values()), problem));
    }

    /** The fields of the avviso's kind, lists one item per line; the privacy defaults when not said. */
    private void fillDetails(Form f, it.semaforo.notice.NoticeDetails d) {
        f.set("breach_nature", d.breachNature()).set("breach_discovered", d.breachDiscovered())
                .set("data_involved", String.join("\n", d.dataInvolved()))
                .set("data_not_involved", String.join("\n", d.dataNotInvolved())).set("subjects", d.subjects())
                .set("consequences", d.consequences()).set("measures_taken", String.join("\n", d.measuresTaken()))
                .set("measures_proposed", String.join("\n", d.measuresProposed()))
                .set("resident_actions", String.join("\n", d.residentActions()))
                .set("controller", d.controller().isEmpty() ? web.config.privacy().controller() : d.controller())
                .set("dpo", d.dpo().isEmpty() ? web.config.privacy().dpo() : d.dpo())
                .set("garante_reference", d.garanteReference())
                .set("recommendations", String.join("\n", d.recommendations()))
                .set("official_contact", d.officialContact()).set("not_us", d.notUs());
        if (d.pinned()) f.set("pinned", "on");
    }

    /** The form filled with the avviso as it is. */
    private Form filled(Notice n) {
        var zone = web.fmt.zone();
        Form f = Form.empty()
                .set("title", n.title()).set("summary", n.summary()).set("body", n.body()).set("kind", n.kind().key())
                .set("language", n.language())
                .set("publish", n.publishedAt() == null ? "now" : "later")
                .set("publish_at", Dates.input(n.publishedAt(), zone))
                .set("expires_at", Dates.input(n.expiresAt(), zone))
                .set("window_start", Dates.input(n.windowStart(), zone))
                .set("window_end", Dates.input(n.windowEnd(), zone))
                .set("version", NoticeDesk.version(n));
        fillDetails(f, n.details());
        for (Impact i : n.impacts()) {
            if (i.updateId() != null) continue;
            String key = i.serviceId() != null ? "s_" + i.serviceId() : "p_" + i.providerId();
            f.set("state_" + key, i.state().key()).set("reason_" + key, i.reason());
        }
        return f;
    }

    // ---- the avviso's own page, preview and publication -----------------------------------

    private void view(Visit v, Notice n, Map<String, Form> forms, String problem, int status) {
        Catalog catalog = services.load();
        Instant now = clock.instant();
        Form expiry = forms.getOrDefault("expiry", Form.empty().set("expires_at", Dates.input(n.expiresAt(), web.fmt.zone())));
        boolean open = n.status() == NoticeStatus.PUBLISHED && n.closedAt() == null;
        boolean expiringSoon = open && n.expiresAt() != null && n.expiresAt().isAfter(now)
                && !n.expiresAt().isAfter(now.plus(EXPIRING));
        boolean expiredUnclosed = open && n.isExpiredAt(now);
        web.render(v.ctx(), status, "admin/notice.jte", new AdminPages.NoticeView(web.frame(v.ctx(), v, "notices"), now, n,
                n.status() == NoticeStatus.PUBLISHED ? web.config.baseUrl() + n.path() : null, expiringSoon, expiredUnclosed,
                impactLines(catalog, n), updateLines(n), notices.revisions(n.id()), serviceRows(catalog, n, now),
                providerRows(catalog, n, now), List.of(ServiceState.values()),
                forms.getOrDefault("update", Form.empty().set("notify", "on")), expiry, forms.getOrDefault("attachment", Form.empty()),
                forms.getOrDefault("withdraw", Form.empty()), problem, uploads.maxBytes(), forms.getOrDefault("image", Form.empty())));
    }

    private void view(Visit v, Notice n, String problem, int status) {
        view(v, n, Map.of(), problem, status);
    }

    private void preview(Visit v, Notice n, String problem, int status) {
        preview(v, n, Form.empty(), problem, status);
    }

    private void preview(Visit v, Notice n, Form refuseForm, String problem, int status) {
        Catalog catalog = services.load();
        web.render(v.ctx(), status, "admin/preview.jte", new AdminPages.Preview(web.frame(v.ctx(), v, "notices"),
                clock.instant(), n, markdown.toHtml(n.body()), impactLines(catalog, n), updateLines(n),
                n.attachments(), problem, warnings(catalog, n), review(v, n, refuseForm)));
    }

    /** "controlla: questo avviso indirizza a …": addresses outside the comune's domains, numbers outside its channels. */
    private List<String> warnings(Catalog catalog, Notice n) {
        java.util.Set<String> phones = new java.util.LinkedHashSet<>();
        phones.add(web.site().comune().phone());
        for (Service s : catalog.services()) {
            s.channels().stream().filter(c -> c.kind() == it.semaforo.service.ChannelKind.PHONE).forEach(c -> phones.add(c.value()));
        }
        Destinations.Foreign foreign = Destinations.foreign(n, new java.util.LinkedHashSet<>(web.config.domains()), phones);
        List<String> out = new ArrayList<>();
        foreign.hosts().forEach(h -> out.add(web.msg.t("admin.preview.warning.address", h)));
        foreign.phones().forEach(p -> out.add(web.msg.t("admin.preview.warning.phone", p)));
        return out;
    }

    private AdminPages.Review review(Visit v, Notice n, Form refuseForm) {
        if (n.status() != NoticeStatus.DRAFT) return new AdminPages.Review(false, null, false, List.of(), refuseForm, "");
        List<Approval> history = desk.approvals().of(n.id());
        Approval pending = history.stream().filter(Approval::pending).findFirst().orElse(null);
        return new AdminPages.Review(pending != null || desk.needsApproval(v.actor(), n), pending,
                pending != null && desk.mayDecide(v.actor(), pending),
                history.stream().filter(a -> !a.pending()).toList(), refuseForm, NoticeDesk.version(n));
    }

    private void publish(Visit v) {
        Notice n = notice(v);
        try {
            Instant at = desk.publish(v.actor(), n.id());
            AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito="
                    + (at.isAfter(clock.instant()) ? "programmato" : "pubblicato"));
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            preview(v, notices.find(n.id()).orElse(n), p.getMessage(), 409);
        }
    }

    // ---- two pairs of eyes ---------------------------------------------------------------------

    private void requestApproval(Visit v) {
        Notice n = notice(v);
        try {
            desk.requestApproval(v.actor(), n.id(), v.form().get("version"));
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            preview(v, notices.find(n.id()).orElse(n), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "/anteprima?esito=approvazione");
    }

    private void approve(Visit v) {
        Notice n = notice(v);
        try {
            Instant at = desk.approve(v.actor(), n.id(), v.form().get("version"));
            AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito="
                    + (at.isAfter(clock.instant()) ? "programmato" : "pubblicato"));
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            preview(v, notices.find(n.id()).orElse(n), p.getMessage(), 409);
        }
    }

    private void refuse(Visit v) {
        Notice n = notice(v);
        Form f = v.form();
        try {
            desk.refuse(v.actor(), n.id(), f.text("reason"));
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (r.field() != null) {
                f.reject(r.field(), p.getMessage());
                preview(v, notices.find(n.id()).orElse(n), f, null, p.status());
                return;
            }
            if (p.status() != 409) throw p;
            preview(v, notices.find(n.id()).orElse(n), f, p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "/anteprima?esito=rifiutato");
    }

    // ---- updates, expiry, withdrawal --------------------------------------------------------

    private void addUpdate(Visit v) {
        Notice n = notice(v);
        Optional<UpdateInput> in = forms.update(v.form(), services.load());
        if (in.isEmpty()) {
            view(v, n, Map.of("update", v.form()), null, 422);
            return;
        }
        try {
            desk.addUpdate(v.actor(), n.id(), in.get());
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            view(v, notice(v), Map.of("update", v.form()), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito=" + (in.get().closes() ? "chiuso" : "aggiornamento"));
    }

    private void changeExpiry(Visit v) {
        Notice n = notice(v);
        Optional<Instant> expiry = forms.expiry(v.form(), n, clock.instant());
        if (expiry == null) {
            view(v, n, Map.of("expiry", v.form()), null, 422);
            return;
        }
        try {
            desk.changeExpiry(v.actor(), n.id(), expiry.orElse(null));
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            view(v, notice(v), Map.of("expiry", v.form()), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito=scadenza");
    }

    private void withdraw(Visit v) {
        Notice n = notice(v);
        Optional<String> note = forms.withdrawal(v.form());
        if (note.isEmpty()) {
            view(v, n, Map.of("withdraw", v.form()), null, 422);
            return;
        }
        try {
            desk.withdraw(v.actor(), n.id(), note.get());
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            if (p.status() != 409) throw p;
            view(v, notice(v), Map.of("withdraw", v.form()), p.getMessage(), 409);
            return;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito=ritirato");
    }

    // ---- attachments ------------------------------------------------------------------------

    /**
     * An attachment, or the avviso's image: the image form sends image=1 and the alternative
     * text, which it must have; the same file, the same checks, removed the same way.
     */
    private void upload(Visit v) throws IOException {
        Notice n = notice(v);
        Form f = v.form();
        boolean image = "1".equals(f.text("image"));
        String formName = image ? "image" : "attachment";
        UploadedFile file;
        try {
            file = v.ctx().uploadedFile("file");
        } catch (Exception e) {
            // the form was read already (CSRF); a failure here is the same oversized body
            throw new AdminProblem(413, web.msg.t("admin.problem.too.large"));
        }
        // the attachment's name as residents read it: no invisible characters (FileNames)
        String title = NoticeForms.oneLine(FileNames.shown(f.text("title")));
        if (NoticeForms.length(title) > NoticeForms.TITLE_MAX) {
            f.reject("title", web.msg.t("admin.error.title.long", NoticeForms.TITLE_MAX, NoticeForms.length(title)));
        }
        String alt = image ? NoticeForms.oneLine(FileNames.shown(f.text("alt"))) : null;
        if (image && alt.isEmpty()) f.reject("alt", web.msg.t("admin.error.image.alt.required"));
        if (image && NoticeForms.length(alt) > ALT_MAX) {
            f.reject("alt", web.msg.t("admin.error.image.alt.long", ALT_MAX, NoticeForms.length(alt)));
        }
        if (file == null || file.size() == 0) {
            f.reject("file", web.msg.t(image ? "admin.error.image.required" : "admin.error.attachment.required"));
        }
        if (f.hasErrors()) {
            view(v, n, Map.of(formName, f), null, 422);
            return;
        }
        Uploads.Stored stored;
        try (InputStream in = file.content()) {
            stored = uploads.store(in);
        } catch (Uploads.Refused refused) {
            f.reject("file", refused.tooLarge() ? web.msg.t("admin.error.attachment.large", web.frame(v.ctx(), v, "").size(uploads.maxBytes()))
                    : web.msg.t(image ? "admin.error.image.type" : "admin.error.attachment.type"));
            view(v, n, Map.of(formName, f), null, refused.tooLarge() ? 413 : 415);
            return;
        }
        if (image && stored.type() == Uploads.FileType.PDF) {
            stored.discard();
            f.reject("file", web.msg.t("admin.error.image.type"));
            view(v, n, Map.of(formName, f), null, 415);
            return;
        }
        String filename = filename(file.filename(), stored.type());
        if (title.isEmpty()) title = filename.replaceFirst("\\.[A-Za-z0-9]{1,5}$", "");
        try {
            desk.addAttachment(v.actor(), n.id(), title, filename,
                    new NoticeDesk.StoredFile(stored.storedName(), stored.type().contentType(), stored.sizeBytes()), alt);
        } catch (RuntimeException e) {
            stored.discard();   // no record points to it: no orphan, no half-written attachment
            throw e;
        }
        AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito=" + (image ? "immagine" : "allegato"));
    }

    private void removeAttachment(Visit v) {
        Notice n = notice(v);
        desk.removeAttachment(v.actor(), n.id(), web.id(v.ctx(), "attachment"));
        AdminWeb.seeOther(v.ctx(), "/admin/avvisi/" + n.id() + "?esito=allegato-rimosso#allegati");
    }

    /** The name residents will see when saving the file: the last segment of what the browser sent, tidied. */
    private static String filename(String sent, Uploads.FileType type) {
        String name = sent == null ? "" : sent.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = NoticeForms.oneLine(FileNames.shown(name)).replaceAll("[\"<>|*?:]", "_");
        if (name.length() > 150) name = name.substring(name.length() - 150);
        if (name.isBlank()) name = "allegato";
        if (!name.toLowerCase(java.util.Locale.ROOT).matches(".*\\.(" + type.extension() + (type == Uploads.FileType.JPEG ? "|jpeg" : "") + ")")) {
            name = name + "." + type.extension();
        }
        return name;
    }

    /** Any attachment, drafts included, for clerks checking a preview. */
    private void attachment(Visit v) {
        String name = v.ctx().pathParam("name");
        if (!AttachmentFiles.isStoredName(name)) throw new AdminProblem(404, web.msg.t("admin.problem.missing"));
        Attachment a = notices.attachmentForClerks(name).orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.missing")));
        byte[] body = files.read(a).orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.missing")));
        Answers.send(v.ctx(), Rendered.file(a.contentType(), a.filename(), body));   // as the public address serves it
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Notice notice(Visit v) {
        return notices.find(web.id(v.ctx(), "id")).orElseThrow(() -> new AdminProblem(404, web.msg.t("admin.problem.notice.missing")));
    }

    /** One row per service, by group; current is what the avviso imposes on it now (null: nothing). */
    private List<AdminPages.TargetRow> serviceRows(Catalog catalog, Notice n, Instant now) {
        Map<Long, String> groups = catalog.groups().stream().collect(Collectors.toMap(ServiceGroup::id, ServiceGroup::name));
        Map<String, Impact> current = n == null ? Map.of() : n.impactsAt(now)
                .stream().collect(Collectors.toMap(Impact::targetKey, Function.identity(), (a, b) -> b));
        List<AdminPages.TargetRow> rows = new ArrayList<>();
        for (Service s : catalog.services()) {
            Impact direct = current.get("s" + s.id());
            if (direct != null) {
                rows.add(new AdminPages.TargetRow("s_" + s.id(), s.name(), groups.getOrDefault(s.groupId(), ""), direct.state(), null));
                continue;
            }
            // not named itself, but maybe reached through a provider this avviso names: the worst such state
            Impact viaProvider = current.values().stream()
                    .filter(i -> i.providerId() != null && catalog.servicesDependingOn(i.providerId()).contains(s.id()))
                    .max(java.util.Comparator.comparing(Impact::state)).orElse(null);
            rows.add(new AdminPages.TargetRow("s_" + s.id(), s.name(), groups.getOrDefault(s.groupId(), ""),
                    viaProvider == null ? null : viaProvider.state(),
                    viaProvider == null ? null : catalog.provider(viaProvider.providerId()).map(Provider::name).orElse("")));
        }
        return rows;
    }

    private List<AdminPages.TargetRow> providerRows(Catalog catalog, Notice n, Instant now) {
        Map<String, Impact> current = n == null ? Map.of() : n.impactsAt(now)
                .stream().collect(Collectors.toMap(Impact::targetKey, Function.identity(), (a, b) -> b));
        List<AdminPages.TargetRow> rows = new ArrayList<>();
        for (Provider p : catalog.providers()) {
            Impact i = current.get("p" + p.id());
            String reaches = catalog.servicesDependingOn(p.id()).stream().map(catalog::service).flatMap(Optional::stream)
                    .map(Service::name).sorted().collect(Collectors.joining(", "));
            rows.add(new AdminPages.TargetRow("p_" + p.id(), p.name(),
                    reaches.isEmpty() ? "" : web.msg.t("admin.notice.provider.reaches", reaches), i == null ? null : i.state(), null));
        }
        return rows;
    }

    private List<AdminPages.ImpactLine> impactLines(Catalog catalog, Notice n) {
        Map<Long, Integer> numbers = n.updates().stream().collect(Collectors.toMap(NoticeUpdate::id, NoticeUpdate::number));
        List<AdminPages.ImpactLine> lines = new ArrayList<>();
        for (Impact i : n.impacts()) {
            boolean provider = i.providerId() != null;
            String name = provider ? catalog.provider(i.providerId()).map(Provider::name).orElse("#" + i.providerId())
                    : catalog.service(i.serviceId()).map(Service::name).orElse("#" + i.serviceId());
            List<String> reaches = provider ? catalog.servicesDependingOn(i.providerId()).stream().map(catalog::service)
                    .flatMap(Optional::stream).map(Service::name).sorted().toList() : List.of();
            lines.add(new AdminPages.ImpactLine(name, provider, i.state(), i.reason(),
                    Instant.EPOCH.equals(i.effectiveFrom()) ? null : i.effectiveFrom(),
                    i.updateId() == null ? null : numbers.get(i.updateId()), reaches));
        }
        return lines;
    }

    private List<AdminPages.UpdateLine> updateLines(Notice n) {
        return n.updates().stream().sorted((a, b) -> Integer.compare(b.number(), a.number()))
                .map(u -> new AdminPages.UpdateLine(u, markdown.toHtml(u.body()))).toList();
    }
}
