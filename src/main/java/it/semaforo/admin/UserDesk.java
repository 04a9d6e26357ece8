package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.audit.Actor;
import it.semaforo.db.Database;
import it.semaforo.render.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Accounts as administrators manage them, and each user's own password: the form rules, and
 * each change with its audit entry. Passwords are hashed before the transaction (bcrypt is
 * slow on purpose, and the one writer connection must not wait for it). A password never
 * reaches the audit log, not even hashed. Accounts are never public: writes are quiet.
 */
public final class UserDesk {
    public static final int DISPLAY_NAME_MAX = 100;

    private final Database db;
    private final Accounts accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Messages msg;

    public UserDesk(Database db, Accounts accounts, Sessions sessions, AuditLog audit, Messages msg) {
        this.db = db;
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.msg = msg;
    }

    public record NewUser(String username, String displayName, Role role, String password) {
    }

    public record UserEdit(String displayName, Role role, boolean active, String newPassword) {
    }

    // ---- forms --------------------------------------------------------------------------

    public Optional<NewUser> newUser(Form f) {
        String username = Accounts.normalise(f.text("username"));
        if (username.isEmpty()) f.reject("username", msg.t("admin.error.username.required"));
        else if (!Accounts.USERNAME.matcher(username).matches()) f.reject("username", msg.t("admin.error.username.invalid"));
        else if (accounts.findByUsername(username).isPresent()) f.reject("username", msg.t("admin.error.username.taken"));
        String displayName = displayName(f);
        Role role = role(f);
        String password = password(f, "password", "password_confirm", username);
        return f.hasErrors() ? Optional.empty() : Optional.of(new NewUser(username, displayName, role, password));
    }

    public Optional<UserEdit> edit(Form f, User editing) {
        String displayName = displayName(f);
        Role role = role(f);
        boolean active = f.checked("active");
        String password = f.get("password").isEmpty() && f.get("password_confirm").isEmpty() ? null
                : password(f, "password", "password_confirm", editing.username());
        return f.hasErrors() ? Optional.empty() : Optional.of(new UserEdit(displayName, role, active, password));
    }

    /** A user's own change: the current password first, so that an unattended session cannot take the account. */
    public Optional<String> ownPassword(Form f, User user) {
        if (f.get("current").isEmpty() || !accounts.hasPassword(user.id(), f.get("current").toCharArray())) {
            f.reject("current", msg.t("admin.error.password.current"));
        }
        String password = password(f, "password", "password_confirm", user.username());
        return f.hasErrors() ? Optional.empty() : Optional.of(password);
    }

    private String displayName(Form f) {
        String name = NoticeForms.oneLine(f.text("display_name"));
        if (name.isEmpty()) f.reject("display_name", msg.t("admin.error.display.name.required"));
        else if (NoticeForms.length(name) > DISPLAY_NAME_MAX) f.reject("display_name", msg.t("admin.error.name.long", DISPLAY_NAME_MAX));
        return name;
    }

    private Role role(Form f) {
        Optional<Role> role = Role.fromKey(f.text("role"));
        if (role.isEmpty()) f.reject("role", msg.t("admin.error.role"));
        return role.orElse(null);
    }

    private String password(Form f, String field, String confirmField, String username) {
        String password = f.get(field);
        Optional<Passwords.Refusal> refusal = Passwords.check(password, username);
        if (refusal.isPresent()) f.reject(field, msg.t(refusal.get().key(), refusal.get().argument()));
        else if (!password.equals(f.get(confirmField))) f.reject(confirmField, msg.t("admin.error.password.confirm"));
        return password;
    }

    // ---- writes -------------------------------------------------------------------------

    public long create(Actor actor, NewUser u) {
        String hash = hash(u.password());
        return db.write(c -> {
            if (accounts.usernameTaken(c, u.username())) throw new AdminProblem(409, msg.t("admin.error.username.taken"));
            long id = accounts.create(c, u.username(), u.displayName(), u.role(), hash);
            audit.record(c, actor, "user.create", "user", id, u.username(), null, snapshot(existing(c, id)));
            return id;
        });
    }

    public void update(Actor actor, long id, UserEdit e) {
        String hash = e.newPassword() == null ? null : hash(e.newPassword());
        db.write(c -> {
            User before = existing(c, id);
            if (actor.userId() != null && actor.userId() == id && (!e.active() || e.role() != before.role())) {
                throw new AdminProblem(409, msg.t("admin.problem.user.self"));
            }
            accounts.update(c, id, e.displayName(), e.role(), e.active());
            // reactivated (after a suspension for disuse, say): it counts as in use from now
            if (!before.active() && e.active()) accounts.reactivated(c, id);
            if (accounts.activeAdministrators(c) == 0) throw new AdminProblem(409, msg.t("admin.problem.user.last.admin"));
            if (hash != null) accounts.setPasswordHash(c, id, hash);
            // a deactivated user, or one whose password was reset, is signed out everywhere
            if (!e.active() || hash != null) sessions.closeAllOf(c, id, null);
            User after = existing(c, id);
            audit.record(c, actor, "user.edit", "user", id,
                    hash != null ? msg.t("admin.audit.password.reset", after.username()) : after.username(),
                    snapshot(before), snapshot(after));
            return null;
        });
    }

    /** Changes one's own password and signs out one's other browsers. */
    public void changeOwnPassword(Actor actor, User user, String password, String currentSessionHash) {
        String hash = hash(password);
        db.write(c -> {
            User before = existing(c, user.id());
            accounts.setPasswordHash(c, user.id(), hash);
            sessions.closeAllOf(c, user.id(), currentSessionHash);
            audit.record(c, actor, "user.password", "user", user.id(), user.username(), snapshot(before),
                    snapshot(existing(c, user.id())));
            return null;
        });
    }

    /** The first administrator, from the command line: the only account made without a signed-in user. */
    public long createFirstAdministrator(String username, String password) {
        return create(Actor.commandLine(), new NewUser(Accounts.normalise(username), username.strip(), Role.ADMINISTRATOR, password));
    }

    /** Records a login or logout: not a change of data, but who was in is part of the trace. */
    public void recordAccess(Actor actor, String action) {
        db.write(c -> {
            audit.record(c, actor, action, "user", actor.userId(), actor.username(), null, null);
            if (action.equals("user.login") && actor.userId() != null) AccessReview.loggedIn(c, actor.userId(), accounts.now());
            return null;
        });
    }

    private String hash(String password) {
        char[] chars = password.toCharArray();
        try {
            return accounts.passwords().hash(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private User existing(Connection c, long id) throws SQLException {
        return accounts.find(c, id).orElseThrow(() -> new AdminProblem(404, msg.t("admin.problem.user.missing")));
    }

    static Map<String, Object> snapshot(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("displayName", u.displayName());
        m.put("role", u.role().key());
        m.put("active", u.active());
        m.put("passwordChangedAt", u.passwordChangedAt());
        return m;
    }
}
