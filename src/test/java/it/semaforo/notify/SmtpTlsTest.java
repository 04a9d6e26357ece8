package it.semaforo.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * smtp.security=tls with a user and password, against GreenMail's SMTPS on loopback with a
 * certificate made for the test (for 127.0.0.1) and trusted by configuration (smtp.trust.file):
 * the mail arrives; without the trust file the certificate is refused; a wrong password is
 * refused by the server. (GreenMail has no STARTTLS for SMTP: starttls is not tested here.)
 */
class SmtpTlsTest {
    static final String USER = "avvisi";
    static final String PASSWORD = "una-password-lunga-per-smtp";

    @TempDir
    static Path dir;

    @Test
    void tlsWithAuthenticationAgainstACertificateTrustedByConfiguration() throws Exception {
        SelfSigned certificate = SelfSigned.forLocalhost(dir);
        Path keystore = certificate.keystore();
        Path pem = certificate.pem();
        // GreenMail's TLS server reads its keystore from these, once per JVM
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", SelfSigned.PASSWORD);
        System.setProperty("greenmail.tls.key.password", SelfSigned.PASSWORD);
        GreenMail mail = new GreenMail(Smtp.setup(ServerSetupTest.SMTPS))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("avvisi@comune.roccaverde.example", USER, PASSWORD));
        mail.start();
        try {
            String port = String.valueOf(mail.getSmtps().getPort());
            try (TestServer server = server(port, PASSWORD, pem.toString())) {
                assertEquals(200, signUp(server, "maria@example.org").statusCode());
                assertEquals("maria@example.org", to(await(mail, 1).get(0)), "delivered over TLS, authenticated");
            }
            try (TestServer server = server(port, PASSWORD, "")) {
                assertEquals(200, signUp(server, "luca@example.org").statusCode());
                String error = lastError(server);
                assertTrue(error.contains("SSL") || error.contains("certif") || error.contains("PKIX"), "not trusted: " + error);
            }
            try (TestServer server = server(port, "sbagliata", pem.toString())) {
                assertEquals(200, signUp(server, "sara@example.org").statusCode());
                String error = lastError(server);
                assertTrue(error.contains("Authentication") || error.contains("535"), "wrong password: " + error);
            }
            assertEquals(1, mail.getReceivedMessages().length, "only the trusted, authenticated one arrived");
        } finally {
            mail.stop();
        }
    }

    static TestServer server(String port, String password, String trust) {
        Map<String, String> s = new java.util.HashMap<>(Map.of("smtp.host", "127.0.0.1", "smtp.port", port,
                "smtp.security", "tls", "smtp.user", USER, "smtp.password", password, "smtp.trust.file", trust,
                "smtp.from", "Comune di Roccaverde <avvisi@comune.roccaverde.example>", "notify.rate.per.minute", "0"));
        return TestServer.start(new MutableClock(Instant.parse("2026-12-07T08:00:00Z")), true, s);
    }

    /** The error recorded on the confirmation row once its first attempt failed. */
    static String lastError(TestServer server) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            String e = server.app().database().read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery(
                        "SELECT last_error FROM notify_outbox WHERE purpose = 'confirm' AND last_error IS NOT NULL")) {
                    return rs.next() ? rs.getString(1) : null;
                }
            });
            if (e != null) return e;
            sleep(100);
        }
        throw new AssertionError("the mail neither failed nor went");
    }
}
