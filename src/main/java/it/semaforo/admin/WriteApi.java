package it.semaforo.admin;

import it.semaforo.notice.UpdateInput;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeDesk;
import it.semaforo.event.Refusal;
import it.semaforo.audit.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.api.ApiError;
import it.semaforo.api.Json;
import it.semaforo.api.SemaforoApi;
import it.semaforo.db.DatabaseException;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.Catalog;
import it.semaforo.service.Provider;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.render.Messages;
import it.semaforo.render.Rendered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The write API for automation: create an avviso, add an update, close it, with a bearer
 * token acting as its user. A JSON body is turned into the clerks' Form and checked by
 * NoticeForms, then NoticeDesk makes the change with its audit entry: the same rules and the
 * same log as the forms. Nothing here is cached; a change reaches the public caches through
 * Database.write. No cookie is ever read, so no origin can borrow a clerk's session.
 */
public final class WriteApi {
    private static final Logger log = LoggerFactory.getLogger(WriteApi.class);
    public static final String NOTICES = SemaforoApi.BASE + "/notices.json";
    public static final String UPDATES = SemaforoApi.BASE + "/notices/{id}/updates.json";
    public static final String CLOSE = SemaforoApi.BASE + "/notices/{id}/close.json";
    /** Largest body read: an avviso at every maximum length fits, with room for JSON escapes. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final Set<String> NOTICE_FIELDS = Set.of("kind", "title", "summary", "body", "language", "draft", "publish_at",
            "expires_at", "window_start", "window_end", "impacts");
    private static final Set<String> UPDATE_FIELDS = Set.of("body", "impacts", "closes", "notify_subscribers");
    private static final Set<String> CLOSE_FIELDS = Set.of("body", "impacts", "notify_subscribers");
    private static final Set<String> IMPACT_FIELDS = Set.of("service", "provider", "state", "reason");

    private final AdminWeb web;
    private final ApiTokens tokens;
    private final NoticeDesk desk;
    private final NoticeForms forms;
    private final NoticeRepository notices;
    private final ServiceCatalog services;
    private final RequestThrottle throttle;
    private final Clock clock;
    private final AdminSettings config;
    private final Messages msg;

    WriteApi(AdminWeb web, ApiTokens tokens, NoticeDesk desk, NoticeForms forms, NoticeRepository notices,
             ServiceCatalog services, Clock clock, AdminSettings config) {
        this.web = web;
        this.tokens = tokens;
        this.desk = desk;
        this.forms = forms;
        this.notices = notices;
        this.services = services;
        this.clock = clock;
        this.config = config;
        this.throttle = new RequestThrottle(clock, Duration.ofMinutes(1),
                config.writeApiMaxPerMinute());
        this.msg = new Messages(config.language());
    }

    /** Registered before the public API's routes, so that these preflights answer for POST. */
    public void routes(RoutesConfig r) {
        r.post(NOTICES, ctx -> handle(ctx, ApiTokens.Scope.CREATE, this::create));
        r.post(UPDATES, ctx -> handle(ctx, ApiTokens.Scope.UPDATE, (c, caller, body) -> update(c, caller, body, false)));
        r.post(CLOSE, ctx -> handle(ctx, ApiTokens.Scope.CLOSE, (c, caller, body) -> update(c, caller, body, true)));
        for (String path : new String[]{NOTICES, UPDATES, CLOSE}) r.options(path, WriteApi::preflight);
    }

    @FunctionalInterface
    private interface Operation {
        Rendered run(Context ctx, Caller caller, ObjectNode body);
    }

    /** Who writes, through which token; extra collects the answer's headers. */
    private record Caller(Actor actor, ApiTokens.Token token, Map<String, String> extra) {
    }

    /** The checks every write passes, in this order: rate, token, expiry, account, scope, media type, size, JSON. */
    private void handle(Context ctx, ApiTokens.Scope scope, Operation op) {
        Map<String, String> extra = new LinkedHashMap<>();
        Rendered answer;
        try {
            String address = web.address(ctx);
            Optional<Duration> wait = throttle.hit(address);
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                extra.put("Retry-After", String.valueOf(seconds));
                throw new ApiError(429, msg.t("api.error.write.rate", seconds), null);
            }
            Caller caller = caller(ctx, address, extra);
            require(caller, scope);
            requireJson(ctx);
            answer = op.run(ctx, caller, body(ctx));
        } catch (ApiError e) {
            answer = e.rendered();
        } catch (Refusal r) {
            AdminProblem p = web.problem(r);
            answer = ApiError.rendered(p.status(), p.getMessage(), r.field());
        } catch (AdminProblem p) {
            answer = p.status() >= 400 && p.status() < 500 ? ApiError.rendered(p.status(), p.getMessage(), null)
                    : ApiError.rendered(500, msg.t("api.error.write.internal"), null);
        } catch (DatabaseException e) {
            log.warn("write API: database failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            answer = ApiError.rendered(503, msg.t("api.error.write.unavailable"), null);
        } catch (RuntimeException e) {
            log.error("write API: unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            answer = ApiError.rendered(500, msg.t("api.error.write.internal"), null);
        }
        answer.headers().forEach(ctx::header);
        extra.forEach(ctx::header);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Access-Control-Expose-Headers", "Location, Retry-After, WWW-Authenticate");
        ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
    }

    /** The token's user; 401 for no, unknown, revoked or expired token, 403 for a deactivated account. */
    private Caller caller(Context ctx, String address, Map<String, String> extra) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            extra.put("WWW-Authenticate", "Bearer realm=\"semaforo\"");
            throw new ApiError(401, msg.t("api.error.token.missing"), null);
        }
        Optional<ApiTokens.Token> token = tokens.authenticate(header.substring(7).strip());
        if (token.isEmpty()) {
            extra.put("WWW-Authenticate", "Bearer realm=\"semaforo\", error=\"invalid_token\"");
            throw new ApiError(401, msg.t("api.error.token.invalid"), null);
        }
        if (token.get().expiredAt(clock.instant())) {
            extra.put("WWW-Authenticate", "Bearer realm=\"semaforo\", error=\"invalid_token\", error_description=\"expired\"");
            throw new ApiError(401, msg.t("api.error.token.expired"), null);
        }
        User user = web.accounts.find(token.get().userId()).orElseThrow();
        if (!user.active()) throw new ApiError(403, msg.t("api.error.account.inactive"), null);
        if (!user.role().allows(Role.EDITOR)) throw new ApiError(403, msg.t("api.error.role"), null);
        return new Caller(user.actor(address), token.get(), extra);
    }

    /** A write the token was not made for: 403, naming the scope it would need (RFC 6750). */
    private void require(Caller caller, ApiTokens.Scope scope) {
        if (caller.token().allows(scope)) return;
        caller.extra().put("WWW-Authenticate", "Bearer realm=\"semaforo\", error=\"insufficient_scope\", scope=\"" + scope.key() + "\"");
        throw new ApiError(403, msg.t("api.error.token.scope", scope.key()), null);
    }

    private void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) throw new ApiError(415, msg.t("api.error.write.media.type"), null);
    }

    /** The body as a JSON object, read up to the limit. */
    private ObjectNode body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            // read (and drop) a moderately oversized body, so that the client, still sending,
            // gets the 413 rather than a reset connection; beyond that, answer at once
            if (declared <= DRAIN_LIMIT) {
                try (InputStream in = ctx.req().getInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the answer is the same
                }
            }
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.badRequest(msg.t("api.error.write.json"), null);
        }
        if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
        JsonNode tree;
        try {
            // one JSON value and nothing after it: "{…}}" or two objects in a row are a broken body,
            // not the first object (Jackson ignores trailing tokens unless told)
            tree = Json.MAPPER.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest(msg.t("api.error.write.json"), null);
        }
        if (tree == null || !tree.isObject()) throw ApiError.badRequest(msg.t("api.error.write.json"), null);
        return (ObjectNode) tree;
    }

    private ApiError tooLarge() {
        return new ApiError(413, msg.t("api.error.write.too.large", MAX_BODY_BYTES / 1024), null);
    }

    // ---- the operations --------------------------------------------------------------------

    private Rendered create(Context ctx, Caller caller, ObjectNode body) {
        Actor actor = caller.actor();
        only(body, NOTICE_FIELDS, "");
        Catalog catalog = services.load();
        Form f = Form.empty();
        for (String name : new String[]{"kind", "title", "summary", "body", "language"}) f.set(name, string(body, name, ""));
        String publishAt = string(body, "publish_at", "");
        f.set("publish", publishAt.isEmpty() ? "now" : "later").set("publish_at", localTime(publishAt));
        for (String name : new String[]{"expires_at", "window_start", "window_end"}) f.set(name, localTime(string(body, name, "")));
        boolean draft = bool(body, "draft", "");
        Map<String, String> fieldNames = impacts(body, catalog, f);
        Optional<NoticeInput> in = forms.notice(f, catalog, clock.instant());
        if (in.isEmpty()) throw refused(f, fieldNames);
        long id = draft ? desk.createDraft(actor, in.get()) : desk.createPublished(actor, in.get());
        ctx.header("Location", SemaforoApi.BASE + "/notices/" + id + ".json");
        Notice n = find(id);
        // two pairs of eyes: kept as a draft until another clerk approves it in the clerks' area
        boolean waiting = !draft && n.status() == it.semaforo.notice.NoticeStatus.DRAFT;
        return written(waiting ? 202 : 201, n, null);
    }

    private Rendered update(Context ctx, Caller caller, ObjectNode body, boolean close) {
        Actor actor = caller.actor();
        Notice n = notices.find(id(ctx)).orElseThrow(() -> new ApiError(404, msg.t("api.error.write.notice.missing", ctx.pathParam("id")), null));
        only(body, close ? CLOSE_FIELDS : UPDATE_FIELDS, "");
        Catalog catalog = services.load();
        Form f = Form.empty().set("body", string(body, "body", ""));
        if (close || bool(body, "closes", "")) {
            require(caller, ApiTokens.Scope.CLOSE);   // an update that closes is a closure
            f.set("closes", "on");
        }
        // subscribers are told unless the client says this update is a correction
        if (!body.has("notify_subscribers") || body.get("notify_subscribers").isNull() || bool(body, "notify_subscribers", "")) {
            f.set("notify", "on");
        }
        Map<String, String> fieldNames = impacts(body, catalog, f);
        Optional<UpdateInput> in = forms.update(f, catalog);
        if (in.isEmpty()) throw refused(f, fieldNames);
        int number = desk.addUpdate(actor, n.id(), in.get());
        return written(201, find(n.id()), Map.of("number", number, "closes", in.get().closes()));
    }

    private long id(Context ctx) {
        String raw = ctx.pathParam("id");
        if (!ID.matcher(raw).matches()) throw new ApiError(404, msg.t("api.error.write.notice.missing", raw.length() > 40 ? raw.substring(0, 40) + "…" : raw), null);
        return Long.parseLong(raw);
    }

    private Notice find(long id) {
        return notices.find(id).orElseThrow();
    }

    /** What was written: enough to follow the avviso without another request. */
    private Rendered written(int status, Notice n, Map<String, Object> update) {
        var zone = config.zone();
        ObjectNode o = Json.object();
        o.put("id", n.id());
        o.put("status", n.status().key());
        o.put("kind", n.kind().key());
        o.put("title", n.title());
        o.put("published_at", Json.timestamp(n.publishedAt(), zone));
        o.put("expires_at", Json.timestamp(n.expiresAt(), zone));
        o.put("closed_at", Json.timestamp(n.closedAt(), zone));
        o.put("updates", n.updates().size());
        if (n.status() == it.semaforo.notice.NoticeStatus.DRAFT && desk.approvals().pending(n.id()).isPresent()) {
            o.put("approval", "pending");
        } else {
            o.putNull("approval");
        }
        if (n.status() == it.semaforo.notice.NoticeStatus.PUBLISHED) {
            o.put("url", config.baseUrl() + n.path());
            o.put("api_url", config.baseUrl() + SemaforoApi.BASE + "/notices/" + n.id() + ".json");
        } else {
            o.putNull("url");
            o.putNull("api_url");
        }
        if (update == null) o.putNull("update");
        else {
            ObjectNode u = o.putObject("update");
            u.put("number", (Integer) update.get("number"));
            u.put("closes", (Boolean) update.get("closes"));
        }
        return Json.rendered(status, o);
    }

    // ---- JSON to the clerks' form --------------------------------------------------------------

    /**
     * The impacts array as the form's state rows (state_s_{id}, reason_s_{id}); returns the
     * JSON name of each row's fields, so that an error found by NoticeForms names the JSON field.
     */
    private Map<String, String> impacts(ObjectNode body, Catalog catalog, Form f) {
        Map<String, String> names = new LinkedHashMap<>();
        JsonNode list = body.get("impacts");
        if (list == null || list.isNull()) return names;
        if (!list.isArray()) throw ApiError.badRequest(msg.t("api.error.write.field.array"), "impacts");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "impacts[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject()) throw ApiError.badRequest(msg.t("api.error.write.impact.object"), at);
            ObjectNode row = (ObjectNode) item;
            only(row, IMPACT_FIELDS, at + ".");
            String service = string(row, "service", at + ".");
            String provider = string(row, "provider", at + ".");
            if (service.isEmpty() == provider.isEmpty()) throw ApiError.badRequest(msg.t("api.error.write.impact.target"), at);
            String key;
            if (!service.isEmpty()) {
                key = "s_" + catalog.service(service).orElseThrow(() -> ApiError.badRequest(
                        msg.t("api.error.write.impact.service", service), at + ".service")).id();
            } else {
                key = "p_" + catalog.providers().stream().filter(p -> p.slug().equals(provider)).findFirst().map(Provider::id)
                        .orElseThrow(() -> ApiError.badRequest(msg.t("api.error.write.impact.provider", provider), at + ".provider"));
            }
            if (!seen.add(key)) throw ApiError.badRequest(msg.t("api.error.write.impact.twice"), at);
            String state = string(row, "state", at + ".");
            // an empty state would mean "no impact" on the form: over the API it must be said
            f.set("state_" + key, state.isEmpty() ? "?" : state).set("reason_" + key, string(row, "reason", at + "."));
            names.put("state_" + key, at + ".state");
            names.put("reason_" + key, at + ".reason");
        }
        return names;
    }

    /** The first error NoticeForms found, on the JSON field it is about. */
    private ApiError refused(Form f, Map<String, String> fieldNames) {
        var first = f.errors().entrySet().iterator().next();
        String field = first.getKey();
        if (fieldNames.containsKey(field)) field = fieldNames.get(field);
        else if (field.equals("publish")) field = "publish_at";
        else if (field.equals(NoticeForms.IMPACTS)) field = "impacts";
        return ApiError.badRequest(first.getValue(), field);
    }

    private void only(ObjectNode o, Set<String> allowed, String prefix) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiError.badRequest(msg.t("api.error.write.field.unknown", name, String.join(", ", new java.util.TreeSet<>(allowed))),
                        prefix + name);
            }
        }
    }

    private String string(ObjectNode o, String name, String prefix) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return "";
        if (!v.isTextual()) throw ApiError.badRequest(msg.t("api.error.write.field.string"), prefix + name);
        return v.asText().replace("\r\n", "\n").replace('\r', '\n');
    }

    private boolean bool(ObjectNode o, String name, String prefix) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw ApiError.badRequest(msg.t("api.error.write.field.boolean"), prefix + name);
        return v.asBoolean();
    }

    /**
     * An RFC 3339 timestamp with its offset becomes the local time the form reads; anything
     * else goes to the form as it is, whose checks accept or refuse it.
     */
    private String localTime(String text) {
        try {
            return LOCAL.format(OffsetDateTime.parse(text.strip()).atZoneSameInstant(config.zone()));
        } catch (java.time.DateTimeException e) {
            // not only unparseable text: a parseable instant beyond the local calendar's range
            // (+999999999-12-31T23:59:59Z) fails in atZoneSameInstant, and was a 500
            return text;
        }
    }

    private static void preflight(Context ctx) {
        // any origin may send a bearer token it holds; credentials (cookies) are never allowed
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Allow-Methods", ctx.path().endsWith("/notices.json") ? "GET, HEAD, POST, OPTIONS" : "POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match, If-Modified-Since");
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.header("Cache-Control", "no-store");
        ctx.status(204);
    }
}
