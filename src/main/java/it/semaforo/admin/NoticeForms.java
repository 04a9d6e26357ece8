package it.semaforo.admin;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.TextInput;
import it.semaforo.notice.UpdateInput;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.Catalog;
import it.semaforo.service.Provider;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;
import it.semaforo.render.Formats;
import it.semaforo.render.Messages;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks the avviso forms: every rule with its Italian message on the field it is
 * about. Nothing here writes; the same checks serve any other way of submitting an avviso.
 */
public final class NoticeForms {
    public static final int TITLE_MAX = 200;
    public static final int SUMMARY_MAX = 500;
    public static final int BODY_MAX = 50_000;
    public static final int REASON_MAX = 300;
    public static final int UPDATE_MAX = 20_000;
    public static final int NOTE_MAX = 500;
    /** The field that lists every state row, where an error about the rows as a whole is shown. */
    public static final String IMPACTS = "impacts";
    private static final Pattern STATE_FIELD = Pattern.compile("state_([sp])_([0-9]{1,18})");
    /**
     * The languages an avviso's text may be written in: Italy's official and protected ones a
     * comune publishes in (German in South Tyrol, French in the Aosta Valley, Slovene in Friuli),
     * English, and Japanese for the wards of Tokyo. Screen readers pronounce the text by it.
     */
    public static final List<String> LANGUAGES = List.of("it", "de", "fr", "sl", "en", "ja");

    private final Messages msg;
    private final Formats fmt;
    private final ZoneId zone;

    public NoticeForms(Messages msg, Formats fmt) {
        this.msg = msg;
        this.fmt = fmt;
        this.zone = fmt.zone();
    }

    /** The whole avviso form (new avviso or draft). Empty, with errors on the form, when refused. */
    public Optional<NoticeInput> notice(Form f, Catalog catalog, Instant now) {
        TextInput text = text(f);
        NoticeKind kind = NoticeKind.fromKey(f.text("kind")).orElse(null);
        if (kind == null) f.reject("kind", msg.t("admin.error.kind"));

        Instant publishAt = null;
        if (f.is("publish", "later")) {
            publishAt = date(f, "publish_at", true);
            if (publishAt != null && !publishAt.isAfter(now)) f.reject("publish_at", msg.t("admin.error.publish.past"));
        } else if (!f.is("publish", "now")) {
            f.reject("publish", msg.t("admin.error.publish.mode"));
        }
        Instant publication = publishAt != null ? publishAt : now;
        Instant expiresAt = date(f, "expires_at", false);
        if (expiresAt != null && !expiresAt.isAfter(publication)) {
            f.reject("expires_at", msg.t("admin.error.expiry.before", fmt.dateTime(publication)));
        }
        Instant windowStart = date(f, "window_start", false);
        Instant windowEnd = date(f, "window_end", false);
        boolean windowTyped = !f.text("window_start").isEmpty() || !f.text("window_end").isEmpty();
        if (windowTyped && kind != null && kind != NoticeKind.MAINTENANCE) {
            f.reject("window_start", msg.t("admin.error.window.kind"));
        } else if (windowTyped && (f.text("window_start").isEmpty() || f.text("window_end").isEmpty())) {
            f.reject(f.text("window_start").isEmpty() ? "window_start" : "window_end", msg.t("admin.error.window.both"));
        } else if (windowStart != null && windowEnd != null && !windowEnd.isAfter(windowStart)) {
            f.reject("window_end", msg.t("admin.error.window.order"));
        }
        if (kind == NoticeKind.MAINTENANCE && !windowTyped) f.reject("window_start", msg.t("admin.kinds.error.window.required"));
        NoticeDetails details = details(f, kind, expiresAt);
        List<Impact> impacts = impacts(f, catalog, false);
        if (f.hasErrors()) return Optional.empty();
        return Optional.of(new NoticeInput(kind, text.title(), text.summary(), text.body(), text.language(), publishAt,
                expiresAt, windowStart, windowEnd, impacts, details));
    }

    /** Title, summary and body: the part of a published avviso that can still be corrected. */
    public TextInput text(Form f) {
        String title = oneLine(f.text("title"));
        if (title.isEmpty()) f.reject("title", msg.t("admin.error.title.required"));
        else if (length(title) > TITLE_MAX) f.reject("title", msg.t("admin.error.title.long", TITLE_MAX, length(title)));
        String summary = oneLine(f.text("summary"));
        if (summary.isEmpty()) f.reject("summary", msg.t("admin.error.summary.required"));
        else if (length(summary) > SUMMARY_MAX) f.reject("summary", msg.t("admin.error.summary.long", SUMMARY_MAX, length(summary)));
        String body = f.get("body").strip();
        if (length(body) > BODY_MAX) f.reject("body", msg.t("admin.error.body.long", BODY_MAX, length(body)));
        // a client of the write API may leave it out: the site's language then
        String language = f.text("language").isEmpty() ? msg.lang() : f.text("language");
        if (!LANGUAGES.contains(language)) f.reject("language", msg.t("admin.error.language"));
        return new TextInput(title, summary, body, language);
    }

    public Optional<TextInput> textOnly(Form f) {
        TextInput t = text(f);
        return f.hasErrors() ? Optional.empty() : Optional.of(t);
    }

    public static final int DETAIL_MAX = 5_000;

    /**
     * The fields of the avviso's kind: the art. 34 GDPR sections of a data breach, the
     * recommendations and contact of a security advisory. Fields of the other kinds are ignored;
     * lists are one item per line. expiresAt: a pinned advisory needs one.
     */
    public NoticeDetails details(Form f, NoticeKind kind, Instant expiresAt) {
        if (kind == NoticeKind.DATA_BREACH) {
            return NoticeDetails.breach(detail(f, "breach_nature", true), detail(f, "breach_discovered", true),
                    lines(f, "data_involved", true), lines(f, "data_not_involved", false), detail(f, "subjects", true),
                    detail(f, "consequences", true), lines(f, "measures_taken", true), lines(f, "measures_proposed", false),
                    lines(f, "resident_actions", false), detail(f, "controller", true), detail(f, "dpo", true),
                    detail(f, "garante_reference", false));
        }
        if (kind == NoticeKind.SECURITY) {
            boolean pinned = f.checked("pinned");
            if (pinned && expiresAt == null) f.reject("pinned", msg.t("admin.kinds.error.pinned.expiry"));
            return NoticeDetails.security(lines(f, "recommendations", true), detail(f, "official_contact", true),
                    detail(f, "not_us", false), pinned);
        }
        return NoticeDetails.NONE;
    }

    private String detail(Form f, String field, boolean required) {
        String v = f.get(field).strip();
        if (required && v.isEmpty()) f.reject(field, msg.t("admin.kinds.error." + field));
        else if (length(v) > DETAIL_MAX) f.reject(field, msg.t("admin.kinds.error.long", DETAIL_MAX, length(v)));
        return v;
    }

    private List<String> lines(Form f, String field, boolean required) {
        return detail(f, field, required).lines().map(l -> l.replaceFirst("^\\s*[-*•]\\s*", "").strip())
                .filter(l -> !l.isEmpty()).toList();
    }

    public record Correction(TextInput text, NoticeDetails details) {
    }

    /** The text of a published avviso with the fields of its kind, which can be corrected too. */
    public Optional<Correction> correction(Form f, Notice n) {
        TextInput t = text(f);
        NoticeDetails d = details(f, n.kind(), n.expiresAt());
        return f.hasErrors() ? Optional.empty() : Optional.of(new Correction(t, d));
    }

    /**
     * A numbered update: its text, the states that change ("no change" by default), the closure,
     * and whether subscribers are told (the form's "notify" box, ticked by default).
     */
    public Optional<UpdateInput> update(Form f, Catalog catalog) {
        String body = f.get("body").strip();
        if (body.isEmpty()) f.reject("body", msg.t("admin.error.update.required"));
        else if (length(body) > UPDATE_MAX) f.reject("body", msg.t("admin.error.update.long", UPDATE_MAX, length(body)));
        List<Impact> impacts = impacts(f, catalog, true);
        if (f.hasErrors()) return Optional.empty();
        return Optional.of(new UpdateInput(body, impacts, f.checked("closes"), f.checked("notify")));
    }

    /** The new expiry, or empty for "no expiry"; null with an error on the form when refused. */
    public Optional<Instant> expiry(Form f, Notice n, Instant now) {
        if (f.text("expires_at").isEmpty()) return Optional.empty();
        Instant at = date(f, "expires_at", false);
        if (at == null) return null;
        if (!at.isAfter(now)) {
            f.reject("expires_at", msg.t("admin.error.expiry.past"));
            return null;
        }
        if (n.publishedAt() != null && !at.isAfter(n.publishedAt())) {
            f.reject("expires_at", msg.t("admin.error.expiry.before", fmt.dateTime(n.publishedAt())));
            return null;
        }
        return Optional.of(at);
    }

    /** Withdrawal needs a ticked confirmation; the optional note goes to the audit log. */
    public Optional<String> withdrawal(Form f) {
        if (!f.checked("confirm")) f.reject("confirm", msg.t("admin.error.withdraw.confirm"));
        String note = oneLine(f.text("note"));
        if (length(note) > NOTE_MAX) f.reject("note", msg.t("admin.error.note.long", NOTE_MAX));
        return f.hasErrors() ? Optional.empty() : Optional.of(note);
    }

    /**
     * The state rows: one select per service and per provider. A row left on "no impact" (or
     * "no change", in an update) imposes nothing. A row for a service or provider that does
     * not exist is an error, not silently dropped.
     */
    List<Impact> impacts(Form f, Catalog catalog, boolean update) {
        List<Impact> impacts = new ArrayList<>();
        for (String field : f.values().keySet()) {
            Matcher m = STATE_FIELD.matcher(field);
            if (!m.matches() || f.text(field).isEmpty()) continue;
            boolean service = m.group(1).equals("s");
            long id;
            try {
                id = Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                id = -1;
            }
            boolean known = service ? catalog.service(id).isPresent() : catalog.provider(id).isPresent();
            if (!known) {
                f.reject(IMPACTS, msg.t(service ? "admin.error.impact.unknown.service" : "admin.error.impact.unknown.provider",
                        m.group(2)));
                continue;
            }
            Optional<ServiceState> state = ServiceState.fromKey(f.text(field));
            if (state.isEmpty()) {
                f.reject(field, msg.t("admin.error.impact.state"));
                continue;
            }
            String reasonField = "reason_" + m.group(1) + "_" + m.group(2);
            String reason = oneLine(f.text(reasonField));
            if (length(reason) > REASON_MAX) {
                f.reject(reasonField, msg.t("admin.error.impact.reason.long", REASON_MAX, length(reason)));
                continue;
            }
            impacts.add(service ? Impact.onService(id, state.get(), reason) : Impact.onProvider(id, state.get(), reason));
        }
        // services first, then providers, each in catalogue order: the order the form shows them
        List<Impact> ordered = new ArrayList<>();
        for (Service s : catalog.services()) impacts.stream().filter(i -> Long.valueOf(s.id()).equals(i.serviceId())).forEach(ordered::add);
        for (Provider p : catalog.providers()) impacts.stream().filter(i -> Long.valueOf(p.id()).equals(i.providerId())).forEach(ordered::add);
        return ordered;
    }

    private Instant date(Form f, String field, boolean required) {
        String text = f.text(field);
        if (text.isEmpty()) {
            if (required) f.reject(field, msg.t("admin.error.publish.required"));
            return null;
        }
        Optional<Instant> at = Dates.parse(text, zone);
        if (at.isEmpty()) f.reject(field, msg.t("admin.error.date.invalid"));
        return at.orElse(null);
    }

    /** Titles, summaries and reasons are one line: line breaks and control characters become spaces. */
    static String oneLine(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").replaceAll(" {2,}", " ").strip();
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
