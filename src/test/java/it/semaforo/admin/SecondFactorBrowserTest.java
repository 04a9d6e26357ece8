package it.semaforo.admin;

import it.semaforo.testing.Browser;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second factor in headless Chromium, as an administrator meets it: led to the enrolment
 * by the first sign-in, the QR code really drawn, the key typed into "the app" (the test's own
 * RFC 6238 code), the recovery codes, then the second step of the next sign-in. axe's WCAG 2.1
 * AA rules on each of these pages, which only exist halfway through signing in.
 */
class SecondFactorBrowserTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("admin.second.factor.roles", "amministratore"));
    static Browser browser;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "bruna.browser", Role.ADMINISTRATOR);
        browser = Browser.shared("it-IT,it");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    private static void signIn() {
        browser.driver.get(server.url("/admin/login"));
        browser.driver.findElement(By.id("f-username")).sendKeys("bruna.browser");
        browser.driver.findElement(By.id("f-password")).sendKeys(AdminTesting.PASSWORD);
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).sendKeys(Keys.ENTER);
    }

    /** A form answered on the same address: wait for what the answer shows. */
    private static void waitFor(By what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (browser.driver.findElements(what).isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never shown: " + what + " on " + browser.driver.getCurrentUrl());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void enrolmentRecoveryCodesAndTheSecondStep() {
        signIn();
        browser.waitForUrl("/admin/sicurezza/totp$");
        AdminAccessibility.assertNoViolations(browser, "/admin/sicurezza/totp (required at sign-in)");
        Object qrWidth = browser.driver.executeScript("return document.querySelector('img.qr-code').naturalWidth");
        assertTrue(((Number) qrWidth).intValue() >= 200, "the QR code is a real image: " + qrWidth);
        String secret = browser.driver.findElement(By.id("totp-secret")).getText();

        browser.driver.findElement(By.id("f-code")).sendKeys("12345");
        browser.driver.findElement(By.cssSelector("main form.narrow-form button[type=submit]")).sendKeys(Keys.ENTER);
        waitFor(By.id("f-code-error"));
        assertTrue(browser.driver.findElement(By.id("f-code-error")).getText().contains("Il codice è di 6 cifre"));
        AdminAccessibility.assertNoViolations(browser, "/admin/sicurezza/totp (with an error)");

        browser.driver.findElement(By.id("f-code")).sendKeys(Totps.code(secret, clock.instant()));
        browser.driver.findElement(By.cssSelector("main form.narrow-form button[type=submit]")).sendKeys(Keys.ENTER);
        waitFor(By.id("recovery-codes"));
        List<String> codes = browser.driver.findElements(By.cssSelector("#recovery-codes code")).stream().map(e -> e.getText()).toList();
        assertEquals(10, codes.size(), browser.driver.getPageSource());
        AdminAccessibility.assertNoViolations(browser, "the recovery codes");
        browser.driver.findElement(By.linkText("Ho conservato i codici, continua")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin$");
        AdminAccessibility.assertNoViolations(browser, "/admin after enrolling");

        browser.driver.get(server.url("/admin/sicurezza"));
        AdminAccessibility.assertNoViolations(browser, "/admin/sicurezza with a factor and a session");
        browser.driver.findElement(By.cssSelector(".admin-user form button")).sendKeys(Keys.ENTER);   // sign out
        browser.waitForUrl("/admin/login");

        clock.advance(Duration.ofSeconds(30));
        signIn();
        browser.waitForUrl("/admin/verifica$");
        AdminAccessibility.assertNoViolations(browser, "/admin/verifica");
        browser.driver.findElement(By.id("f-code")).sendKeys("000000".equals(Totps.code(secret, clock.instant())) ? "111111" : "000000");
        browser.driver.findElement(By.cssSelector("main form.narrow-form button[type=submit]")).sendKeys(Keys.ENTER);
        waitFor(By.id("f-code-error"));
        assertTrue(browser.driver.findElement(By.id("f-code-error")).getText().contains("Codice non valido"));
        AdminAccessibility.assertNoViolations(browser, "/admin/verifica (with an error)");
        browser.driver.findElement(By.id("f-code")).sendKeys(Totps.code(secret, clock.instant()));
        browser.driver.findElement(By.cssSelector("main form.narrow-form button[type=submit]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin\\?esito=accesso$");
    }
}
