package it.semaforo.admin;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/**
 * What the clerks' area needs of the configuration, read and checked at start-up (app.Config)
 * and handed in: its language and zone, the public address, sessions, login throttling,
 * password hashing, uploads, proxy trust, the write API's rate, the privacy contacts that
 * a data-breach communication starts from, the roles that need a second factor until an
 * administrator decides otherwise, and the comune's own domains (the preview flags addresses
 * outside them).
 */
public record AdminSettings(Locale language, ZoneId zone, String baseUrl, Duration sessionIdle, Duration sessionMax,
                            Duration loginWindow, int maxFailuresPerAccount, int maxFailuresPerAddress, int bcryptCost,
                            long attachmentMaxBytes, boolean trustProxy, int writeApiMaxPerMinute, Privacy privacy,
                            Set<Role> secondFactorRoles, java.util.List<String> domains, Access access, Sso sso) {

    /**
     * The access review: accounts unused this long are suspended (zero: never), and the
     * periodic review is due this many months after the last one.
     */
    public record Access(Duration inactiveAfter, int reviewMonths) {
    }

    /**
     * Single sign-on with the comune's OpenID provider (empty issuer: off). Roles come from a
     * claim (administratorValues, editorValues: values of roleClaim, a string or a list such as
     * groups), from the e-mail domain (editorDomains: a verified address there makes a
     * redattore), or from an administrator's invitation. passwordLogin false: only the
     * break-glass administrator still signs in with a password.
     */
    public record Sso(String issuer, String clientId, String clientSecret, java.util.List<String> scopes, String roleClaim,
                      java.util.List<String> administratorValues, java.util.List<String> editorValues,
                      java.util.List<String> editorDomains, boolean passwordLogin, String breakGlass) {
        public boolean enabled() {
            return !issuer.isEmpty();
        }

        /** Whether this account may sign in with a password. */
        public boolean passwordAllowed(String username) {
            return passwordLogin || username.equals(breakGlass);
        }
    }

    /** The defaults of a data-breach communication: controller and DPO with their contacts. */
    public record Privacy(String controller, String dpo) {
    }
}
