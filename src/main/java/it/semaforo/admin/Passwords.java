package it.semaforo.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** bcrypt hashing and the password rules, shared by the forms and the create-admin command. */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 200;
    // Fragments that make a password guessable whatever surrounds them.
    private static final List<String> COMMON = List.of("password", "passw0rd", "123456", "654321", "qwerty", "azerty",
            "abc123", "abcdef", "iloveyou", "letmein", "welcome", "admin", "semaforo", "comune", "segreto",
            "cambiami", "changeme", "000000", "111111", "123123", "qwertz");

    private final int cost;
    // bcrypt reads at most 72 bytes: longer passwords are first hashed with SHA-512, not cut.
    private final BCrypt.Hasher hasher = BCrypt.with(BCrypt.Version.VERSION_2B,
            LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2B));
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(BCrypt.Version.VERSION_2B,
            LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2B));
    // checked against when the username does not exist, so that a wrong name takes as long as a
    // wrong password; made on first use, not at start-up (a bcrypt hash takes a quarter second)
    private volatile String decoy;

    public Passwords(int cost) {
        this.cost = cost;
    }

    public String hash(char[] password) {
        return hasher.hashToString(cost, password);
    }

    public boolean verify(char[] password, String hash) {
        if (password.length > MAX_LENGTH) return false;
        if (!usable(hash)) {
            verifyDecoy(password);   // an account without a password (single sign-on only) answers as slowly
            return false;
        }
        return verifyer.verify(password, hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** What the password column holds for an account that signs in only through the identity provider. */
    static final String NONE = "!nessuna-password";

    /** Whether a stored hash is a password at all (bcrypt), not the mark of an account without one. */
    static boolean usable(String hash) {
        return hash != null && hash.startsWith("$2");
    }

    /** Spends the time of a verification, for an unknown username. */
    public void verifyDecoy(char[] password) {
        String d = decoy;
        if (d == null) decoy = d = hash("decoy password that matches nothing".toCharArray());
        verify(password, d);
    }

    /** The message key and argument of the first rule the password breaks, if any. */
    public static Optional<Refusal> check(String password, String username) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) return Optional.of(new Refusal("admin.password.short", MIN_LENGTH));
        if (length > MAX_LENGTH) return Optional.of(new Refusal("admin.password.long", MAX_LENGTH));
        String lower = password.toLowerCase(Locale.ROOT);
        boolean common = COMMON.stream().anyMatch(lower::contains);
        boolean hasName = username != null && username.length() >= 3 && lower.contains(username.toLowerCase(Locale.ROOT));
        boolean fewSymbols = password.codePoints().distinct().count() < 6;
        if (common || hasName || fewSymbols) return Optional.of(new Refusal("admin.password.weak", 0));
        return Optional.empty();
    }

    public record Refusal(String key, int argument) {
    }
}
