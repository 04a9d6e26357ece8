package it.semaforo.notify;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMTP server on loopback that answers RCPT TO by the local part: "bounce…" gets
 * 550 (permanent), "later…" gets 451 (temporary), anything else is accepted. GreenMail accepts
 * everything; the failure paths need a server that refuses.
 */
final class FakeSmtp implements AutoCloseable {
    private final ServerSocket socket;
    final List<String> accepted = new CopyOnWriteArrayList<>();
    volatile boolean refuseAllTemporarily;

    FakeSmtp() throws Exception {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "fake-smtp");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                session(s);
            } catch (Exception ignored) {
                // the client went away
            }
        }
    }

    private void session(Socket s) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        reply(out, "220 fake ESMTP");
        String rcpt = null;
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.toUpperCase();
            if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) reply(out, "250 fake");
            else if (cmd.startsWith("MAIL FROM")) reply(out, refuseAllTemporarily ? "421 try later" : "250 ok");
            else if (cmd.startsWith("RCPT TO")) {
                rcpt = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                if (rcpt.startsWith("bounce")) reply(out, "550 5.1.1 no such user");
                else if (rcpt.startsWith("later")) reply(out, "451 4.3.0 try again later");
                else reply(out, "250 ok");
            } else if (cmd.startsWith("DATA")) {
                reply(out, "354 go on");
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    // the message
                }
                accepted.add(rcpt);
                reply(out, "250 queued");
            } else if (cmd.startsWith("RSET") || cmd.startsWith("NOOP")) reply(out, "250 ok");
            else if (cmd.startsWith("QUIT")) {
                reply(out, "221 bye");
                return;
            } else reply(out, "502 unknown");
        }
    }

    private static void reply(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }
}
