package it.semaforo.notify;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.text.JsonText;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real SMTP server with STARTTLS, in its own process on loopback: Debian's python3-aiosmtpd
 * running src/test/resources/smtp/aiosmtpd-server.py (GreenMail has no STARTTLS for SMTP).
 * With a certificate it offers and requires STARTTLS (and AUTH only after it); without one it
 * offers no STARTTLS. Each message accepted is recorded with the TLS protocol of its session.
 * Without python3-aiosmtpd it fails and says what to install (./test installs it).
 */
final class Aiosmtpd implements AutoCloseable {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/resources/smtp/aiosmtpd-server.py");

    /** One message as the server accepted it: envelope, TLS protocol (null in clear), login, bytes. */
    record Received(String from, List<String> to, String tls, String cipher, String login, byte[] data) {
        MimeMessage message() {
            try {
                return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private final Process process;
    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private Aiosmtpd(List<String> args) throws IOException {
        assertTrue(Files.isExecutable(PYTHON), "no " + PYTHON + ": apt-get install python3-aiosmtpd (./test does)");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null || !first.startsWith("PORT ")) {
            process.destroy();
            throw new AssertionError("aiosmtpd did not start (" + first + "): apt-get install python3-aiosmtpd (./test does)");
        }
        port = Integer.parseInt(first.substring(5).strip());
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) received.add(parse(line));
            } catch (IOException ended) {
                // the process is gone
            }
        }, "aiosmtpd-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Offers and requires STARTTLS with this certificate and key (PEM), and AUTH after it for this user. */
    static Aiosmtpd starttls(Path cert, Path key, String user, String password) throws IOException {
        return new Aiosmtpd(List.of("--cert", cert.toString(), "--key", key.toString(), "--user", user, "--password", password));
    }

    /** Offers no STARTTLS, and no AUTH. */
    static Aiosmtpd plain() throws IOException {
        return new Aiosmtpd(List.of());
    }

    int port() {
        return port;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The messages accepted so far, waiting up to 15 s for at least count. */
    List<Received> await(int count) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (received.size() < count && System.nanoTime() < end) MailTesting.sleep(50);
        assertTrue(received.size() >= count, "expected at least " + count + " mails, got " + received.size());
        return received();
    }

    private static Received parse(String line) {
        try {
            JsonNode n = JsonText.MAPPER.readTree(line);
            List<String> to = new ArrayList<>();
            n.path("to").forEach(t -> to.add(t.asText()));
            return new Received(n.path("from").asText(), to, n.path("tls").isNull() ? null : n.path("tls").asText(),
                    n.path("cipher").isNull() ? null : n.path("cipher").asText(),
                    n.path("login").isNull() ? null : n.path("login").asText(),
                    Base64.getDecoder().decode(n.path("data").asText()));
        } catch (IOException e) {
            throw new IllegalStateException("aiosmtpd wrote " + line, e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();   // its standard input closes: it stops
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
