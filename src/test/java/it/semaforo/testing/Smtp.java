package it.semaforo.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;

/** GreenMail, the real SMTP server the mail tests send to, on a free loopback port. */
public final class Smtp {
    /** GreenMail's own 2 s is too short for its TLS server on a busy two-core machine. */
    private static final long STARTUP_MILLIS = 30_000;

    private Smtp() {
    }

    /** Plain SMTP, started now (before the TestServer that needs its port). */
    public static GreenMail started() {
        return started(new GreenMail(setup(ServerSetupTest.SMTP)));
    }

    /** The given protocol (SMTPS, say) on a free port, to be configured and then started by the caller. */
    public static ServerSetup setup(ServerSetup protocol) {
        ServerSetup s = protocol.dynamicPort();
        s.setServerStartupTimeout(STARTUP_MILLIS);
        return s;
    }

    public static GreenMail started(GreenMail mail) {
        mail.start();
        return mail;
    }
}
