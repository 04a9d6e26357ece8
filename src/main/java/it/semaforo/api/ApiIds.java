package it.semaforo.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 12-character [0-9a-z] ids of the Statuspage v2 API, derived from our numeric ids so that
 * they never change: one letter for the type, then the number in base 36, zero-padded to 11
 * digits. A component for service 7 is "c00000000007", its group 2 is "g00000000002".
 * Clients store these ids, so the scheme is part of the public contract (README).
 */
public final class ApiIds {
    private static final int DIGITS = 11;

    private ApiIds() {
    }

    public static String group(long id) {
        return of('g', id);
    }

    public static String component(long serviceId) {
        return of('c', serviceId);
    }

    public static String incident(long noticeId) {
        return of('i', noticeId);
    }

    public static String maintenance(long noticeId) {
        return of('m', noticeId);
    }

    /** A numbered update of an avviso. */
    public static String update(long updateId) {
        return of('u', updateId);
    }

    /** The first report of an avviso: its publication. */
    public static String publication(long noticeId) {
        return of('a', noticeId);
    }

    /** The report written for us when a maintenance window opens. */
    public static String windowStart(long noticeId) {
        return of('s', noticeId);
    }

    /** The report written for us when an avviso ends by itself (expiry, end of the window). */
    public static String end(long noticeId) {
        return of('e', noticeId);
    }

    /** The page: "p" and 11 base-36 digits of a digest of the public address, stable per site. */
    public static String page(String baseUrl) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(baseUrl.getBytes(StandardCharsets.UTF_8));
            String b36 = "0".repeat(DIGITS) + new BigInteger(1, digest).toString(36);
            return "p" + b36.substring(b36.length() - DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String of(char prefix, long id) {
        String digits = Long.toString(id, 36);
        if (id < 0 || digits.length() > DIGITS) throw new IllegalArgumentException("id out of range: " + id);
        return prefix + "0".repeat(DIGITS - digits.length()) + digits;
    }
}
