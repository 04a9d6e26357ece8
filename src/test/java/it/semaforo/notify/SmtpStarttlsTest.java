package it.semaforo.notify;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * smtp.security=starttls against a real server that speaks it: Debian's python3-aiosmtpd on
 * loopback (Aiosmtpd), with a certificate made for the test (for 127.0.0.1) trusted through
 * smtp.trust.file, STARTTLS required by the server and AUTH offered only after it. The mail
 * arrives on a session the server saw upgraded to TLS, authenticated; against a server that
 * does not offer STARTTLS the send fails (retried later, the reason recorded) and nothing goes
 * in clear, while the same server takes the mail with smtp.security=none.
 */
class SmtpStarttlsTest {
    static final String USER = "avvisi";
    static final String PASSWORD = "una-password-lunga-per-smtp";

    @TempDir
    static Path dir;

    @Test
    void starttlsUpgradesTheConnectionAndNeverFallsBackToClearText() throws Exception {
        SelfSigned certificate = SelfSigned.forLocalhost(dir);
        Path keystore = certificate.keystore();
        Path cert = certificate.pem();
        Path key = dir.resolve("smtp-key.pem");
        writePrivateKey(keystore, key);

        try (Aiosmtpd smtp = Aiosmtpd.starttls(cert, key, USER, PASSWORD)) {
            try (TestServer server = server(smtp.port(), "starttls", cert.toString())) {
                assertEquals(200, signUp(server, "maria@example.org").statusCode());
                Aiosmtpd.Received got = smtp.await(1).get(0);
                assertEquals(List.of("maria@example.org"), got.to());
                assertNotNull(got.tls(), "the session was upgraded to TLS before the mail");
                assertTrue(got.tls().startsWith("TLSv1."), got.tls());
                assertEquals(USER, got.login(), "authenticated, after STARTTLS (the server offers AUTH only then)");
                MimeMessage m = got.message();
                assertEquals("maria@example.org", to(m));
                assertTrue(part(m, "text/plain").contains("/iscrizione/conferma?t="), "the confirmation mail, whole");
            }
            try (TestServer server = server(smtp.port(), "starttls", "")) {
                assertEquals(200, signUp(server, "luca@example.org").statusCode());
                String error = SmtpTlsTest.lastError(server);
                assertTrue(error.contains("PKIX") || error.contains("certif"), "an untrusted certificate refused: " + error);
            }
            assertEquals(1, smtp.received().size(), "only the trusted one arrived");
        }

        try (Aiosmtpd clear = Aiosmtpd.plain()) {
            try (TestServer server = server(clear.port(), "starttls", cert.toString())) {
                assertEquals(200, signUp(server, "sara@example.org").statusCode());
                String error = SmtpTlsTest.lastError(server);
                assertTrue(error.contains("STARTTLS"), "no STARTTLS offered, so nothing sent: " + error);
                String state = server.app().database().read(c -> {
                    try (var st = c.createStatement(); var rs = st.executeQuery(
                            "SELECT state FROM notify_outbox WHERE purpose = 'confirm'")) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                });
                assertEquals("pending", state, "a temporary failure: retried later, as a server that is down");
                sleep(1_000);
                assertEquals(0, clear.received().size(), "nothing went in clear");
            }
            // the same server takes mail when clear text is what the operator configured: the
            // refusal above is the STARTTLS requirement, not a server that takes nothing
            try (TestServer server = server(clear.port(), "none", "")) {
                assertEquals(200, signUp(server, "sara@example.org").statusCode());
                Aiosmtpd.Received got = clear.await(1).get(0);
                assertEquals(List.of("sara@example.org"), got.to());
                assertNull(got.tls());
            }
        }
    }

    static TestServer server(int port, String security, String trust) {
        Map<String, String> s = new HashMap<>(Map.of("smtp.host", "127.0.0.1", "smtp.port", String.valueOf(port),
                "smtp.security", security, "smtp.trust.file", trust,
                "smtp.from", "Comune di Roccaverde <avvisi@comune.roccaverde.example>", "notify.rate.per.minute", "0"));
        if (!"none".equals(security)) {
            s.put("smtp.user", USER);
            s.put("smtp.password", PASSWORD);
        }
        return TestServer.start(new MutableClock(Instant.parse("2026-12-07T08:00:00Z")), true, s);
    }

    /** The keystore's private key as PKCS #8 PEM, which Python's ssl module reads. */
    static void writePrivateKey(Path keystore, Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, SelfSigned.PASSWORD.toCharArray());
        }
        PrivateKey k = (PrivateKey) ks.getKey("smtp", SelfSigned.PASSWORD.toCharArray());
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }
}
