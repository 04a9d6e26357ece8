package it.semaforo.admin;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import it.semaforo.testing.Axe;
import it.semaforo.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clerks' pages in headless Chromium under axe-core's WCAG 2.2 A and AA rules and best
 * practices (testing.Axe), at 1280 and 360 px: the login
 * page, then, signed in through the real login form, every editing page and a form showing its
 * validation errors. One browser and one server for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminAccessibilityTest {
    static AdminPagesFixture fixture;
    static Browser browser;

    @BeforeAll
    static void start() {
        fixture = new AdminPagesFixture();
        browser = Browser.start("it-IT,it");
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) browser.close();
        } finally {
            fixture.close();
        }
    }

    static List<String> pages() {
        return fixture.pages();
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> pagesAndWidths() {
        return pages().stream().flatMap(p -> Axe.WIDTHS.stream().map(w -> org.junit.jupiter.params.provider.Arguments.of(p, w)));
    }

    @Test
    @Order(1)
    void theLoginPageAndASignInThroughIt() {
        browser.driver.get(fixture.server.url("/admin/login"));
        assertNoViolations("/admin/login");
        browser.driver.findElement(By.id("f-username")).sendKeys(AdminPagesFixture.ADMIN);
        browser.driver.findElement(By.id("f-password")).sendKeys(AdminTesting.PASSWORD);
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        browser.waitForUrl("/admin\\?esito=accesso$");
        assertNoViolations("/admin?esito=accesso (with the welcome message)");
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("pagesAndWidths")
    @Order(2)
    void everyEditingPageHasNoWcag22AaOrBestPracticeViolations(String path, int width) {
        try {
            browser.driver.manage().window().setSize(new Dimension(width, 900));
            browser.driver.get(fixture.server.url(path));
            assertFalse(browser.driver.getCurrentUrl().contains("/admin/login"), "signed in: " + browser.driver.getCurrentUrl());
            assertNoViolations(path + " at " + width + " px");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    @Order(4)
    void everyEditingPageReflowsAt320PixelsWithoutHorizontalScrolling(String path) {
        try {
            browser.driver.manage().window().setSize(new Dimension(320, 900));
            browser.driver.get(fixture.server.url(path));
            long viewport = number("return window.innerWidth");
            assertEquals(320, viewport, "the window is really 320 px wide");
            long content = number("return document.documentElement.scrollWidth");
            assertTrue(content <= viewport, path + " at 320 px is " + content + " px wide: " + browser.driver.executeScript(
                    "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                    + ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' → ' + Math.round(e.getBoundingClientRect().right)).join('; ')"));
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    private static long number(String script) {
        return ((Number) browser.driver.executeScript(script)).longValue();
    }

    @Test
    @Order(3)
    void aFormShowingItsValidationErrors() {
        // the browser's own checks pass (required fields filled); the server finds the missing date
        browser.driver.get(fixture.server.url("/admin/avvisi/nuovo"));
        browser.driver.findElement(By.id("f-title")).sendKeys("Sportello chiuso");
        browser.driver.findElement(By.id("f-summary")).sendKeys("Lo sportello resta chiuso.");
        browser.driver.findElement(By.id("f-publish-later")).sendKeys(Keys.SPACE);
        browser.driver.findElement(By.cssSelector("button[value=draft]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin/avvisi$");
        assertTrue(browser.driver.findElement(By.id("f-publish_at-error")).getText().contains("Indica data e ora"),
                "the error is next to the field");
        assertTrue(browser.driver.findElement(By.id("f-publish_at")).getAttribute("aria-describedby").contains("f-publish_at-error"),
                "the error is tied to its field");
        assertEquals("Sportello chiuso", browser.driver.findElement(By.id("f-title")).getAttribute("value"), "what was typed is kept");
        assertNoViolations("/admin/avvisi (new avviso with errors)");
        browser.driver.get(fixture.server.url("/admin/utenti/nuovo"));
        browser.driver.findElement(By.id("f-username")).sendKeys("X");
        browser.driver.findElement(By.id("f-display_name")).sendKeys("Xavier");
        browser.driver.findElement(By.id("f-password")).sendKeys("corta");
        browser.driver.findElement(By.id("f-password_confirm")).sendKeys("corta");
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin/utenti$");
        assertFalse(browser.driver.findElements(By.cssSelector(".field-error")).isEmpty(),
                "the form shows its errors: " + browser.driver.getCurrentUrl() + " " + browser.driver.findElement(By.tagName("main")).getText());
        assertNoViolations("/admin/utenti (new user with errors)");
        // refusing a publication without saying why: the error by the reason field
        browser.driver.get(fixture.server.url("/admin/avvisi/" + fixture.awaiting + "/anteprima"));
        browser.driver.executeScript("document.getElementById('f-reason').removeAttribute('required')");
        browser.driver.findElement(By.cssSelector(".refuse-form button[type=submit]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/rifiuta$");
        assertTrue(browser.driver.findElement(By.id("f-reason-error")).getText().contains("motivo"), "the error is next to the field");
        assertNoViolations("refusal without a reason");
        // the access review confirmed without ticking the box
        browser.driver.get(fixture.server.url("/admin/abilitazioni"));
        browser.driver.findElement(By.cssSelector("#verifica button[type=submit]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin/abilitazioni/conferma$");
        assertTrue(browser.driver.findElement(By.id("f-reviewed-error")).isDisplayed());
        assertNoViolations("access review with errors");
    }

    private static void assertNoViolations(String what) {
        assertNoViolations(browser, what);
    }

    /** axe's WCAG 2.1 AA rules on the page a browser shows, as the clerks see it (also for other classes' browsers). */
    static void assertNoViolations(Browser browser, String what) {
        // the page is judged as clerks see it: the kit and the area's own styles really loaded
        assertEquals("\"2.17.0\"", String.valueOf(browser.driver.executeScript(
                "return getComputedStyle(document.documentElement).getPropertyValue('--bootstrap-italia-version').trim()")), what);
        assertEquals("0px", browser.driver.executeScript("return getComputedStyle(document.querySelector('.field, .admin-footer')).marginTop"
                + " === '0px' ? '0px' : 'admin.css missing'"), what);
        Results results = Axe.analyze(browser.driver);
        assertFalse(results.isErrored(), "axe could not run: " + results.getErrorMessage());
        assertTrue(results.getPasses().size() > 10, "axe ran its rules: " + results.getPasses().size() + " passed");
        System.out.printf("axe %s: %d violations, %d rules passed, %d need review %s%n", what, results.getViolations().size(),
                results.getPasses().size(), results.getIncomplete().size(), results.getIncomplete().stream()
                        .map(r -> r.getId() + " " + r.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget())).toList()).toList());
        assertEquals(List.of(), results.getViolations().stream().map(Rule::getId).toList(),
                what + ": WCAG 2.2 AA or best-practice violations" + describe(results.getViolations()));
    }

    private static String describe(List<Rule> rules) {
        return rules.stream().map(r -> "\n  " + r.getId() + " (" + r.getImpact() + "): " + r.getHelp()
                        + r.getNodes().stream().limit(6).map(n -> "\n      " + n.getTarget() + "  "
                                + String.valueOf(n.getFailureSummary() == null ? n.getHtml() : n.getFailureSummary()).replace('\n', ' '))
                        .collect(Collectors.joining()))
                .collect(Collectors.joining());
    }
}
