package it.semaforo.rating;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * One answer per page and visitor a day, without keeping who the visitor is: the client address
 * and the page go through HMAC-SHA256 with a random key that never leaves this process's memory,
 * and only that digest is remembered, in memory, for a day. Neither the address nor the digest
 * is ever written to disk; after a restart the key is new and nothing links old digests to anyone.
 */
final class OncePerVisitor {
    private static final Duration WINDOW = Duration.ofDays(1);

    private final byte[] key = new byte[32];
    private final Cache<String, Boolean> seen;

    OncePerVisitor(int maxRemembered) {
        new SecureRandom().nextBytes(key);
        seen = Caffeine.newBuilder().expireAfterWrite(WINDOW).maximumSize(maxRemembered).build();
    }

    /** True the first time this address rates this page in the window. */
    boolean first(String address, String page) {
        return seen.asMap().putIfAbsent(digest(address + "\n" + page), Boolean.TRUE) == null;
    }

    private String digest(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
