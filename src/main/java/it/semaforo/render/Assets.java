package it.semaforo.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one way to reference a static file: templates ask for a logical name ("semaforo.css",
 * "bootstrap-italia/svg/sprites.svg") and get its fingerprinted address
 * (/assets/{content hash}/{name}), which browsers and CDNs may keep for a year because a new
 * content gets a new address. Everything is read into memory at start-up: Bootstrap Italia
 * and its Titillium Web fonts from the WebJar, our own files from static/, the comune's logo.
 * Nothing comes from a third-party host.
 */
public final class Assets {
    public static final String PREFIX = "/assets/";
    public static final String STATIC = "/static/";
    public static final String LOGO = "logo";
    /** The image a shared link previews with (og:image) when the page has none of its own. */
    public static final String SHARE = "share";

    private static final String WEBJAR = "META-INF/resources/webjars/bootstrap-italia/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/bootstrap-italia/pom.properties";
    /** The clerks' stylesheet: no public page uses it, so the static copy leaves it out. */
    private static final String ADMIN_CSS = "admin.css";
    /** The clerks' passkey script (the only script of their area): left out of the static copy too. */
    private static final String PASSKEY_JS = "passkey.js";
    private static final java.util.Set<String> CLERKS_ONLY = java.util.Set.of(ADMIN_CSS, PASSKEY_JS);
    /** Our own files under static/ (a jar cannot list a directory, so they are named here). */
    private static final List<String> OWN = List.of("favicon.svg", "semaforo.css", ADMIN_CSS, PASSKEY_JS);
    /** The weights the pages use: light, regular, semibold, bold, and italic. */
    private static final List<String> TITILLIUM = List.of("300", "regular", "italic", "600", "700");
    private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*(['\"]?)([^'\")]+)\\1\\s*\\)");

    private final Map<String, Asset> byName = new LinkedHashMap<>();
    private final Map<String, Asset> byUrl = new LinkedHashMap<>();
    private final String bootstrapItaliaVersion;

    /** A file as served: the bytes, their gzip form when smaller, and the fingerprinted address. */
    public record Asset(String name, String url, String contentType, byte[] body, byte[] gzip, String etag) {
        /** The file as an output of the static export. */
        public Rendered rendered() {
            return Rendered.of(200, contentType, body);
        }
    }

    private Assets(String bootstrapItaliaVersion) {
        this.bootstrapItaliaVersion = bootstrapItaliaVersion;
    }

    /**
     * Loads every asset. logo is the comune's emblem from the configuration, or empty for the
     * demo comune's one bundled in static/; share the PNG or JPEG that shared links preview with,
     * or empty for the emblem itself (the demo's as a PNG: messaging apps show no SVG).
     */
    public static Assets load(Optional<Path> logo, Optional<Path> share) {
        String version = webjarVersion();
        Assets a = new Assets(version);
        String dist = WEBJAR + version + "/dist/";
        a.add("bootstrap-italia/css/bootstrap-italia.min.css", classpath(dist + "css/bootstrap-italia.min.css"));
        a.add("bootstrap-italia/svg/sprites.svg", classpath(dist + "svg/sprites.svg"));
        for (String weight : TITILLIUM) {
            String file = "Titillium_Web/titillium-web-v10-latin-ext_latin-" + weight + ".woff2";
            a.add("bootstrap-italia/fonts/" + file, classpath(dist + "fonts/" + file));
        }
        if (logo.isPresent()) {
            a.add(LOGO + extension(logo.get().getFileName().toString()), read(logo.get(), "logo"));
        } else {
            a.add(LOGO + ".svg", classpath("static/logo-comune.svg"));
            if (share.isEmpty()) a.add(SHARE + ".png", classpath("static/logo-comune.png"));
        }
        if (share.isPresent()) a.add(SHARE + extension(share.get().getFileName().toString()), read(share.get(), "share image"));
        // our CSS last: its url() references are rewritten to the addresses registered above
        for (String name : OWN) a.add(name, classpath("static/" + name));
        return a;
    }

    /** The fingerprinted address of a registered asset; an unknown name is a bug, so it fails loudly. */
    public String url(String name) {
        Asset a = byName.get(name);
        if (a == null) throw new IllegalArgumentException("no asset named " + name);
        return a.url();
    }

    /** The comune's logo, whatever its file type. */
    public String logo() {
        return byName.keySet().stream().filter(n -> n.startsWith(LOGO + ".")).findFirst().map(this::url).orElseThrow();
    }

    /** What a shared link previews with: the share image, else the comune's logo. */
    public String shareImage() {
        return byName.keySet().stream().filter(n -> n.startsWith(SHARE + ".")).findFirst().map(this::url).orElseGet(this::logo);
    }

    /** Whether shareImage() is a PNG or JPEG, which messaging apps show (an SVG or WebP emblem is not). */
    public boolean sharesAPicture() {
        return shareImage().matches("(?i).+\\.(png|jpe?g)");
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the comune's " + what + " " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** The Bootstrap Italia version read from the WebJar, as its CSS declares it. */
    public String bootstrapItaliaVersion() {
        return bootstrapItaliaVersion;
    }

    public Map<String, Asset> all() {
        return Collections.unmodifiableMap(byName);
    }

    /**
     * What a static copy of the public site needs: every asset at its fingerprinted address, and
     * our own files at /static/ too (what serveUnversioned answers); not the clerks' stylesheet.
     */
    public Stream<PublicAddress> publicAddresses() {
        Stream<PublicAddress> fingerprinted = byName.values().stream().filter(a -> !CLERKS_ONLY.contains(a.name()))
                .map(a -> new PublicAddress(a.url(), a::rendered, Set.of(PublicAddress.FIXED)));
        Stream<PublicAddress> unversioned = OWN.stream().filter(name -> !CLERKS_ONLY.contains(name)).map(byName::get)
                .map(a -> new PublicAddress(STATIC + a.name(), a::rendered, Set.of(PublicAddress.FIXED)));
        return Stream.concat(fingerprinted, unversioned);
    }

    /** The asset at its exact current fingerprinted address (/assets/{hash}/{name}). */
    public Optional<Asset> atUrl(String path) {
        return Optional.ofNullable(byUrl.get(path));
    }

    /** One of our own files by its unversioned address (/static/{name}), for old references. */
    public Optional<Asset> unversioned(String path) {
        if (!path.startsWith(STATIC)) return Optional.empty();
        return Optional.ofNullable(byName.get(path.substring(STATIC.length()))).filter(a -> OWN.contains(a.name()));
    }

    private void add(String name, byte[] body) {
        String type = contentType(name);
        if (name.endsWith(".css")) body = rewriteUrls(name, body);
        String hash = sha256(body).substring(0, 16);
        String url = PREFIX + hash + "/" + name;
        byte[] gzip = type.startsWith("font/") ? null : Gzip.compress(body);   // woff2 is compressed already
        if (gzip != null && gzip.length >= body.length) gzip = null;
        Asset a = new Asset(name, url, type, body, gzip, '"' + hash + '"');
        byName.put(name, a);
        byUrl.put(url, a);
    }

    /**
     * Points every relative url() of a stylesheet at the fingerprinted address of the asset it
     * names, so our CSS can say url("bootstrap-italia/fonts/…") and still be cached for a year.
     * A reference to an unregistered file stops the start-up: it would be a broken font or image.
     */
    private byte[] rewriteUrls(String cssName, byte[] css) {
        Matcher m = CSS_URL.matcher(new String(css, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String target = m.group(2).strip();
            if (target.startsWith("data:") || target.startsWith("#")) continue;
            String name = target.replaceFirst("[?#].*$", "");
            Asset a = byName.get(name);
            if (a == null) throw new IllegalStateException(cssName + " refers to " + target + ", which is not a registered asset");
            m.appendReplacement(out, Matcher.quoteReplacement("url(\"" + a.url() + "\")"));
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String contentType(String name) {
        String ext = extension(name);
        return switch (ext) {
            case ".css" -> "text/css; charset=utf-8";
            case ".js" -> "text/javascript; charset=utf-8";
            case ".svg" -> "image/svg+xml";
            case ".png" -> "image/png";
            case ".jpg", ".jpeg" -> "image/jpeg";
            case ".webp" -> "image/webp";
            case ".woff2" -> "font/woff2";
            case ".woff" -> "font/woff";
            default -> throw new IllegalStateException("unsupported asset type " + name + " (svg, png, jpg, webp, css, woff2)");
        };
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot).toLowerCase(Locale.ROOT);
    }

    private static String webjarVersion() {
        Properties p = new Properties();
        try (InputStream in = resource(WEBJAR_POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] classpath(String name) {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Assets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IllegalStateException(name + " is missing from the class path");
        return in;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
