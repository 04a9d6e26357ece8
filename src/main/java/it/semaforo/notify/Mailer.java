package it.semaforo.notify;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import java.io.UnsupportedEncodingException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Properties;

/**
 * Sends mail through the configured SMTP server with Eclipse Angus Mail, on one connection kept
 * open between messages. Says of each failure whether it is temporary (4xx, connection refused,
 * timeout: try again later) or permanent (5xx: the address does not take mail).
 */
public final class Mailer implements AutoCloseable {
    private final NotifySettings.Smtp smtp;
    private final Session session;
    /** Signs every message when DKIM is configured; null otherwise. */
    private final Dkim dkim;
    private Transport transport;
    /** The sender's addresses, parsed at the first message rather than at each. */
    private InternetAddress from;
    private Address[] replyTo;
    /** The last subject and its encoded form: the mails of one mailing share it (see subject()). */
    private String lastSubject, lastSubjectHeader;
    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss xx", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);
    private static final java.util.regex.Pattern BREAKS = java.util.regex.Pattern.compile("[\\r\\n\\u0085\\u2028\\u2029]+");

    public Mailer(NotifySettings.Smtp smtp) {
        this.smtp = smtp;
        pinStreamProvider();
        this.dkim = smtp.dkim() == null ? null : signer(smtp.dkim());
        Properties p = new Properties();
        String proto = smtp.security() == NotifySettings.Security.TLS ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", smtp.host());
        p.put("mail." + proto + ".port", String.valueOf(smtp.port()));
        p.put("mail." + proto + ".connectiontimeout", "10000");
        p.put("mail." + proto + ".timeout", "30000");
        p.put("mail." + proto + ".writetimeout", "30000");
        p.put("mail." + proto + ".auth", String.valueOf(!smtp.user().isEmpty()));
        if (smtp.security() == NotifySettings.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (smtp.security() != NotifySettings.Security.NONE) p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        // a private CA is trusted by configuration, never by turning verification off
        if (smtp.security() != NotifySettings.Security.NONE && smtp.trustFile() != null) {
            p.put("mail." + proto + ".ssl.socketFactory", trusting(smtp.trustFile()));
        }
        this.session = Session.getInstance(p);
    }

    /**
     * Jakarta Mail 2.1 looks up its stream provider with a ServiceLoader scan of the class path
     * each time it builds or writes a part (about ten times a mail), unless a system property
     * names the class: that scan was most of the sending thread's CPU in a large mailing
     * (bench/mail-cpu.sh, docs/performance.md). The property names what the scan finds anyway,
     * Angus Mail's provider, the one implementation here; an operator's own setting is kept.
     */
    static void pinStreamProvider() {
        String key = jakarta.mail.util.StreamProvider.class.getName();
        if (System.getProperty(key) == null) {
            System.setProperty(key, org.eclipse.angus.mail.util.MailStreamProvider.class.getName());
        }
    }

    /**
     * The DKIM signer for the configured domain, selector and key: relaxed header and simple body
     * canonicalisation, RSA-SHA256. The key is not looked up in DNS here: publishing it is the
     * operator's part, and a signer must not fail because DNS is slow.
     */
    static Dkim signer(NotifySettings.Dkim d) {
        try {
            return new Dkim(d.domain(), d.selector(), privateKey(d.keyFile()));
        } catch (Exception e) {
            throw new IllegalStateException("smtp.dkim: cannot sign with the key in " + d.keyFile() + ": " + e.getMessage(), e);
        }
    }

    /** An RSA private key, PKCS #8, in PEM ("BEGIN PRIVATE KEY") or DER. */
    static RSAPrivateKey privateKey(java.nio.file.Path file) throws java.io.IOException, java.security.GeneralSecurityException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new java.security.spec.InvalidKeySpecException("a PKCS #1 key: convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            String b64 = text.substring(text.indexOf("-----BEGIN PRIVATE KEY-----") + 27, text.indexOf("-----END PRIVATE KEY-----"));
            bytes = java.util.Base64.getMimeDecoder().decode(b64);
        }
        return (RSAPrivateKey) java.security.KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(bytes));
    }

    /** TLS sockets that trust exactly the certificates of a PEM file (verification stays on). */
    static javax.net.ssl.SSLSocketFactory trusting(java.nio.file.Path pem) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(pem)) {
            java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("trusted-" + i++, c);
            }
            if (i == 0) throw new IllegalStateException("no certificate in " + pem);
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("smtp.trust.file: cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    /** One message: both parts, the thread it belongs to, and where one click unsubscribes. */
    public record Mail(String to, String subject, String text, String html, String messageId, String threadId,
                       String listUnsubscribe, Instant date) {
    }

    /** Why a message did not go. */
    public static final class Failure extends Exception {
        private final boolean permanent;

        Failure(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }

    public synchronized void send(Mail mail) throws Failure {
        MimeMessage m;
        try {
            m = message(mail);
        } catch (MessagingException | UnsupportedEncodingException | IllegalArgumentException e) {
            throw new Failure("cannot build the message: " + e.getMessage(), true, e);
        }
        try {
            boolean reused = transport != null;
            try {
                deliver(m);
            } catch (MessagingException e) {
                // a connection kept open may have been closed by the server meanwhile: once more on a new one
                if (!reused || code(e) != 0) throw e;
                close();
                deliver(m);
            }
        } catch (MessagingException e) {
            int code = code(e);
            if (code < 500 || code >= 600) close();   // the connection may be broken: a new one next time
            throw new Failure(describe(e, code), code >= 500 && code < 600, e);
        }
    }

    /** Sends on the open connection, opening one first if needed (no NOOP round trip per message). */
    private void deliver(MimeMessage m) throws MessagingException {
        if (transport == null) {
            Transport t = session.getTransport();
            if (smtp.user().isEmpty()) t.connect();
            else t.connect(smtp.host(), smtp.port(), smtp.user(), smtp.password());
            transport = t;
        }
        transport.sendMessage(m, m.getAllRecipients());
    }

    /** The SMTP reply code in the exception or its chain, or 0 (connection refused, timeout, …). */
    static int code(MessagingException e) {
        for (Exception x = e; x != null; ) {
            if (x instanceof SMTPAddressFailedException a) return a.getReturnCode();
            if (x instanceof SMTPSendFailedException s) return s.getReturnCode();
            if (x instanceof org.eclipse.angus.mail.smtp.SMTPSenderFailedException s) return s.getReturnCode();
            if (x instanceof MessagingException me && me.getNextException() != null) x = me.getNextException();
            else break;
        }
        return 0;
    }

    private static String describe(MessagingException e, int code) {
        String what = code > 0 ? "SMTP " + code : e.getClass().getSimpleName();
        String msg = e.getMessage() == null ? "" : e.getMessage().replaceAll("[\\r\\n]+", " ").strip();
        if (e instanceof SendFailedException && e.getNextException() != null && e.getNextException().getMessage() != null) {
            msg = e.getNextException().getMessage().replaceAll("[\\r\\n]+", " ").strip();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        // the root cause says why a connection failed (an untrusted certificate, a refused port)
        if (root != e && root.getMessage() != null) msg += " (" + root.getClass().getSimpleName() + ": "
                + root.getMessage().replaceAll("[\\r\\n]+", " ").strip() + ")";
        return what + ": " + msg;
    }

    private MimeMessage message(Mail mail) throws MessagingException, UnsupportedEncodingException {
        String messageId = mail.messageId();
        Instant date = mail.date();
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);   // ours: the thread of an avviso is built on them
            }

            /** Signed as it is written to the server, after every header is final. */
            @Override
            public void writeTo(java.io.OutputStream os, String[] ignoreList) throws java.io.IOException, MessagingException {
                if (dkim == null) {
                    super.writeTo(os, ignoreList);
                    return;
                }
                java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
                super.writeTo(plain, ignoreList);
                try {
                    os.write(dkim.sign(plain.toByteArray(), date));
                } catch (java.security.GeneralSecurityException e) {
                    throw new MessagingException("DKIM: cannot sign: " + e.getMessage(), e);
                }
            }
        };
        if (from == null) {
            from = new InternetAddress(smtp.from(), true);
            replyTo = smtp.replyTo().isEmpty() ? null : new Address[]{new InternetAddress(smtp.replyTo(), true)};
        }
        m.setFrom(from);
        if (replyTo != null) m.setReplyTo(replyTo);
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        m.setHeader("Subject", subject(mail.subject()));
        m.setHeader("Date", date(mail.date()));
        if (mail.threadId() != null) {
            m.setHeader("In-Reply-To", mail.threadId());
            m.setHeader("References", mail.threadId());
        }
        if (mail.listUnsubscribe() != null) {
            m.setHeader("List-Unsubscribe", "<" + oneLine(mail.listUnsubscribe()) + ">");
            m.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        m.setHeader("Auto-Submitted", "auto-generated");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8", "plain");
        text.setHeader("Content-Transfer-Encoding", transferEncoding(mail.text()));
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        html.setHeader("Content-Transfer-Encoding", transferEncoding(mail.html()));
        MimeMultipart alternative = new MimeMultipart("alternative", text, html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    /** The Subject header's value (what MimeMessage.setSubject writes), encoded once for the mails that share it. */
    private String subject(String subject) throws UnsupportedEncodingException {
        if (!subject.equals(lastSubject)) {
            lastSubjectHeader = MimeUtility.fold(9, MimeUtility.encodeText(oneLine(subject), "UTF-8", null));
            lastSubject = subject;
        }
        return lastSubjectHeader;
    }

    /**
     * The transfer encoding Jakarta Mail would choose for a text part (7bit when every byte is
     * ASCII and no line passes 998 bytes, quoted-printable when ASCII bytes are the majority,
     * else base64), counted over the text's UTF-8 bytes in one pass. Left to Jakarta Mail, it
     * writes the part once through the charset encoder only to count them: a fifth of the
     * sending thread's CPU.
     */
    static String transferEncoding(String s) {
        int ascii = 0, nonAscii = 0, line = 0;
        boolean longLine = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int bytes = 1;
            if (c == '\r' || c == '\n') {
                line = 0;
                ascii++;
                continue;
            }
            if (c < 0x80) {
                if (c >= 0x7f || (c < 0x20 && c != '\t')) nonAscii++;
                else ascii++;
            } else {
                bytes = c < 0x800 ? 2 : Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)) ? 4 : 3;
                if (bytes == 4) i++;
                nonAscii += bytes;
            }
            line += bytes;
            if (line > 998) longLine = true;
        }
        if (nonAscii == 0) return longLine ? "quoted-printable" : "7bit";
        return ascii > nonAscii ? "quoted-printable" : "base64";
    }

    /**
     * RFC 5322's date-time, in UTC: "Mon, 7 Dec 2026 09:05:00 +0000", with one immutable format
     * (MimeMessage.setSentDate builds a date format for each message).
     */
    private static String date(Instant at) {
        return DATE.format(at);
    }

    /** No header value ever carries a line break (header injection). */
    static String oneLine(String s) {
        return BREAKS.matcher(s).replaceAll(" ").strip();
    }

    @Override
    public synchronized void close() {
        if (transport == null) return;
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // already gone
        }
        transport = null;
    }
}
