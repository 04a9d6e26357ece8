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
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.simplejavamail.utils.mail.dkim.SigningAlgorithm;

import java.io.UnsupportedEncodingException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Date;
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
    private final DkimSigner dkim;
    private Transport transport;

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
     * canonicalisation, RSA-SHA256. The key is not looked up in DNS here (setCheckDomainKey(false)):
     * publishing it is the operator's part, and a signer must not fail because DNS is slow.
     */
    static DkimSigner signer(NotifySettings.Dkim d) {
        try {
            DkimSigner signer = new DkimSigner(d.domain(), d.selector(), privateKey(d.keyFile()));
            signer.setHeaderCanonicalization(Canonicalization.RELAXED);
            signer.setBodyCanonicalization(Canonicalization.SIMPLE);
            signer.setSigningAlgorithm(SigningAlgorithm.SHA256_WITH_RSA);
            signer.setCheckDomainKey(false);
            return signer;
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
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);   // ours: the thread of an avviso is built on them
            }
        };
        m.setFrom(new InternetAddress(smtp.from(), true));
        if (!smtp.replyTo().isEmpty()) m.setReplyTo(new Address[]{new InternetAddress(smtp.replyTo(), true)});
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        m.setSubject(oneLine(mail.subject()), "UTF-8");
        m.setSentDate(Date.from(mail.date()));
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
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative", text, html);
        m.setContent(alternative);
        m.saveChanges();
        // signed as it is written to the server, after every header is final
        return dkim == null ? m : new DkimMessage(m, dkim);
    }

    /** No header value ever carries a line break (header injection). */
    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\u0085\\u2028\\u2029]+", " ").strip();
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
