package it.semaforo.admin;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/**
 * What the clerks' area needs of the configuration, read and checked at start-up (app.Config)
 * and handed in: its language and zone, the public address, sessions, login throttling,
 * password hashing, uploads, proxy trust, the write API's rate, the privacy contacts that
 * a data-breach communication starts from, and the roles that need a second factor until an
 * administrator decides otherwise.
 */
public record AdminSettings(Locale language, ZoneId zone, String baseUrl, Duration sessionIdle, Duration sessionMax,
                            Duration loginWindow, int maxFailuresPerAccount, int maxFailuresPerAddress, int bcryptCost,
                            long attachmentMaxBytes, boolean trustProxy, int writeApiMaxPerMinute, Privacy privacy,
                            Set<Role> secondFactorRoles) {

    /** The defaults of a data-breach communication: controller and DPO with their contacts. */
    public record Privacy(String controller, String dpo) {
    }
}
