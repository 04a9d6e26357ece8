package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DKIM (smtp.dkim.*): the mail GreenMail receives carries a DKIM-Signature whose d=, s= and h=
 * are what the configuration says, whose body hash is recomputed here from the received bytes
 * (RFC 6376 simple body canonicalisation), and whose signature verifies with the public key
 * over the headers canonicalised here (relaxed), and that dkimpy, a receiver's library, passes it.
 */
class DkimSigningTest {
    @TempDir
    static Path dir;

    @Test
    void theReceivedMailCarriesASignatureThatVerifiesWithThePublicKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        Path key = dir.resolve("dkim.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        GreenMail mail = MailTesting.smtp();
        try (TestServer server = TestServer.start(new MutableClock(Instant.parse("2026-12-07T08:00:00Z")), true,
                MailTesting.settings(mail, "notify.rate.per.minute", "0", "smtp.dkim.domain", "comune.roccaverde.example",
                        "smtp.dkim.selector", "semaforo2026", "smtp.dkim.key.file", key.toString()))) {
            assertEquals(200, signUp(server, "maria@example.org").statusCode());
            MimeMessage m = await(mail, 1).get(0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            String raw = out.toString(StandardCharsets.ISO_8859_1);
            int split = raw.indexOf("\r\n\r\n");
            List<String> fields = fields(raw.substring(0, split + 2));
            String body = raw.substring(split + 4);

            String signature = fields.stream().filter(f -> f.toLowerCase(Locale.ROOT).startsWith("dkim-signature:")).findFirst()
                    .orElseThrow(() -> new AssertionError("no DKIM-Signature in:\n" + raw.substring(0, split)));
            Map<String, String> tags = tags(signature.substring(signature.indexOf(':') + 1));
            assertEquals("1", tags.get("v"));
            assertEquals("rsa-sha256", tags.get("a"));
            assertEquals("comune.roccaverde.example", tags.get("d"));
            assertEquals("semaforo2026", tags.get("s"));
            assertEquals("relaxed/simple", tags.get("c"));
            List<String> signed = List.of(tags.get("h").toLowerCase(Locale.ROOT).split(":"));
            for (String h : List.of("from", "to", "subject", "date", "message-id")) assertTrue(signed.contains(h), h + " signed: " + signed);
            assertTrue(header(m, "Message-ID").startsWith("<semaforo."), "our Message-ID kept: " + header(m, "Message-ID"));

            // bh=: the body, simple canonicalisation (trailing empty lines reduced to one CRLF), SHA-256
            String canonicalBody = body.replaceAll("(\r\n)+$", "") + "\r\n";
            String bh = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(canonicalBody.getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals(bh, tags.get("bh"), "the body hash recomputed from the received bytes");

            // b=: the signed headers (bottom-most instance first), relaxed, then the signature field with b= empty
            StringBuilder data = new StringBuilder();
            List<String> pool = new ArrayList<>(fields);
            for (String name : signed) {
                for (int i = pool.size() - 1; i >= 0; i--) {
                    String f = pool.get(i);
                    if (f.substring(0, f.indexOf(':')).strip().equalsIgnoreCase(name)) {
                        data.append(relaxed(f)).append("\r\n");
                        pool.remove(i);
                        break;
                    }
                }
            }
            data.append(relaxed(withoutB(signature)));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(keys.getPublic());
            rsa.update(data.toString().getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(rsa.verify(Base64.getDecoder().decode(tags.get("b"))), "the signature verifies with the public key:\n" + data);
            Signature other = Signature.getInstance("SHA256withRSA");
            other.initVerify(g.generateKeyPair().getPublic());
            other.update(data.toString().getBytes(StandardCharsets.ISO_8859_1));
            assertFalse(other.verify(Base64.getDecoder().decode(tags.get("b"))), "another key does not verify it");

            // and as a receiver's own library reads it: dkimpy (Debian's python3-dkim, as mail servers use it),
            // the public key handed to it as the DNS record it would look up
            Path received = dir.resolve("received.eml");
            Files.write(received, out.toByteArray());
            String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
            Process dkimpy = new ProcessBuilder("/usr/bin/python3", "-c", """
                    import sys, dkim
                    record = sys.argv[2].encode()
                    ok = dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=lambda name, timeout=5: record)
                    print('pass' if ok else 'fail')
                    sys.exit(0 if ok else 1)
                    """, received.toString(), record).redirectErrorStream(true).start();
            String said = new String(dkimpy.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, dkimpy.waitFor(), "dkimpy: " + said);
            assertEquals("pass", said);
        } finally {
            mail.stop();
        }
    }

    /** The header section as whole fields, continuation lines kept (with their CRLF). */
    static List<String> fields(String headers) {
        List<String> fields = new ArrayList<>();
        for (String line : headers.split("\r\n")) {
            if (line.isEmpty()) continue;
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return fields;
    }

    /** RFC 6376 3.4.2: lower-case name, unfolded, runs of white space as one space, none at the end or around the colon. */
    static String relaxed(String field) {
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
        return name + ":" + value;
    }

    /** The tags of a DKIM-Signature value, white space removed from each value. */
    static Map<String, String> tags(String value) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) continue;
            tags.put(part.substring(0, eq).strip(), part.substring(eq + 1).replaceAll("\\s+", ""));
        }
        return tags;
    }

    /** The signature field with the value of its b= tag deleted (RFC 6376 3.7), the rest as written. */
    static String withoutB(String field) {
        int colon = field.indexOf(':');
        String[] parts = field.substring(colon + 1).split(";", -1);
        for (int i = 0; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq >= 0 && parts[i].substring(0, eq).strip().equals("b")) parts[i] = parts[i].substring(0, eq + 1);
        }
        return field.substring(0, colon + 1) + String.join(";", parts);
    }
}
