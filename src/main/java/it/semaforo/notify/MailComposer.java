package it.semaforo.notify;

import it.semaforo.event.ChangeEvent;
import it.semaforo.event.ChangeEvent.NoticeEvent;
import it.semaforo.event.LoggedEvent;
import it.semaforo.render.Formats;
import it.semaforo.render.Messages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the mails: a plain-text part and an accessible HTML part (a heading per avviso, lists,
 * real links; no remote image, no tracking, no script), in the subscriber's language, with the
 * avviso's own text in its language and the fallback said.
 */
public final class MailComposer {
    /** Where the subscriber's manage link goes: one rendering serves every subscriber of a language. */
    static final String MANAGE = "\u0000manage\u0000";

    private final NotifySettings settings;

    public MailComposer(NotifySettings settings) {
        this.settings = settings;
    }

    /** A mail's words, the manage link still a placeholder. threadId: the avviso the mail threads under. */
    public record Content(String subject, String text, String html, String threadId) {
        Content forManage(String manageUrl) {
            return new Content(subject, text.replace(MANAGE, manageUrl), html.replace(MANAGE, escape(manageUrl)), threadId);
        }
    }

    private Messages messages(String language) {
        return new Messages("i18n.notify", Locale.forLanguageTag(language));
    }

    /** The thread of an avviso: every mail about it refers to this one id. */
    public String threadId(long noticeId) {
        return "<semaforo.avviso." + noticeId + "@" + settings.mailDomain() + ">";
    }

    /** The mail of some events (oldest first), or null when none is worth a mail. */
    public Content events(List<LoggedEvent> events, String language) {
        Messages m = messages(language);
        Formats f = new Formats(Locale.forLanguageTag(language), settings.zone());
        // the events grouped by avviso, in order of first appearance
        Map<Long, List<NoticeEvent>> byNotice = new LinkedHashMap<>();
        for (LoggedEvent le : events) {
            if (!EventMails.mailable(le.event())) continue;
            NoticeEvent e = (NoticeEvent) le.event();
            byNotice.computeIfAbsent(e.notice().id(), k -> new ArrayList<>()).add(e);
        }
        if (byNotice.isEmpty()) return null;
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        String subject = null;
        Long firstNotice = null;
        for (List<NoticeEvent> list : byNotice.values()) {
            NoticeEvent last = list.get(list.size() - 1);
            ChangeEvent.NoticeRef n = last.notice();
            if (firstNotice == null) firstNotice = n.id();
            String url = settings.baseUrl() + "/" + language + n.path();
            List<String> labels = list.stream().map(e -> label(m, e)).toList();
            if (subject == null) subject = subject(m, last, labels.get(labels.size() - 1));
            text.append(n.title()).append('\n').append("=".repeat(Math.min(70, Math.max(3, n.title().length())))).append('\n');
            text.append(String.join(" · ", labels)).append("\n\n");
            if (n.summary() != null && !n.summary().isBlank()) text.append(n.summary()).append("\n\n");
            String noticeLang = n.language() == null ? "it" : n.language();
            html.append("<h2 lang=\"").append(escape(noticeLang)).append("\">").append(escape(n.title())).append("</h2>\n");
            html.append("<p><strong>").append(escape(String.join(" · ", labels))).append("</strong></p>\n");
            if (n.summary() != null && !n.summary().isBlank()) {
                html.append("<p lang=\"").append(escape(noticeLang)).append("\">").append(escape(n.summary())).append("</p>\n");
            }
            if (n.windowStart() != null && n.windowEnd() != null) {
                String w = m.t("mail.window", f.dateTime(n.windowStart()), f.dateTime(n.windowEnd()));
                text.append(w).append('\n');
                html.append("<p>").append(escape(w)).append("</p>\n");
            } else if (n.expiresAt() != null) {
                String x = m.t("mail.expires", f.dateTime(n.expiresAt()));
                text.append(x).append('\n');
                html.append("<p>").append(escape(x)).append("</p>\n");
            }
            if (!last.services().isEmpty()) {
                text.append(m.t("mail.services")).append(":\n");
                html.append("<h3>").append(escape(m.t("mail.services"))).append("</h3>\n<ul>\n");
                for (ChangeEvent.ServiceChange s : last.services()) {
                    // the state before the first event of the mail, after the last
                    String before = list.get(0).services().stream().filter(x -> x.id() == s.id()).map(ChangeEvent.ServiceChange::before)
                            .findFirst().orElse(s.before());
                    String line = before != null && !before.equals(s.after())
                            ? m.t("mail.service.state.was", s.name(), state(m, s.after()), state(m, before))
                            : m.t("mail.service.state", s.name(), state(m, s.after()));
                    text.append("- ").append(line).append('\n');
                    html.append("<li>").append(escape(line)).append("</li>\n");
                }
                html.append("</ul>\n");
            }
            text.append('\n').append(m.t("mail.read")).append(": ").append(url).append('\n');
            html.append("<p><a href=\"").append(escape(url)).append("\">").append(escape(m.t("mail.read"))).append(": ")
                    .append(escape(n.title())).append("</a></p>\n");
            if (!noticeLang.equals(language)) {
                String fallback = m.t("mail.language.fallback", m.t("language." + noticeLang));
                text.append(fallback).append('\n');
                html.append("<p>").append(escape(fallback)).append("</p>\n");
            }
            text.append('\n');
        }
        if (byNotice.size() > 1) subject = subject + " (" + m.t("mail.more", byNotice.size() - 1) + ")";
        return new Content(subject, text + footerText(m), page(language, subject, html + footerHtml(m)), threadId(firstNotice));
    }

    private static String state(Messages m, String key) {
        return key == null ? "" : m.t("state." + key);
    }

    private static String label(Messages m, NoticeEvent e) {
        if (e instanceof ChangeEvent.NoticeUpdated u) return u.closes() ? m.t("mail.event.resolved") : m.t("mail.event.updated", u.number());
        if (e instanceof ChangeEvent.NoticeEdited) return m.t("mail.event.edited");
        if (e instanceof ChangeEvent.NoticeExpired) return m.t("mail.event.expired");
        if (e instanceof ChangeEvent.NoticeWithdrawn) return m.t("mail.event.withdrawn");
        if (e instanceof ChangeEvent.MaintenanceStarted) return m.t("mail.event.maintenance.started");
        if (e instanceof ChangeEvent.MaintenanceEnded) return m.t("mail.event.maintenance.ended");
        if ("manutenzione".equals(e.notice().kind())) return m.t("mail.event.maintenance.announced");
        return m.t("mail.event.published");
    }

    /** "Anagrafe: Sospeso — aggiornamento n. 2": the first service named with its state, then what happened. */
    private static String subject(Messages m, NoticeEvent e, String label) {
        if (e.services().isEmpty()) return m.t("kind." + e.notice().kind()) + ": " + e.notice().title() + " — " + label;
        ChangeEvent.ServiceChange s = e.services().get(0);
        String more = e.services().size() > 1 ? " (+" + (e.services().size() - 1) + ")" : "";
        return s.name() + more + ": " + state(m, s.after()) + " — " + label;
    }

    private String footerText(Messages m) {
        return "-- \n" + m.t("mail.footer", settings.comuneName()) + "\n" + m.t("mail.manage") + ": " + MANAGE + "\n";
    }

    private String footerHtml(Messages m) {
        return "<hr>\n<p>" + escape(m.t("mail.footer", settings.comuneName())) + "<br>\n<a href=\"" + MANAGE + "\">"
                + escape(m.t("mail.manage")) + "</a></p>\n";
    }

    /** The reminder before a planned maintenance's window opens. */
    public Content maintenanceReminder(it.semaforo.notice.Notice n, List<String> serviceNames, String language) {
        Messages m = messages(language);
        Formats f = new Formats(Locale.forLanguageTag(language), settings.zone());
        String label = m.t("mail.event.reminder", f.dateTime(n.windowStart()));
        String subject = (serviceNames.isEmpty() ? m.t("kind.manutenzione") + ": " + n.title()
                : serviceNames.get(0) + (serviceNames.size() > 1 ? " (+" + (serviceNames.size() - 1) + ")" : "")
                + ": " + m.t("state.maintenance")) + " — " + label;
        String url = settings.baseUrl() + "/" + language + n.path();
        String window = m.t("mail.window", f.dateTime(n.windowStart()), f.dateTime(n.windowEnd()));
        String noticeLang = n.language() == null ? "it" : n.language();
        StringBuilder text = new StringBuilder(n.title()).append('\n').append(label).append("\n\n");
        if (n.summary() != null && !n.summary().isBlank()) text.append(n.summary()).append("\n\n");
        text.append(window).append('\n');
        if (!serviceNames.isEmpty()) text.append(m.t("mail.services")).append(": ").append(String.join(", ", serviceNames)).append('\n');
        text.append('\n').append(m.t("mail.read")).append(": ").append(url).append('\n');
        StringBuilder html = new StringBuilder("<h2 lang=\"").append(escape(noticeLang)).append("\">").append(escape(n.title()))
                .append("</h2>\n<p><strong>").append(escape(label)).append("</strong></p>\n");
        if (n.summary() != null && !n.summary().isBlank()) {
            html.append("<p lang=\"").append(escape(noticeLang)).append("\">").append(escape(n.summary())).append("</p>\n");
        }
        html.append("<p>").append(escape(window)).append("</p>\n");
        if (!serviceNames.isEmpty()) {
            html.append("<h3>").append(escape(m.t("mail.services"))).append("</h3>\n<ul>\n");
            for (String name : serviceNames) html.append("<li>").append(escape(name)).append("</li>\n");
            html.append("</ul>\n");
        }
        html.append("<p><a href=\"").append(escape(url)).append("\">").append(escape(m.t("mail.read"))).append(": ")
                .append(escape(n.title())).append("</a></p>\n");
        if (!noticeLang.equals(language)) {
            String fallback = m.t("mail.language.fallback", m.t("language." + noticeLang));
            text.append(fallback).append('\n');
            html.append("<p>").append(escape(fallback)).append("</p>\n");
        }
        text.append('\n');
        return new Content(subject, text + footerText(m), page(language, subject, html + footerHtml(m)), threadId(n.id()));
    }

    /**
     * A clerk's alert, from what its outbox row carries (see ClerkAlerts): what happened, a link to
     * the page where the clerk acts on it, and where to change what they are told.
     */
    public Content clerkAlert(com.fasterxml.jackson.databind.JsonNode p, String language) {
        Messages m = messages(language);
        Formats f = new Formats(Locale.forLanguageTag(language), settings.zone());
        String alert = p.path("alert").asText();
        String title = p.path("title").asText("");
        String at = p.has("at") ? f.dateTime(java.time.Instant.ofEpochMilli(p.path("at").asLong())) : "";
        List<String> services = new ArrayList<>();
        p.path("services").forEach(x -> services.add(x.asText()));
        String subject;
        String what;
        String link;
        switch (alert) {
            case "expiring" -> {
                subject = m.t("mail.clerk.expiring.subject", title, at);
                what = m.t("mail.clerk.expiring.text", title, at, String.join(", ", services));
                link = "/admin/avvisi/" + p.path("notice").asLong();
            }
            case "maintenance" -> {
                subject = m.t("mail.clerk.maintenance.subject", title, at);
                what = m.t("mail.clerk.maintenance.text", title, at, services.isEmpty() ? "—" : String.join(", ", services));
                link = "/admin/avvisi/" + p.path("notice").asLong();
            }
            case "failing" -> {
                String since = f.dateTime(java.time.Instant.ofEpochMilli(p.path("since").asLong()));
                String target = "webhook".equals(p.path("channel").asText()) ? m.t("mail.clerk.failing.webhook", p.path("target").asText())
                        : m.t("mail.clerk.failing.mail");
                subject = m.t(p.path("disabled").asBoolean() ? "mail.clerk.failing.disabled.subject" : "mail.clerk.failing.subject", target);
                what = m.t("mail.clerk.failing.text", target, since, p.path("error").asText(""))
                        + (p.path("disabled").asBoolean() ? " " + m.t("mail.clerk.failing.disabled") : "");
                link = "/admin/notifiche";
            }
            case "signals" -> {
                // the upstream's words are data: they go into the text as quoted, and are escaped in the HTML like the rest
                String state = m.t("state." + p.path("state").asText("degraded"));
                String source = p.path("source").asText("");
                boolean recovery = p.path("recovery").asBoolean();
                subject = m.t(recovery ? "mail.clerk.signals.recovery.subject" : "mail.clerk.signals.subject", source, state);
                what = m.t(recovery ? "mail.clerk.signals.recovery.text" : "mail.clerk.signals.text", source, state, title, at)
                        + (p.path("link").asText("").isBlank() ? "" : " " + m.t("mail.clerk.signals.link", p.path("link").asText()));
                link = "/admin#segnalazione-" + p.path("signal").asLong();
            }
            case "accounts" -> {
                List<String> names = new ArrayList<>();
                p.path("accounts").forEach(a -> names.add(a.path("name").asText("") + " (" + a.path("username").asText("") + ")"));
                subject = m.t("mail.clerk.accounts.subject", String.valueOf(names.size()));
                what = m.t("mail.clerk.accounts.text", at, String.valueOf(names.size()), p.path("days").asText(), String.join(", ", names))
                        + " " + m.t("mail.clerk.accounts.reactivate", settings.baseUrl() + "/admin/utenti");
                link = "/admin/abilitazioni";
            }
            case "requests" -> {
                String action = m.t("erase".equals(p.path("action").asText()) ? "mail.clerk.requests.erase" : "mail.clerk.requests.export");
                subject = m.t("mail.clerk.requests.subject", action);
                what = m.t("mail.clerk.requests.text", action, p.path("by").asText(""), at);
                link = "/admin/registro";
            }
            default -> {
                return null;
            }
        }
        String url = settings.baseUrl() + link;
        String profile = settings.baseUrl() + "/admin/profilo";
        String text = what + "\n\n" + m.t("mail.clerk.open") + ": " + url + "\n\n-- \n" + m.t("mail.clerk.footer") + ": " + profile + "\n";
        String html = "<p>" + escape(what) + "</p>\n<p><a href=\"" + escape(url) + "\">" + escape(m.t("mail.clerk.open")) + "</a></p>\n"
                + "<hr>\n<p><a href=\"" + escape(profile) + "\">" + escape(m.t("mail.clerk.footer")) + "</a></p>\n";
        return new Content(subject, text, page(language, subject, html), null);
    }

    /** The confirmation mail: the only one an unconfirmed address ever receives. */
    public Content confirmation(String language, String confirmUrl) {
        Messages m = messages(language);
        String subject = m.t("mail.confirm.subject", settings.comuneName());
        String text = m.t("mail.confirm.text", settings.comuneName()) + "\n\n" + m.t("mail.confirm.action") + ": "
                + confirmUrl + "\n\n" + m.t("mail.confirm.validity") + "\n";
        String html = "<p>" + escape(m.t("mail.confirm.text", settings.comuneName())) + "</p>\n<p><a href=\""
                + escape(confirmUrl) + "\">" + escape(m.t("mail.confirm.action")) + "</a></p>\n<p>"
                + escape(m.t("mail.confirm.validity")) + "</p>\n";
        return new Content(subject, text, page(language, subject, html), null);
    }

    /** To an address already confirmed that signed up again: its manage link, nothing about its choices. */
    public Content reminder(String language) {
        Messages m = messages(language);
        String subject = m.t("mail.reminder.subject", settings.comuneName());
        String text = m.t("mail.reminder.text", settings.comuneName()) + "\n" + MANAGE + "\n";
        String html = "<p>" + escape(m.t("mail.reminder.text", settings.comuneName())) + "</p>\n<p><a href=\"" + MANAGE
                + "\">" + escape(m.t("mail.manage")) + "</a></p>\n";
        return new Content(subject, text, page(language, subject, html), null);
    }

    private String page(String language, String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"" + escape(language) + "\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n</head>\n<body>\n<main>\n<h1>" + escape(settings.comuneName()) + "</h1>\n" + body
                + "</main>\n</body>\n</html>\n";
    }

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
