package it.semaforo.notify;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * What the notify feature needs of the configuration, handed in by the application's assembly
 * (app.NotifyWiring builds it from smtp.*, notify.* and webhooks.* keys), so that this package
 * never reads the configuration itself.
 */
public record NotifySettings(Smtp smtp, String baseUrl, String comuneName, ZoneId zone, Locale defaultLanguage, int ratePerMinute,
                             Duration batchWindow, Duration retryFor, Duration reminderBefore,
                             int signupsPerHourPerAddress, boolean trustProxy, Map<String, String> privacyNotice,
                             boolean webhooksAllowPrivate) {

    public enum Security { NONE, STARTTLS, TLS }

    /** DKIM signing of every mail (RFC 6376): the d= domain, the s= selector, the RSA private key (PKCS #8, PEM or DER). */
    public record Dkim(String domain, String selector, java.nio.file.Path keyFile) {
    }

    /**
     * The SMTP server: host empty means mail is not configured (subscriptions are then hidden).
     * dkim: null, or how every mail is signed. trustFile: null (the JVM's trusted authorities), or
     * the PEM certificates that alone are trusted for the server's TLS certificate.
     */
    public record Smtp(String host, int port, Security security, String user, String password, String from,
                       String replyTo, Dkim dkim, java.nio.file.Path trustFile) {
        public Smtp(String host, int port, Security security, String user, String password, String from, String replyTo) {
            this(host, port, security, user, password, from, replyTo, null, null);
        }

        public boolean configured() {
            return host != null && !host.isBlank();
        }

        @Override
        public String toString() {   // never the password in a log line
            return "Smtp[" + host + ":" + port + " " + security + (user.isEmpty() ? "" : " as " + user) + " from " + from
                    + (dkim == null ? "" : ", DKIM d=" + dkim.domain() + " s=" + dkim.selector()) + "]";
        }
    }

    public boolean mailConfigured() {
        return smtp.configured();
    }

    /** The privacy notice in a language (tag), else the Italian one. */
    public String privacyNotice(String language) {
        String text = privacyNotice.get(language);
        return text == null || text.isBlank() ? privacyNotice.getOrDefault("it", "") : text;
    }

    /** The host part of base.url, for Message-ID and thread references. */
    public String mailDomain() {
        return java.net.URI.create(baseUrl).getHost();
    }
}
