package it.semaforo.app;

import it.semaforo.notify.NotifySettings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The notify feature's settings, read from the configuration (smtp.*, notify.*, webhooks.*). */
final class NotifyWiring {
    private NotifyWiring() {
    }

    /** smtp.dkim.domain, .selector and .key.file: all three, or none (no signing). */
    static NotifySettings.Dkim dkim(Config config) {
        String domain = config.get("smtp.dkim.domain");
        String selector = config.get("smtp.dkim.selector");
        String key = config.get("smtp.dkim.key.file");
        if (domain.isEmpty() && selector.isEmpty() && key.isEmpty()) return null;
        if (domain.isEmpty() || selector.isEmpty() || key.isEmpty()) {
            throw new IllegalStateException("DKIM needs smtp.dkim.domain, smtp.dkim.selector and smtp.dkim.key.file together");
        }
        java.nio.file.Path file = java.nio.file.Path.of(key);
        if (!java.nio.file.Files.isReadable(file)) throw new IllegalStateException("smtp.dkim.key.file cannot be read: " + file);
        return new NotifySettings.Dkim(domain, selector, file);
    }

    /** smtp.trust.file: PEM certificates trusted for the SMTP server's TLS certificate (a private CA); empty: the JVM's. */
    static java.nio.file.Path trustFile(Config config) {
        String name = config.get("smtp.trust.file");
        if (name.isEmpty()) return null;
        java.nio.file.Path file = java.nio.file.Path.of(name);
        if (!java.nio.file.Files.isReadable(file)) throw new IllegalStateException("smtp.trust.file cannot be read: " + file);
        return file;
    }

    static NotifySettings settings(Config config) {
        String security = config.get("smtp.security").toLowerCase(Locale.ROOT);
        NotifySettings.Security sec = switch (security) {
            case "none" -> NotifySettings.Security.NONE;
            case "starttls" -> NotifySettings.Security.STARTTLS;
            case "tls" -> NotifySettings.Security.TLS;
            default -> throw new IllegalStateException("smtp.security must be none, starttls or tls, got '" + security + "'");
        };
        String host = config.get("smtp.host");
        String from = config.get("smtp.from");
        if (!host.isEmpty() && from.isEmpty()) throw new IllegalStateException("smtp.from must be set when smtp.host is");
        NotifySettings.Smtp smtp = new NotifySettings.Smtp(host, (int) config.integer("smtp.port", 1, 65535), sec,
                config.get("smtp.user"), config.get("smtp.password"), from, config.get("smtp.reply.to"), dkim(config), trustFile(config));
        Map<String, String> privacy = new LinkedHashMap<>();
        for (String l : new String[]{"it", "en", "de", "ja"}) privacy.put(l, config.get("notify.privacy.notice." + l));
        return new NotifySettings(smtp, config.baseUrl(), config.comune().name(), config.zone(), config.language(),
                (int) config.integer("notify.rate.per.minute", 0, 1_000_000),
                Duration.ofSeconds(config.integer("notify.batch.window.seconds", 0, 86_400)),
                Duration.ofHours(config.integer("notify.retry.hours", 24, 24 * 14)),
                Duration.ofHours(config.integer("notify.maintenance.reminder.hours", 0, 24 * 14)),
                (int) config.integer("notify.signups.per.hour.per.address", 1, 100_000),
                config.admin().trustProxy(), privacy, Boolean.parseBoolean(config.get("webhooks.allow.private")));
    }
}
