package it.semaforo.admin;

import it.semaforo.account.Passkeys;
import it.semaforo.account.SecondFactors;
import it.semaforo.audit.Actor;
import it.semaforo.audit.AuditLog;
import it.semaforo.db.Database;
import it.semaforo.render.Messages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A clerk's second factor and sessions as they change: enrolment, recovery codes, turning a
 * factor off, ending sessions, and what administrators decide (the requirement per role, a
 * reset for a lost phone, ending all of someone's sessions). Each change is audited in its
 * own transaction, and a change of factor ends the user's other sessions in that transaction.
 * Secrets and codes never reach the audit log.
 */
final class SecurityDesk {
    private final Database db;
    private final Accounts accounts;
    private final Sessions sessions;
    private final SecondFactors factors;
    private final Passkeys passkeys;
    private final AuditLog audit;
    private final Messages msg;

    SecurityDesk(Database db, Accounts accounts, Sessions sessions, SecondFactors factors, Passkeys passkeys, AuditLog audit,
                 Messages msg) {
        this.db = db;
        this.accounts = accounts;
        this.sessions = sessions;
        this.factors = factors;
        this.passkeys = passkeys;
        this.audit = audit;
        this.msg = msg;
    }

    SecondFactors factors() {
        return factors;
    }

    /**
     * Confirms the enrolment under way with a code: the new secret replaces any earlier one,
     * ten new recovery codes replace the old ones (returned, their only copy), the user's other
     * sessions end. Empty, and nothing changed, for a wrong code.
     */
    Optional<List<String>> confirmTotp(Actor actor, User user, String code, String currentSessionHash) {
        return db.write(c -> {
            boolean replacing = factors.status(c, user.id()).totp();
            if (!factors.confirmEnrolment(c, user.id(), code)) return Optional.<List<String>>empty();
            List<String> codes = factors.newRecoveryCodes(c, user.id());
            sessions.closeAllOf(c, user.id(), currentSessionHash);
            audit.record(c, actor, replacing ? "user.factor.replace" : "user.factor.enrol", "user", user.id(),
                    user.username(), null, Map.of("factor", "totp"));
            return Optional.of(codes);
        });
    }

    /** Adds a verified passkey; false when that credential is registered already. Ends the user's other sessions. */
    boolean addPasskey(Actor actor, User user, String name, Passkeys.Registered registered, String currentSessionHash) {
        return db.write(c -> {
            if (!passkeys.store(c, user.id(), name, registered)) return false;
            sessions.closeAllOf(c, user.id(), currentSessionHash);
            audit.record(c, actor, "user.passkey.add", "user", user.id(), user.username() + ": " + name, null,
                    Map.of("factor", "passkey", "name", name));
            return true;
        });
    }

    /** Removes one of one's passkeys, unless it is the last factor of a role that requires one. */
    void removePasskey(Actor actor, User user, long passkeyId, String currentSessionHash) {
        db.write(c -> {
            SecondFactors.Status before = factors.status(c, user.id());
            if (!passkeys.remove(c, user.id(), passkeyId)) throw new AdminProblem(404, msg.t("admin.passkey.problem.missing"));
            if (before.passkeys() == 1 && !before.totp() && factors.required(c, user.role().key())) {
                throw new AdminProblem(409, msg.t("admin.security.problem.required"));
            }
            sessions.closeAllOf(c, user.id(), currentSessionHash);
            audit.record(c, actor, "user.passkey.remove", "user", user.id(), user.username(), Map.of("factor", "passkey"), null);
            return null;
        });
    }

    /** New recovery codes for a user with a factor (the old ones stop working); the only copy is returned. */
    List<String> newRecoveryCodes(Actor actor, User user, String currentSessionHash) {
        return db.write(c -> {
            if (!factors.status(c, user.id()).any()) throw new AdminProblem(409, msg.t("admin.security.problem.no.factor"));
            List<String> codes = factors.newRecoveryCodes(c, user.id());
            sessions.closeAllOf(c, user.id(), currentSessionHash);
            audit.record(c, actor, "user.recovery.codes", "user", user.id(), user.username(), null, null);
            return codes;
        });
    }

    /** Turns one's own second factor off, when one's role does not require it. */
    void removeOwnFactor(Actor actor, User user, String currentSessionHash) {
        db.write(c -> {
            if (!factors.status(c, user.id()).any()) throw new AdminProblem(409, msg.t("admin.security.problem.no.factor"));
            if (factors.required(c, user.role().key())) throw new AdminProblem(409, msg.t("admin.security.problem.required"));
            factors.removeAll(c, user.id());
            sessions.closeAllOf(c, user.id(), currentSessionHash);
            audit.record(c, actor, "user.factor.remove", "user", user.id(), user.username(), Map.of("factors", "all"), null);
            return null;
        });
    }

    /** An administrator resets someone's second factor (a lost phone): signed out everywhere, enrols again at the next login. */
    void resetFactor(Actor actor, long userId) {
        db.write(c -> {
            User u = accounts.find(c, userId).orElseThrow(() -> new AdminProblem(404, msg.t("admin.problem.user.missing")));
            if (!factors.status(c, userId).any()) throw new AdminProblem(409, msg.t("admin.security.problem.no.factor.user"));
            factors.removeAll(c, userId);
            sessions.closeAll(c, userId);
            audit.record(c, actor, "user.factor.reset", "user", userId, u.username(), Map.of("factors", "all"), null);
            return null;
        });
    }

    /** Ends one of one's own sessions, by its handle. */
    void endOwnSession(Actor actor, User user, String handle) {
        db.write(c -> {
            if (!sessions.closeByHandle(c, user.id(), handle)) throw new AdminProblem(404, msg.t("admin.security.problem.session.missing"));
            audit.record(c, actor, "user.session.end", "user", user.id(), user.username(), null, null);
            return null;
        });
    }

    /** An administrator ends every session of a user (their own included, if they ask: then they sign in again). */
    int endAllSessions(Actor actor, long userId) {
        return db.write(c -> {
            User u = accounts.find(c, userId).orElseThrow(() -> new AdminProblem(404, msg.t("admin.problem.user.missing")));
            int n = sessions.closeAll(c, userId);
            audit.record(c, actor, "user.sessions.end", "user", userId, msg.t("admin.audit.sessions.ended", u.username(), n),
                    null, null);
            return n;
        });
    }

    /** The roles that must sign in with a second factor, as an administrator chose them. */
    void setRequirement(Actor actor, Map<Role, Boolean> required) {
        db.write(c -> {
            Map<String, Object> before = new LinkedHashMap<>();
            Map<String, Object> after = new LinkedHashMap<>();
            for (var e : required.entrySet()) {
                before.put(e.getKey().key(), factors.required(c, e.getKey().key()));
                factors.setRequired(c, e.getKey().key(), e.getValue());
                after.put(e.getKey().key(), e.getValue());
            }
            audit.record(c, actor, "factor.policy", "policy", null, msg.t("admin.audit.factor.policy"), before, after);
            return null;
        });
    }
}
