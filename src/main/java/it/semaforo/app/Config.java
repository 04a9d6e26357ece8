package it.semaforo.app;

import it.semaforo.admin.AdminSettings;
import it.semaforo.admin.Role;
import it.semaforo.render.Site;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings, read in three layers: the defaults built into the jar (config/semaforo.properties),
 * the external file, then SEMAFORO_* environment variables.
 */
public final class Config {
    private final Properties values;

    private Config(Properties values) {
        this.values = values;
    }

    /** Loads the layers from the real environment. */
    public static Config load() {
        return load(System.getenv());
    }

    public static Config load(Map<String, String> env) {
        Properties p = new Properties();
        try (InputStream in = Config.class.getResourceAsStream("/config/semaforo.properties")) {
            if (in == null) throw new IllegalStateException("embedded config/semaforo.properties is missing from the jar");
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read embedded configuration", e);
        }
        Path file = Path.of(env.getOrDefault("SEMAFORO_CONFIG", "config/semaforo.properties"));
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
        for (String key : p.stringPropertyNames()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) p.setProperty(key, fromEnv);
        }
        Config c = new Config(p);
        c.validate();
        return c;
    }

    /** A copy with some keys replaced: for tests and for command-line verbs. */
    public Config with(Map<String, String> overrides) {
        Properties p = new Properties();
        p.putAll(values);
        overrides.forEach(p::setProperty);
        Config c = new Config(p);
        c.validate();
        return c;
    }

    static String envName(String key) {
        return "SEMAFORO_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void validate() {
        port();
        mirrorBucket();
        cacheMaxBytes();
        minFreeDiskBytes();
        zone();
        baseUrl();
        comuneLogo();
        links();
        admin();
        reviewKinds();
    }

    public String get(String key) {
        String v = values.getProperty(key);
        if (v == null) throw new IllegalStateException("missing configuration key " + key + " (" + envName(key) + ")");
        return v.trim();
    }

    public int port() {
        try {
            int port = Integer.parseInt(get("port"));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("port must be a number between 0 and 65535, got '" + get("port") + "'");
        }
    }

    public String host() {
        return get("host");
    }

    public Path dataDir() {
        return Path.of(get("data.dir"));
    }

    /** The public address without a trailing slash. */
    public String baseUrl() {
        String url = get("base.url");
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("base.url must be an absolute http(s) address, got '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public ZoneId zone() {
        try {
            return ZoneId.of(get("time.zone"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("time.zone must be an IANA zone such as Europe/Rome, got '" + get("time.zone") + "'");
        }
    }

    public Locale language() {
        return Locale.forLanguageTag(get("language"));
    }

    /** The site as every output shows it, with its assets loaded (see Site). */
    public Site site(it.semaforo.render.Assets assets) {
        return new Site(comune(), links(), assets, baseUrl(), it.semaforo.render.Lang.supportedOrFail(language()), zone(),
                !get("smtp.host").isBlank(),   // subscriptions by email (notify) are offered only with mail configured
                new it.semaforo.render.Fragments());
    }

    /** Free bytes under which /health says the disk is low (health.disk.min.free.mb). */
    public long minFreeDiskBytes() {
        return integer("health.disk.min.free.mb", 0, 1_048_576) * 1024 * 1024;
    }

    /** Bytes the response cache may hold (cache.max.mb). */
    public long cacheMaxBytes() {
        return integer("cache.max.mb", 1, 65536) * 1024 * 1024;
    }

    public boolean demoEnabled() {
        return Boolean.parseBoolean(get("demo.enabled"));
    }

    public Site.Comune comune() {
        return new Site.Comune(get("comune.name"), get("comune.address"), get("comune.tax.code"),
                get("comune.pec"), get("comune.phone"), get("comune.website"));
    }

    /** An integer setting within bounds, with a message that names the key when it is not. */
    public long integer(String key, long min, long max) {
        try {
            long v = Long.parseLong(get(key));
            if (v < min || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + " must be a whole number between " + min + " and " + max
                    + ", got '" + get(key) + "'");
        }
    }

    /** The clerks' area's settings (see AdminSettings). */
    public AdminSettings admin() {
        return new AdminSettings(language(), zone(), baseUrl(),
                Duration.ofMinutes(integer("admin.session.idle.minutes", 1, 24 * 60)),
                Duration.ofHours(integer("admin.session.max.hours", 1, 24 * 30)),
                Duration.ofMinutes(integer("admin.login.window.minutes", 1, 24 * 60)),
                (int) integer("admin.login.max.failures.account", 1, 1000),
                (int) integer("admin.login.max.failures.address", 1, 100_000),
                (int) integer("admin.password.bcrypt.cost", 4, 31),
                integer("admin.attachment.max.bytes", 1024, 1024L * 1024 * 1024),
                Boolean.parseBoolean(get("proxy.trusted")),
                (int) integer("api.write.max.requests.per.minute", 1, 100_000),
                new AdminSettings.Privacy(values.getProperty("privacy.controller", "").strip(),
                        values.getProperty("privacy.dpo", "").strip()),
                secondFactorRoles(),
                domains(),
                new AdminSettings.Access(Duration.ofDays(integer("access.inactive.days", 0, 3650)),
                        (int) integer("access.review.months", 1, 36)),
                sso());
    }

    /** admin.second.factor.roles: role keys separated by commas, each one a role of the clerks' area. */
    private java.util.Set<Role> secondFactorRoles() {
        java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        for (String key : values.getProperty("admin.second.factor.roles", "").split(",")) {
            if (key.isBlank()) continue;
            roles.add(Role.fromKey(key.strip()).orElseThrow(() -> new IllegalStateException(
                    "admin.second.factor.roles must list roles among amministratore, redattore; got '" + key.strip() + "'")));
        }
        return roles;
    }

    /**
     * The directory the mirror keeps as a static copy after every public change; empty when none
     * is configured. export.dir, its name before the mirror, is still read when mirror.dir is empty.
     */
    public Optional<Path> mirrorDir() {
        String value = get("mirror.dir");
        if (value.isBlank()) value = values.getProperty("export.dir", "").strip();
        return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /**
     * The S3-compatible bucket the mirror keeps as a static copy (mirror.s3.*); empty when no
     * bucket is named. Refuses to start with a bucket but no keys, or an endpoint that is no URL.
     */
    public Optional<it.semaforo.export.BucketTarget.Settings> mirrorBucket() {
        String bucket = get("mirror.s3.bucket");
        if (bucket.isEmpty()) return Optional.empty();
        String endpoint = get("mirror.s3.endpoint");
        URI uri = null;
        if (!endpoint.isEmpty()) {
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !(endpoint.startsWith("https://") || endpoint.startsWith("http://"))) {
                throw new IllegalStateException("mirror.s3.endpoint must be an http(s) URL, e.g. https://s3.eu-south-1.amazonaws.com: " + endpoint);
            }
        }
        String access = get("mirror.s3.access.key");
        String secret = get("mirror.s3.secret.key");
        if (access.isEmpty() || secret.isEmpty()) {
            throw new IllegalStateException("mirror.s3.bucket is set: mirror.s3.access.key and mirror.s3.secret.key "
                    + "(SEMAFORO_MIRROR_S3_ACCESS_KEY, SEMAFORO_MIRROR_S3_SECRET_KEY) are needed too");
        }
        String region = get("mirror.s3.region");
        return Optional.of(new it.semaforo.export.BucketTarget.Settings(uri, bucket, region.isEmpty() ? "us-east-1" : region,
                access, secret, Boolean.parseBoolean(get("mirror.s3.path.style"))));
    }

    /** Single sign-on (oidc.*): checked at start, so that a half-configured provider stops it with a clear message. */
    private AdminSettings.Sso sso() {
        String issuer = values.getProperty("oidc.issuer", "").strip();
        String clientId = values.getProperty("oidc.client.id", "").strip();
        String secret = values.getProperty("oidc.client.secret", "").strip();
        boolean passwords = Boolean.parseBoolean(values.getProperty("admin.password.login", "true").strip());
        String breakGlass = it.semaforo.admin.Accounts.normalise(values.getProperty("admin.break.glass.user", ""));
        if (!issuer.isEmpty()) {
            try {
                URI uri = URI.create(issuer);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("oidc.issuer must be the identity provider's https address, got '" + issuer + "'");
            }
            if (clientId.isEmpty() || secret.isEmpty()) {
                throw new IllegalStateException("oidc.issuer is set: oidc.client.id and oidc.client.secret are needed too");
            }
        }
        if (!passwords && (issuer.isEmpty() || breakGlass.isEmpty())) {
            throw new IllegalStateException("admin.password.login=false needs oidc.issuer (the way in for everyone) and "
                    + "admin.break.glass.user (the one administrator who still signs in with a password)");
        }
        return new AdminSettings.Sso(issuer, clientId, secret, list("oidc.scopes", "openid profile email", " "),
                values.getProperty("oidc.role.claim", "groups").strip(), list("oidc.role.administrator", "", ","),
                list("oidc.role.editor", "", ","), list("oidc.editor.email.domains", "", ",").stream()
                .map(d -> d.toLowerCase(Locale.ROOT)).toList(), passwords, breakGlass);
    }

    private java.util.List<String> list(String key, String fallback, String separator) {
        return java.util.Arrays.stream(values.getProperty(key, fallback).split(java.util.regex.Pattern.quote(separator)))
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    /**
     * Two pairs of eyes: the kinds of avviso (review.kinds) that go out only once a second
     * clerk approves them, who approves (an active administrator, asked of the accounts), and
     * whether administrators' own avvisi need it too (review.administrators.too).
     */
    public it.semaforo.notice.NoticeReview review(it.semaforo.notice.NoticeReview.Approvers approvers) {
        return new it.semaforo.notice.NoticeReview(reviewKinds(),
                Boolean.parseBoolean(values.getProperty("review.administrators.too", "false").strip()), approvers);
    }

    private java.util.Set<it.semaforo.notice.NoticeKind> reviewKinds() {
        java.util.Set<it.semaforo.notice.NoticeKind> kinds = java.util.EnumSet.noneOf(it.semaforo.notice.NoticeKind.class);
        for (String key : values.getProperty("review.kinds", "violazione-dati").split(",")) {
            if (key.isBlank()) continue;
            kinds.add(it.semaforo.notice.NoticeKind.fromKey(key.strip()).orElseThrow(() -> new IllegalStateException(
                    "review.kinds must list kinds of avviso (disservizio, manutenzione, sicurezza, violazione-dati, "
                            + "informazione) separated by commas, got '" + key.strip() + "'")));
        }
        return kinds;
    }

    /**
     * The comune's own domains (comune.domains, each with its subdomains): an avviso sending
     * residents elsewhere is flagged in the preview. Empty: the hosts of base.url and comune.website.
     */
    public java.util.List<String> domains() {
        java.util.List<String> domains = new java.util.ArrayList<>();
        String listed = values.getProperty("comune.domains", "").strip();
        String[] items = listed.isEmpty() ? new String[]{baseUrl(), get("comune.website")} : listed.split(",");
        for (String item : items) {
            String host = it.semaforo.notice.Destinations.host(item);
            if (host.isEmpty() || !host.matches("[a-z0-9.-]+\\.[a-z0-9-]+|localhost|[0-9.]+")) {
                if (listed.isEmpty()) continue;
                throw new IllegalStateException("comune.domains must list domain names separated by commas "
                        + "(comune.roccaverde.example), got '" + item.strip() + "'");
            }
            if (!domains.contains(host)) domains.add(host);
        }
        return java.util.List.copyOf(domains);
    }

    /** The comune's emblem for header and footer; empty for the demo comune's bundled one. */

    public Optional<Path> comuneLogo() {
        String value = get("comune.logo");
        if (value.isEmpty()) return Optional.empty();
        Path file = Path.of(value);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.matches(".+\\.(svg|png|jpe?g|webp)")) {
            throw new IllegalStateException("comune.logo must be an svg, png, jpg or webp file, got '" + value + "'");
        }
        if (!Files.isRegularFile(file)) throw new IllegalStateException("comune.logo: no file at " + file.toAbsolutePath());
        return Optional.of(file);
    }

    /**
     * The PNG or JPEG a shared link previews with (og:image); empty: the emblem (the demo's as a
     * PNG). Messaging apps and social sites show no SVG, hence a file of its own.
     */
    public Optional<Path> shareImage() {
        String value = get("comune.share.image");
        if (value.isEmpty()) return Optional.empty();
        Path file = Path.of(value);
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).matches(".+\\.(png|jpe?g)")) {
            throw new IllegalStateException("comune.share.image must be a png or jpg file, got '" + value + "'");
        }
        if (!Files.isRegularFile(file)) throw new IllegalStateException("comune.share.image: no file at " + file.toAbsolutePath());
        return Optional.of(file);
    }

    /** The comune's own pages linked from every page (see Site.Links). */
    public Site.Links links() {
        return new Site.Links(link("comune.menu.management"), link("comune.menu.news"), link("comune.menu.all-services"),
                link("comune.menu.live"), link("comune.faq.url"), link("comune.report-inefficiency.url"),
                link("comune.accessibility.url"), link("comune.privacy.url"), link("comune.legal-notes.url"));
    }

    /** An absolute http(s) address, or a path on this host. */
    private String link(String key) {
        String url = get(key);
        boolean ok;
        try {
            URI uri = URI.create(url);
            ok = url.startsWith("/") && !url.startsWith("//")
                    || ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (!ok) throw new IllegalStateException(key + " must be an absolute http(s) address or a path starting with /, got '" + url + "'");
        return url;
    }
}
