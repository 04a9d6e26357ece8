package it.semaforo.notify;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceGroup;
import it.semaforo.render.Formats;
import it.semaforo.render.Lang;
import it.semaforo.render.Messages;
import it.semaforo.render.PageContext;
import it.semaforo.http.Answers;
import it.semaforo.http.ClientAddress;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.IDN;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The residents' side of subscriptions, no account and no JavaScript: the sign-up form, the
 * confirmation, the manage page and the one-click unsubscribe (RFC 8058: a plain POST to the
 * List-Unsubscribe address). Every page answers in the page's language (/en/iscrizione …).
 */
public final class SubscriptionRoutes {
    public static final String SUBSCRIBE = "/iscrizione";
    public static final String CONFIRM = "/iscrizione/conferma";
    public static final String MANAGE = "/iscrizione/gestisci";
    public static final String UNSUBSCRIBE = "/iscrizione/disiscrivi";
    /** How long the sign-up form stays valid after it was shown. */
    static final Duration FORM_VALIDITY = Duration.ofHours(4);
    static final int MAX_EMAIL = 254;

    private final Subscriptions subscriptions;
    private final Tokens tokens;
    private final ServiceCatalog catalog;
    private final Templates templates;
    private final Site site;
    private final Answers answers;
    private final NotifySettings settings;
    private final Clock clock;
    private final Runnable wake;
    /** Sign-ups per client address in the last hour: kept in memory only, never stored. */
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    public SubscriptionRoutes(Subscriptions subscriptions, Tokens tokens, ServiceCatalog catalog, Templates templates,
                              Site site, Answers answers, NotifySettings settings, Clock clock, Runnable wake) {
        this.answers = answers;
        this.subscriptions = subscriptions;
        this.tokens = tokens;
        this.catalog = catalog;
        this.templates = templates;
        this.site = site;
        this.settings = settings;
        this.clock = clock;
        this.wake = wake;
    }

    public void routes(RoutesConfig r) {
        List<String> prefixes = new java.util.ArrayList<>(List.of(""));
        Lang.SUPPORTED.forEach(l -> prefixes.add("/" + l.getLanguage()));
        for (String p : prefixes) {
            r.get(p + SUBSCRIBE, this::form);
            r.post(p + SUBSCRIBE, this::signUp);
            r.get(p + CONFIRM, ctx -> tokenPage(ctx, CONFIRM, "page.confirm.title", "page.confirm.text", "page.confirm.title"));
            r.post(p + CONFIRM, this::confirm);
            r.get(p + MANAGE, this::manage);
            r.post(p + MANAGE, this::save);
            r.get(p + UNSUBSCRIBE, ctx -> tokenPage(ctx, UNSUBSCRIBE, "page.unsubscribe", "page.unsubscribe.text", "page.unsubscribe"));
            r.post(p + UNSUBSCRIBE, this::unsubscribe);
        }
    }

    private PageContext context(Context ctx) {
        Lang lang = answers.language(ctx);
        Locale l = lang.locale();
        String path = Lang.stripPrefix(ctx.path());
        return new PageContext(new Messages("i18n.notify", l), new Formats(l, site.zone()), site, lang, path, "");
    }

    private void send(Context ctx, int status, String template, Object page) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Vary", "Accept-Language");
        ctx.status(status).contentType("text/html; charset=utf-8").result(templates.render(template, page));
    }

    private void message(Context ctx, int status, PageContext pc, String title, String text) {
        send(ctx, status, "notify/message.jte", new NotifyPages.Message(pc, pc.t(title), pc.t(text), null, null, null));
    }

    // ---- sign-up

    private void form(Context ctx) {
        PageContext pc = context(ctx);
        Set<Long> services = new HashSet<>();
        Set<Long> groups = new HashSet<>();
        Catalog cat = catalog.load();
        String slug = ctx.queryParam("servizio");
        if (slug != null) cat.services().stream().filter(s -> s.slug().equals(slug)).forEach(s -> services.add(s.id()));
        String group = ctx.queryParam("gruppo");
        if (group != null && group.matches("[0-9]{1,18}")) groups.add(Long.parseLong(group));
        Choices preset = new Choices(services.isEmpty() && groups.isEmpty(), services, groups, Set.of());
        renderForm(ctx, 200, pc, "", preset, pc.lang(), false, null);
    }

    private void renderForm(Context ctx, int status, PageContext pc, String email, Choices choices, String language,
                            boolean consent, String error) {
        List<String> privacy = Arrays.stream(settings.privacyNotice(pc.lang()).split("\\s*\\\\n\\s*|\\n"))
                .filter(s -> !s.isBlank()).toList();
        send(ctx, status, "notify/subscribe.jte", new NotifyPages.Subscribe(pc, tokens.formToken(clock.instant()), email,
                choicesForm(pc, choices, language), privacy, consent, error == null ? null : pc.t(error)));
    }

    private NotifyPages.ChoicesForm choicesForm(PageContext pc, Choices c, String language) {
        Catalog cat = catalog.load();
        List<NotifyPages.GroupOption> groups = cat.groups().stream().map((ServiceGroup g) -> new NotifyPages.GroupOption(
                g.id(), g.name(), c.groups().contains(g.id()),
                cat.services().stream().filter(s -> s.groupId() == g.id())
                        .map((Service s) -> new NotifyPages.ServiceOption(s.id(), s.name(), c.services().contains(s.id())))
                        .toList())).filter(g -> !g.services().isEmpty()).toList();
        Messages site = new Messages(pc.msg().locale());
        List<NotifyPages.KindOption> kinds = Choices.KINDS.stream()
                .map(k -> new NotifyPages.KindOption(k, site.t("kind." + k), c.kinds().contains(k))).toList();
        List<NotifyPages.LanguageOption> languages = Lang.SUPPORTED.stream().map(l -> new NotifyPages.LanguageOption(
                l.getLanguage(), new Messages(l).t("language.name"), l.getLanguage().equals(language))).toList();
        return new NotifyPages.ChoicesForm(c.everything(), groups, kinds, languages);
    }

    private void signUp(Context ctx) {
        PageContext pc = context(ctx);
        String email = ctx.formParam("email") == null ? "" : ctx.formParam("email").strip();
        Choices choices = choices(ctx);
        String language = language(ctx.formParam("language"), pc.lang());
        boolean consent = "1".equals(ctx.formParam("consent"));
        if (!sameOrigin(ctx) || !tokens.checkForm(ctx.formParam("form"), clock.instant(), FORM_VALIDITY)) {
            renderForm(ctx, 403, pc, safeEcho(email), choices, language, consent, "page.error.form");
            return;
        }
        Optional<String> address = normalise(email);
        if (address.isEmpty()) {
            renderForm(ctx, 400, pc, safeEcho(email), choices, language, consent, "page.error.email");
            return;
        }
        if (!consent) {
            renderForm(ctx, 400, pc, address.get(), choices, language, false, "page.error.consent");
            return;
        }
        if (!allow(ClientAddress.of(ctx, settings.trustProxy()))) {
            ctx.header("Retry-After", "3600");
            message(ctx, 429, pc, "page.error.throttled", "page.error.throttled");
            return;
        }
        subscriptions.signUp(address.get(), language, choices);
        wake.run();
        // the same answer whether the address was new, waiting or already confirmed (no enumeration)
        message(ctx, 200, pc, "page.sent.title", "page.sent.text");
    }

    private Choices choices(Context ctx) {
        Set<Long> services = ids(ctx.formParams("service"));
        Set<Long> groups = ids(ctx.formParams("group"));
        Set<String> kinds = ctx.formParams("kind").stream().filter(Choices.KINDS::contains).collect(Collectors.toSet());
        boolean everything = "1".equals(ctx.formParam("everything"));
        Choices c = new Choices(everything, services, groups, kinds);
        return c.isEmpty() ? Choices.all() : c;   // nothing ticked: everything, as the form says
    }

    private static Set<Long> ids(List<String> values) {
        return values.stream().limit(500).filter(v -> v.matches("[0-9]{1,18}")).map(Long::valueOf).collect(Collectors.toSet());
    }

    private static String language(String asked, String fallback) {
        return Lang.SUPPORTED.stream().map(Locale::getLanguage).filter(l -> l.equals(asked)).findFirst().orElse(fallback);
    }

    /**
     * A deliverable address, or empty: at most 254 characters, no control characters (no header
     * injection), one addr-spec as RFC 5322 wants it; an internationalised domain becomes its
     * A-label. A non-ASCII local part is refused: not every server on the way takes SMTPUTF8.
     */
    static Optional<String> normalise(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_EMAIL) return Optional.empty();
        if (raw.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f || ch == 0x85 || ch == 0x2028 || ch == 0x2029)) return Optional.empty();
        int at = raw.lastIndexOf('@');
        if (at < 1 || at == raw.length() - 1 || at > 64) return Optional.empty();
        String local = raw.substring(0, at);
        String domain;
        try {
            domain = IDN.toASCII(raw.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!local.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) return Optional.empty();
        if (!domain.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}")) return Optional.empty();
        String address = local + "@" + domain;
        if (address.length() > MAX_EMAIL) return Optional.empty();
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            if (!address.equals(parsed.getAddress()) || parsed.getPersonal() != null) return Optional.empty();
        } catch (AddressException e) {
            return Optional.empty();
        }
        return Optional.of(address);
    }

    /** What the form shows again of a refused address: printable, short. */
    private static String safeEcho(String raw) {
        String s = raw.replaceAll("\\p{Cntrl}", "");
        return s.length() > MAX_EMAIL ? s.substring(0, MAX_EMAIL) : s;
    }

    /** A browser says where a form came from: only this site's own pages may send it. */
    private boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) return true;   // not a browser, or an old one: the signed form token still holds
        URI base = URI.create(settings.baseUrl());
        String own = base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        return origin.equalsIgnoreCase(own);
    }

    /** At most signupsPerHourPerAddress sign-ups an hour from one client address. */
    private boolean allow(String address) {
        Instant now = clock.instant();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        if (recent.size() > 10_000) recent.values().removeIf(d -> { synchronized (d) { return d.isEmpty() || d.peekLast().isBefore(hourAgo); } });
        Deque<Instant> times = recent.computeIfAbsent(address, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(hourAgo)) times.pollFirst();
            if (times.size() >= settings.signupsPerHourPerAddress()) return false;
            times.addLast(now);
            return true;
        }
    }

    // ---- confirmation, manage, unsubscribe

    /** The page a link of a mail opens: it changes nothing (mail scanners follow links); its button does. */
    private void tokenPage(Context ctx, String action, String title, String text, String button) {
        PageContext pc = context(ctx);
        String token = ctx.queryParam("t");
        if (token == null || token.isEmpty() || token.length() > 100) {
            message(ctx, 404, pc, "page.invalid.title", "page.invalid.text");
            return;
        }
        send(ctx, 200, "notify/message.jte", new NotifyPages.Message(pc, pc.t(title), pc.t(text), pc.link(action), token, pc.t(button)));
    }

    private void confirm(Context ctx) {
        PageContext pc = context(ctx);
        Optional<Subscriber> s = subscriptions.confirm(ctx.formParam("t"));
        if (s.isEmpty()) {
            message(ctx, 404, pc, "page.invalid.title", "page.invalid.text");
            return;
        }
        send(ctx, 200, "notify/message.jte", new NotifyPages.Message(pc, pc.t("page.confirmed.title"), pc.t("page.confirmed.text"),
                null, null, null));
    }

    private Optional<Subscriber> byManageToken(String token) {
        return Tokens.manageId(token).flatMap(subscriptions::byId)
                .filter(s -> s.confirmed() && tokens.checkManage(token, s.id(), s.email()));
    }

    private void manage(Context ctx) {
        PageContext pc = context(ctx);
        String token = ctx.queryParam("t");
        Optional<Subscriber> s = byManageToken(token);
        if (s.isEmpty()) {
            message(ctx, 404, pc, "page.invalid.title", "page.invalid.text");
            return;
        }
        send(ctx, 200, "notify/manage.jte", new NotifyPages.Manage(pc, token, s.get().email(),
                choicesForm(pc, s.get().choices(), s.get().language()), false));
    }

    private void save(Context ctx) {
        PageContext pc = context(ctx);
        String token = ctx.formParam("t");
        Optional<Subscriber> s = byManageToken(token);
        if (s.isEmpty()) {
            message(ctx, 404, pc, "page.invalid.title", "page.invalid.text");
            return;
        }
        Choices choices = choices(ctx);
        String language = language(ctx.formParam("language"), s.get().language());
        subscriptions.update(s.get().id(), language, choices);
        send(ctx, 200, "notify/manage.jte", new NotifyPages.Manage(pc, token, s.get().email(), choicesForm(pc, choices, language), true));
    }

    /** RFC 8058: the token in the address (a mail client's one-click POST) or in the form (the manage page). */
    private void unsubscribe(Context ctx) {
        PageContext pc = context(ctx);
        String token = ctx.queryParam("t");
        if (token == null) token = ctx.formParam("t");
        Optional<Subscriber> s = byManageToken(token);
        if (s.isEmpty()) {
            message(ctx, 404, pc, "page.invalid.title", "page.invalid.text");
            return;
        }
        subscriptions.erase(s.get().id());
        message(ctx, 200, pc, "page.unsubscribed.title", "page.unsubscribed.text");
    }
}
