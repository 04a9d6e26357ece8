package it.semaforo.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The codes that stand in for a lost phone: ten, single-use, shown once. Each has 80 random
 * bits, so a plain SHA-256 of it is as safe to store as a bcrypt hash of a password (nobody
 * can try 2^80 candidates) and checking one costs nothing. Letters and digits that are easily
 * confused (0/o, 1/l/i) are left out.
 */
public final class RecoveryCodes {
    public static final int COUNT = 10;
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";   // 31 symbols
    private static final int LENGTH = 16;   // 16 * log2(31) > 79 bits
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    /** Ten new codes, as shown: four groups of four, "abcd-efgh-jkmn-pqrs". */
    public static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < LENGTH; j++) {
                if (j > 0 && j % 4 == 0) b.append('-');
                b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            codes.add(b.toString());
        }
        return codes;
    }

    /** A code as typed, in any case, with or without dashes and blanks; "" when it cannot be one. */
    public static String normalise(String typed) {
        if (typed == null) return "";
        String s = typed.toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "").strip();
        if (s.length() != LENGTH) return "";
        for (int i = 0; i < s.length(); i++) if (ALPHABET.indexOf(s.charAt(i)) < 0) return "";
        return s;
    }

    /** The stored form of a normalised code. */
    static String hash(String normalised) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("recovery:" + normalised).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
