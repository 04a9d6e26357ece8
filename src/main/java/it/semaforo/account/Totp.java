package it.semaforo.account;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Time-based one-time codes (RFC 6238) as every authenticator app reads them: SHA-1, six
 * digits, 30-second steps, a 160-bit secret. The library computes the codes and draws the QR
 * code; which step a code belongs to is decided here, because a code must never be accepted
 * twice and the library's verifier does not say which step matched.
 */
public final class Totp {
    public static final int PERIOD_SECONDS = 30;
    public static final int DIGITS = 6;
    /** 32 base32 characters: 160 bits, the size RFC 4226 recommends for HMAC-SHA-1. */
    private static final int SECRET_CHARACTERS = 32;

    private final DefaultSecretGenerator secrets = new DefaultSecretGenerator(SECRET_CHARACTERS);
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

    public String newSecret() {
        return secrets.generate();
    }

    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), PERIOD_SECONDS);
    }

    /**
     * The step of a typed code: the current one or its neighbours (a phone's clock a little off,
     * a code typed as it changed), never one at or before lastStep, which was used already.
     */
    public OptionalLong match(String secret, String typed, Instant now, long lastStep) {
        String code = digits(typed);
        if (code.length() != DIGITS) return OptionalLong.empty();
        long current = step(now);
        for (long s = Math.max(current - 1, lastStep + 1); s <= current + 1; s++) {
            try {
                String expected = codes.generate(secret, s);
                if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII))) {
                    return OptionalLong.of(s);
                }
            } catch (CodeGenerationException e) {
                throw new IllegalStateException("a stored TOTP secret is not base32", e);
            }
        }
        return OptionalLong.empty();
    }

    /** What an app shows as "123 456" or a clerk types with blanks: the digits alone, else "". */
    static String digits(String typed) {
        if (typed == null) return "";
        String s = typed.replace(" ", "").replace("-", "").strip();
        return s.matches("[0-9]{1,12}") ? s : "";
    }

    /** Whether something typed looks like a TOTP code (six digits) rather than a recovery code. */
    public static boolean looksLikeCode(String typed) {
        return digits(typed).length() == DIGITS;
    }

    /** The enrolment as an otpauth:// QR code, a PNG in a data: address (the clerks' CSP allows data: images). */
    public String qrCode(String secret, String account, String issuer) {
        QrData data = new QrData.Builder().label(account).secret(secret).issuer(issuer)
                .algorithm(HashingAlgorithm.SHA1).digits(DIGITS).period(PERIOD_SECONDS).build();
        ZxingPngQrGenerator png = new ZxingPngQrGenerator();
        png.setImageSize(240);
        try {
            return Utils.getDataUriForImage(png.generate(data), png.getImageMimeType());
        } catch (QrGenerationException e) {
            throw new IllegalStateException("QR code not drawn", e);
        }
    }

    /** The secret in groups of four, for typing it into an app by hand. */
    public static String grouped(String secret) {
        return secret.replaceAll("(.{4})(?!$)", "$1 ");
    }
}
