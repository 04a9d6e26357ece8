package it.semaforo.notify;

import it.semaforo.db.Database;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The secrets of subscriptions. Confirmation tokens are 256 random bits of which only the
 * SHA-256 is stored. Manage links and the sign-up form's token are signed (HMAC-SHA256) with
 * a key made once and kept in the database, so nothing of them is stored.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key;

    private Tokens(byte[] key) {
        this.key = key;
    }

    /** The key from the database, made at the first start. */
    public static Tokens load(Database db) {
        byte[] key = db.write(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT key FROM notify_secret WHERE id = 1")) {
                if (rs.next()) return rs.getBytes(1);
            }
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            try (var ps = c.prepareStatement("INSERT INTO notify_secret(id, key) VALUES (1, ?)")) {
                ps.setBytes(1, fresh);
                ps.executeUpdate();
            }
            return fresh;
        });
        return new Tokens(key);
    }

    /** 256 random bits, URL-safe. */
    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(String purpose, String value) {
        return B64.encodeToString(hmac(key, purpose + "\n" + value));
    }

    static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The manage (and unsubscribe) token of a subscriber: its id, signed with its address. */
    public String manageToken(long subscriberId, String email) {
        return subscriberId + "." + sign("manage", subscriberId + "\n" + email.toLowerCase(java.util.Locale.ROOT));
    }

    /** The subscriber id a manage token names, not yet checked against its address (see {@link #checkManage}). */
    public static Optional<Long> manageId(String token) {
        if (token == null || token.length() > 80) return Optional.empty();
        int dot = token.indexOf('.');
        if (dot < 1 || dot > 18) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(token.substring(0, dot)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean checkManage(String token, long subscriberId, String email) {
        return same(token, manageToken(subscriberId, email));
    }

    /** A token for the sign-up form: when it was issued, signed. Valid for validity. */
    public String formToken(Instant now) {
        String t = Long.toString(now.getEpochSecond());
        return t + "." + sign("form", t);
    }

    public boolean checkForm(String token, Instant now, Duration validity) {
        if (token == null || token.length() > 80) return false;
        int dot = token.indexOf('.');
        if (dot < 1) return false;
        String t = token.substring(0, dot);
        if (!same(token.substring(dot + 1), sign("form", t))) return false;
        try {
            Instant issued = Instant.ofEpochSecond(Long.parseLong(t));
            return !issued.isAfter(now.plusSeconds(60)) && issued.plus(validity).isAfter(now);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
