package it.semaforo.admin;

import it.semaforo.account.Passkeys;
import it.semaforo.account.SecondFactors;

import java.util.List;

/** The data of the pages about the way in: the second step, one's own account security, the administrators' views. */
public final class SecurityPages {
    private SecurityPages() {
    }

    /** The second step of signing in. */
    public record Verify(AdminPages.Frame frame, Form form, String message, String next, boolean passkeys) {
    }

    /** One open session as its owner (or an administrator) sees it; current is the browser looking. */
    public record SessionLine(Sessions.Session session, boolean current) {
    }

    /** /admin/sicurezza: one's second factor and open sessions. */
    public record Account(AdminPages.Frame frame, SecondFactors.Status factor, boolean required,
                          List<Passkeys.Passkey> passkeys, List<SessionLine> sessions, Form form, String problem) {
    }

    /** The TOTP enrolment: the QR code (a data: image), the secret for typing by hand, the code field. */
    public record Enrol(AdminPages.Frame frame, String qrCode, String secret, String account, Form form,
                        boolean mustEnrol, boolean replacing) {
    }

    /** New recovery codes, shown this once. */
    public record Codes(AdminPages.Frame frame, List<String> codes, boolean enrolled) {
    }

    /** An administrator's view of a user's second factor and sessions. */
    public record UserSecurity(AdminPages.Frame frame, User user, SecondFactors.Status factor, boolean required,
                               List<SessionLine> sessions) {
    }

    /** Which roles must sign in with a second factor. */
    public record Requirement(AdminPages.Frame frame, List<RoleLine> roles) {
    }

    public record RoleLine(Role role, boolean required) {
        public String field() {
            return "role_" + role.key();
        }
    }
}
