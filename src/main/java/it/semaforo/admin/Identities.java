package it.semaforo.admin;

import it.semaforo.audit.Actor;
import it.semaforo.audit.AuditLog;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The identity provider's accounts bound to ours, and administrators' invitations. An identity
 * signs in as the account bound to it; a first sign-in makes the account, with the role of an
 * open invitation for its verified e-mail address, or the role the configured claim gives;
 * otherwise it is refused. Every account made or changed here is in the audit log.
 */
public final class Identities {
    static final Duration INVITATION_VALID = Duration.ofDays(14);

    private final Database db;
    private final Clock clock;
    private final Accounts accounts;
    private final AuditLog audit;
    private final AdminSettings.Sso settings;

    Identities(Database db, Clock clock, Accounts accounts, AuditLog audit, AdminSettings.Sso settings) {
        this.db = db;
        this.clock = clock;
        this.accounts = accounts;
        this.audit = audit;
        this.settings = settings;
    }

    /** Why an identity may not sign in: a message key. */
    static final class Refused extends Exception {
        final String key;

        Refused(String key) {
            super(key, null, false, false);
            this.key = key;
        }
    }

    public record Invitation(long id, String email, String displayName, Role role, Instant createdAt, Instant expiresAt) {
    }

    /** The role the provider's claims give, or null. */
    Role roleFromClaims(SingleSignOn.Identity id) {
        if (id.roleValues().stream().anyMatch(settings.administratorValues()::contains)) return Role.ADMINISTRATOR;
        if (id.roleValues().stream().anyMatch(settings.editorValues()::contains)) return Role.EDITOR;
        int at = id.email().lastIndexOf('@');
        if (id.emailVerified() && at > 0 && settings.editorDomains().contains(id.email().substring(at + 1))) return Role.EDITOR;
        return null;
    }

    /** The account this identity signs in as, made at its first sign-in; refused when it has no role here. */
    User signIn(SingleSignOn.Identity id, String address) throws Refused {
        Role claimed = roleFromClaims(id);
        Actor actor = new Actor(null, "accesso-unico", "Accesso unico (OpenID Connect)", address);
        Object result = db.write(c -> {
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, via FROM oidc_identity WHERE issuer = ? AND subject = ?")) {
                ps.setString(1, id.issuer());
                ps.setString(2, id.subject());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return known(c, actor, accounts.find(c, rs.getLong(1)).orElseThrow(), rs.getString(2), claimed);
                }
            }
            Optional<Invitation> invitation = id.emailVerified() ? openInvitation(c, id.email(), now) : Optional.empty();
            if (invitation.isEmpty() && claimed == null) return new Refused("admin.sso.error.not.enabled");
            Role role = invitation.map(Invitation::role).orElse(claimed);
            String name = invitation.map(Invitation::displayName).orElse(id.name().isEmpty() ? id.email() : id.name());
            if (name.isEmpty()) name = id.subject();
            if (name.length() > UserDesk.DISPLAY_NAME_MAX) name = name.substring(0, UserDesk.DISPLAY_NAME_MAX);
            String username = freeUsername(c, id);
            long userId = accounts.create(c, username, name, role, Passwords.NONE);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO oidc_identity(issuer, subject, user_id, email, via, bound_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id.issuer());
                ps.setString(2, id.subject());
                ps.setLong(3, userId);
                ps.setString(4, id.email());
                ps.setString(5, invitation.isPresent() ? "invito" : "attributo");
                ps.setLong(6, now.toEpochMilli());
                ps.executeUpdate();
            }
            if (invitation.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE oidc_invitation SET used_at = ?, user_id = ? WHERE id = ?")) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setLong(2, userId);
                    ps.setLong(3, invitation.get().id());
                    ps.executeUpdate();
                }
            }
            User made = accounts.find(c, userId).orElseThrow();
            Map<String, Object> after = new LinkedHashMap<>(UserDesk.snapshot(made));
            after.put("identity", Map.of("issuer", id.issuer(), "subject", id.subject(), "email", id.email()));
            after.put("via", invitation.isPresent() ? "invito" : "attributo");
            audit.record(c, actor, "user.create", "user", userId, username, null, after);
            return made;
        });
        if (result instanceof Refused r) throw r;
        return (User) result;
    }

    /** A bound identity: its account, if active; one whose role came from the claim keeps it only while the claim says so. */
    private Object known(Connection c, Actor actor, User user, String via, Role claimed) throws SQLException {
        if (!user.active()) return new Refused("admin.sso.error.inactive");
        if (!"attributo".equals(via)) return user;
        if (claimed == null) return new Refused("admin.sso.error.not.enabled");
        if (claimed == user.role()) return user;
        // the provider's groups changed: the role follows them, and the log says so
        if (user.role() == Role.ADMINISTRATOR && accounts.activeAdministrators(c) <= 1) return user;
        accounts.update(c, user.id(), user.displayName(), claimed, true);
        User after = accounts.find(c, user.id()).orElseThrow();
        audit.record(c, actor, "user.edit", "user", user.id(), user.username(), UserDesk.snapshot(user), UserDesk.snapshot(after));
        return after;
    }

    private Optional<Invitation> openInvitation(Connection c, String email, Instant now) throws SQLException {
        return invitations(c, "WHERE email = ? AND used_at IS NULL AND expires_at > ?", email.toLowerCase(Locale.ROOT), now.toEpochMilli())
                .stream().findFirst();
    }

    /** A username for a new account: the provider's preferred one, else the address's local part, made unique. */
    private String freeUsername(Connection c, SingleSignOn.Identity id) throws SQLException {
        String base = candidate(id.preferredUsername());
        if (base == null) base = candidate(id.email());
        if (base == null) base = "utente";
        String name = base;
        for (int n = 2; accounts.usernameTaken(c, name); n++) {
            String suffix = "." + n;
            name = base.substring(0, Math.min(base.length(), 40 - suffix.length())) + suffix;
        }
        return name;
    }

    private static String candidate(String raw) {
        if (raw == null || raw.isBlank()) return null;
        String s = raw.strip().toLowerCase(Locale.ROOT);
        int at = s.indexOf('@');
        if (at >= 0) s = s.substring(0, at);
        s = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replaceAll("[^a-z0-9._-]+", ".").replaceAll("^[._-]+", "");
        if (s.length() > 40) s = s.substring(0, 40);
        if (s.length() < 3) s = (s + "utente").substring(0, Math.max(3, Math.min(40, s.length() + 6)));
        return Accounts.USERNAME.matcher(s).matches() ? s : null;
    }

    // ---- invitations ----------------------------------------------------------------------

    /** A new invitation (an open one for the same address is replaced), audited. */
    void invite(Actor actor, String email, String displayName, Role role) {
        Instant now = clock.instant();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM oidc_invitation WHERE email = ? AND used_at IS NULL")) {
                ps.setString(1, email);
                ps.executeUpdate();
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO oidc_invitation(email, display_name, role, invited_by, "
                    + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)", Jdbc.keys())) {
                ps.setString(1, email);
                ps.setString(2, displayName);
                ps.setString(3, role.key());
                Jdbc.setLong(ps, 4, actor.userId());
                ps.setLong(5, now.toEpochMilli());
                ps.setLong(6, now.plus(INVITATION_VALID).toEpochMilli());
                id = Jdbc.insert(ps);
            }
            audit.record(c, actor, "user.invite", "invitation", id, email, null,
                    Map.of("email", email, "displayName", displayName, "role", role.key(), "expiresAt", now.plus(INVITATION_VALID)));
            return null;
        });
    }

    /** Invitations not used yet and not expired, newest first. */
    List<Invitation> open() {
        return db.read(c -> invitations(c, "WHERE used_at IS NULL AND expires_at > ? ORDER BY id DESC", clock.millis()));
    }

    /** The accounts bound to an identity of the provider: their way in includes single sign-on. */
    Set<Long> boundUsers() {
        return db.read(c -> {
            Set<Long> ids = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id FROM oidc_identity"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            return ids;
        });
    }

    private static List<Invitation> invitations(Connection c, String tail, Object... args) throws SQLException {
        List<Invitation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, email, display_name, role, created_at, expires_at FROM oidc_invitation " + tail)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Invitation(rs.getLong("id"), rs.getString("email"), rs.getString("display_name"),
                            Role.fromKey(rs.getString("role")).orElseThrow(), Jdbc.instant(rs, "created_at"),
                            Jdbc.instant(rs, "expires_at")));
                }
            }
        }
        return out;
    }
}
