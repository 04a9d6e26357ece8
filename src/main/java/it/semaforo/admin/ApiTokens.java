package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.audit.Actor;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tokens of the write API: 256 random bits, shown once; only their SHA-256 is stored. A token
 * acts as its user, for the kinds of write it was made for (its scopes), until it expires;
 * revoking it is final. Creation and revocation are audited.
 */
public final class ApiTokens {
    public static final int NAME_MAX = 100;
    /** A prefix that makes a leaked token easy to recognise (secret scanners, logs). */
    static final String PREFIX = "smf_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    public ApiTokens(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** Which kinds of write a token may make; the key is stored and named in the API's answers. */
    public enum Scope {
        CREATE("notices:create"), UPDATE("notices:update"), CLOSE("notices:close");

        private final String key;

        Scope(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The form's checkbox: scope_create, scope_update, scope_close. */
        public String field() {
            return "scope_" + name().toLowerCase(java.util.Locale.ROOT);
        }

        static Set<Scope> parse(String stored) {
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String k : stored.split(",")) {
                for (Scope s : values()) if (s.key.equals(k.strip())) scopes.add(s);
            }
            return scopes;
        }

        static String format(Set<Scope> scopes) {
            return scopes.stream().sorted().map(Scope::key).collect(java.util.stream.Collectors.joining(","));
        }
    }

    public record Token(long id, long userId, String name, Instant createdAt, Instant lastUsedAt, Instant revokedAt,
                        Set<Scope> scopes, Instant expiresAt) {
        public boolean active() {
            return revokedAt == null;
        }

        public boolean expiredAt(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }

        public boolean allows(Scope s) {
            return scopes.contains(s);
        }
    }

    /** A new token: secret is its only copy. */
    public record Created(Token token, String secret) {
    }

    public Created create(Actor actor, String name, Set<Scope> scopes, Instant expiresAt) {
        if (scopes.isEmpty()) throw new IllegalArgumentException("a token with no scope");
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return db.write(c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_token(user_id, name, token_hash, created_at, scopes, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                    Jdbc.keys())) {
                ps.setLong(1, actor.userId());
                ps.setString(2, name);
                ps.setString(3, hash(secret));
                ps.setLong(4, clock.millis());
                ps.setString(5, Scope.format(scopes));
                ps.setLong(6, expiresAt.toEpochMilli());
                id = Jdbc.insert(ps);
            }
            Token t = find(c, id).orElseThrow();
            audit.record(c, actor, "token.create", "token", id, name, null, snapshot(t));
            return new Created(t, secret);
        });
    }

    /** A user's tokens, newest first. */
    public List<Token> of(long userId) {
        return db.read(c -> list(c, "WHERE user_id = ? ORDER BY id DESC", userId));
    }

    /** Revokes one of the actor's own tokens. */
    public void revoke(Actor actor, long id, String alreadyRevoked, String missing) {
        db.write(c -> {
            Token before = find(c, id).filter(t -> t.userId() == actor.userId()).orElseThrow(() -> new AdminProblem(404, missing));
            if (!before.active()) throw new AdminProblem(409, alreadyRevoked);
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_token SET revoked_at = ? WHERE id = ?")) {
                ps.setLong(1, clock.millis());
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            audit.record(c, actor, "token.revoke", "token", id, before.name(), snapshot(before), snapshot(find(c, id).orElseThrow()));
            return null;
        });
    }

    /**
     * The token a secret belongs to, unless unknown or revoked (an expired one is returned, for
     * the caller to say so); the last use of a live one is noted.
     */
    public Optional<Token> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) return Optional.empty();
        String h = hash(secret);
        Optional<Token> t = db.read(c -> list(c, "WHERE token_hash = ? AND revoked_at IS NULL", h).stream().findFirst());
        t.filter(token -> !token.expiredAt(clock.instant())).ifPresent(token -> db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE id = ?")) {
                ps.setLong(1, clock.millis());
                ps.setLong(2, token.id());
                ps.executeUpdate();
            }
            AccessReview.active(c, token.userId(), clock.instant());
            return null;
        }));
        return t;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Token> find(Connection c, long id) throws SQLException {
        return list(c, "WHERE id = ?", id).stream().findFirst();
    }

    private static List<Token> list(Connection c, String tail, Object... args) throws SQLException {
        List<Token> tokens = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, user_id, name, created_at, last_used_at, revoked_at, scopes, expires_at FROM api_token " + tail)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tokens.add(new Token(rs.getLong("id"), rs.getLong("user_id"), rs.getString("name"),
                            Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_used_at"), Jdbc.instant(rs, "revoked_at"),
                            Scope.parse(rs.getString("scopes")), Jdbc.instant(rs, "expires_at")));
                }
            }
        }
        return tokens;
    }

    /** What the audit log keeps of a token: never its hash. */
    private static Map<String, Object> snapshot(Token t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("userId", t.userId());
        m.put("name", t.name());
        m.put("createdAt", t.createdAt());
        m.put("revokedAt", t.revokedAt());
        m.put("scopes", Scope.format(t.scopes()));
        m.put("expiresAt", t.expiresAt());
        return m;
    }
}
