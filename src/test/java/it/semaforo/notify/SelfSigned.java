package it.semaforo.notify;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A certificate made for a test's TLS server on loopback (localhost and 127.0.0.1, two days), by
 * the JDK's keytool: a PKCS12 keystore (password "changeit", for GreenMail) and the certificate in
 * PEM (for smtp.trust.file, and for servers that read PEM).
 */
record SelfSigned(Path keystore, Path pem) {
    static final String PASSWORD = "changeit";

    static SelfSigned forLocalhost(Path dir) throws Exception {
        SelfSigned c = new SelfSigned(dir.resolve("smtp.p12"), dir.resolve("smtp.pem"));
        keytool("-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", c.keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "smtp", "-keystore", c.keystore.toString(), "-storepass", PASSWORD,
                "-file", c.pem.toString());
        return c;
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
