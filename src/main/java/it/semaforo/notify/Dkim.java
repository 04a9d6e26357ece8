package it.semaforo.notify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * DKIM signing (RFC 6376) of a message as it goes to the SMTP server: rsa-sha256, relaxed header
 * and simple body canonicalisation, with the JDK's own Signature. Written here rather than taken
 * from a library: the one we used needed Bouncy Castle in the jar (6,500 entries, whose zip
 * directory the JVM keeps on the heap) for its Ed25519 keys, which we do not offer.
 * DkimSigningTest checks a received mail against the public key with a verifier of its own and with dkimpy.
 */
final class Dkim {
    /** The fields signed when present (From always is), in this order. */
    private static final List<String> SIGNED = List.of("from", "reply-to", "to", "cc", "subject", "date", "message-id",
            "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "list-unsubscribe", "list-unsubscribe-post", "auto-submitted");
    private static final byte[] CRLF = {'\r', '\n'};

    private final String domain;
    private final String selector;
    private final PrivateKey key;

    /** Fails at once, at start, if the JDK cannot sign with the key. */
    Dkim(String domain, String selector, PrivateKey key) throws GeneralSecurityException {
        this.domain = domain;
        this.selector = selector;
        this.key = key;
        Signature.getInstance("SHA256withRSA").initSign(key);
    }

    /**
     * The message as it is sent: its lines ended by CRLF (as the SMTP transport would send them
     * anyway), preceded by its DKIM-Signature field.
     */
    byte[] sign(byte[] message, Instant now) throws GeneralSecurityException {
        byte[] crlf = crlf(message);
        String text = new String(crlf, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String headers = split < 0 ? text : text.substring(0, split + 2);
        String body = split < 0 ? "" : text.substring(split + 4);
        // simple body canonicalisation: trailing empty lines reduced to one CRLF
        int end = body.length();
        while (end >= 2 && body.startsWith("\r\n", end - 2)) end -= 2;
        byte[] canonicalBody = (body.substring(0, end) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String bh = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(canonicalBody));

        List<String> fields = fields(headers);
        List<String> names = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        for (String name : SIGNED) {
            String field = last(fields, name);
            if (field == null) continue;
            names.add(name);
            data.append(relaxed(field)).append("\r\n");
        }
        String unsigned = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=" + domain + "; s=" + selector
                + ";\r\n\tt=" + now.getEpochSecond() + "; h=" + String.join(":", names) + ";\r\n\tbh=" + bh + ";\r\n\tb=";
        data.append(relaxed(unsigned));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(data.toString().getBytes(StandardCharsets.ISO_8859_1));
        String b = Base64.getEncoder().encodeToString(rsa.sign());
        StringBuilder field = new StringBuilder(unsigned);
        for (int i = 0; i < b.length(); i += 72) {   // folded: white space inside b= is ignored by verifiers
            if (i > 0) field.append("\r\n\t");
            field.append(b, i, Math.min(b.length(), i + 72));
        }
        field.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(crlf.length + field.length());
        out.writeBytes(field.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(crlf);
        return out.toByteArray();
    }

    /** Every line ended by CRLF, a lone CR or LF included (what the SMTP transport's stream does). */
    static byte[] crlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
        for (int i = 0; i < in.length; i++) {
            byte c = in[i];
            if (c == '\r') {
                out.writeBytes(CRLF);
                if (i + 1 < in.length && in[i + 1] == '\n') i++;
            } else if (c == '\n') {
                out.writeBytes(CRLF);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** The header section as whole fields, continuation lines kept with their CRLF. */
    static List<String> fields(String headers) {
        List<String> fields = new ArrayList<>();
        for (String line : headers.split("\r\n")) {
            if (line.isEmpty()) continue;
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return fields;
    }

    /** The bottom-most field of that name (RFC 6376 5.4.2), or null. */
    private static String last(List<String> fields, String name) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            String f = fields.get(i);
            int colon = f.indexOf(':');
            if (colon > 0 && f.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) return f;
        }
        return null;
    }

    /** RFC 6376 3.4.2: name in lower case, value unfolded, runs of white space as one space, none at its ends. */
    static String relaxed(String field) {
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
        return name + ":" + value;
    }
}
