package it.semaforo.admin;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import it.semaforo.render.Messages;
import it.semaforo.testing.Axe;
import it.semaforo.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clerks' pages in headless Chromium under axe-core's WCAG 2.2 A and AA rules and best
 * practices (testing.Axe), at 1280 and 360 px, in each of the area's four languages (the
 * comune's `language` setting; the avvisi stay in Italian and say so): the login page, then,
 * signed in through the real login form, every editing page and forms showing their validation
 * errors; every page also reflows at 320 px. One browser for the class; one server per
 * language; each page loaded once, judged at each width by resizing the window. One class per language
 * (AdminAccessibilityItalianTest…), so that the suite's two forks share the languages out.
 */
abstract class AdminAccessibility {
    static Browser browser;
    static AdminPagesFixture fixture;

    @BeforeAll
    static void start() {
        browser = Browser.shared("it-IT,it");
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) browser.close();
        } finally {
            if (fixture != null) fixture.close();
            fixture = null;
        }
    }

    /**
     * One language: its server, a sign-in through the form, every page at both widths, the
     * reflow at 320 px and the forms with errors. A page's failure is noted and the others still
     * judged, so that one run lists every fault of the language.
     */
    @Test
    void everyClerksPageHasNoWcag22AaOrBestPracticeViolations() {
        String language = language();
        fixture = new AdminPagesFixture(language);
        Messages msg = new Messages("i18n.admin", Locale.forLanguageTag(language));
        List<String> faults = new ArrayList<>();
        try {
            // the previous language's server had the same host: its cookies must not sign in here
            browser.driver.get(fixture.server.url("/admin/login"));
            browser.driver.manage().deleteAllCookies();
            for (int width : Axe.WIDTHS) {
                judge(faults, "/admin/login at " + width + " px", () -> {
                    if (width == Axe.WIDTHS.get(0)) open("/admin/login", width);
                    else resize(width);
                    assertLanguage(language, "/admin/login");
                    assertNoViolations("/admin/login at " + width + " px (" + language + ")");
                });
            }
            signIn();
            assertNoViolations("/admin?esito=accesso (with the welcome message, " + language + ")");
            for (String path : fixture.pages()) {
                // loaded once at the first width, then the window resized (the pages' layout is CSS
                // alone; passkey.js reads no size): axe, already in the page and warm, runs again
                // on the same document at the next width, at half the cost of a fresh load
                for (int width : Axe.WIDTHS) {
                    judge(faults, path + " at " + width + " px", () -> {
                        if (width == Axe.WIDTHS.get(0)) open(path, width);
                        else resize(width);
                        // the address and the language in one round trip (65 pages a language add them up)
                        @SuppressWarnings("unchecked")
                        List<String> shown = (List<String>) browser.driver.executeScript(
                                "return [location.href, document.documentElement.getAttribute('lang')]");
                        assertFalse(shown.get(0).contains("/admin/login"), "signed in: " + shown.get(0));
                        assertEquals(language, shown.get(1), path + ": the interface's language");
                        assertNoViolations(path + " at " + width + " px (" + language + ")");
                    });
                }
                judge(faults, path + " at 320 px", () -> reflowsAt320(path));
            }
            judge(faults, "forms with errors", () -> formsShowingTheirValidationErrors(msg, language));
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 900));
        }
        assertEquals(List.of(), faults, language + ": " + faults.size() + " pages with faults");
    }

    /** The area's language (the comune's `language` setting) this class judges it in. */
    abstract String language();

    private static void judge(List<String> faults, String what, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            faults.add(what + ": " + e.getMessage());
        }
    }

    private static void open(String path, int width) {
        browser.driver.manage().window().setSize(new Dimension(width, 900));
        browser.driver.get(fixture.server.url(path));
    }

    private static void resize(int width) {
        browser.driver.manage().window().setSize(new Dimension(width, 900));
    }

    private static void assertLanguage(String language, String path) {
        assertEquals(language, browser.driver.findElement(By.tagName("html")).getAttribute("lang"), path + ": the interface's language");
    }

    private static void signIn() {
        open("/admin/login", 1280);
        browser.driver.findElement(By.id("f-username")).sendKeys(AdminPagesFixture.ADMIN);
        browser.driver.findElement(By.id("f-password")).sendKeys(AdminTesting.PASSWORD);
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        browser.waitForUrl("/admin\\?esito=accesso$");
    }

    /** 400 % zoom of a 1280 px window: no horizontal scrolling (the page just judged, its window narrowed). */
    private static void reflowsAt320(String path) {
        resize(320);
        @SuppressWarnings("unchecked")
        List<Number> widths = (List<Number>) browser.driver.executeScript("return [window.innerWidth, document.documentElement.scrollWidth]");
        long viewport = widths.get(0).longValue();
        assertEquals(320, viewport, "the window is really 320 px wide");
        long content = widths.get(1).longValue();
        assertTrue(content <= viewport, path + " at 320 px is " + content + " px wide: " + browser.driver.executeScript(
                "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' → ' + Math.round(e.getBoundingClientRect().right)).join('; ')"));
    }

    /** Forms the server refused, each error by its field, in the area's language. */
    private static void formsShowingTheirValidationErrors(Messages msg, String language) {
        open("/admin/avvisi/nuovo", 1280);
        // the browser's own checks pass (required fields filled); the server finds the missing date
        browser.driver.findElement(By.id("f-title")).sendKeys("Sportello chiuso");
        browser.driver.findElement(By.id("f-summary")).sendKeys("Lo sportello resta chiuso.");
        browser.driver.findElement(By.id("f-publish-later")).sendKeys(Keys.SPACE);
        browser.driver.findElement(By.cssSelector("button[value=draft]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin/avvisi$");
        String dateError = browser.driver.findElement(By.id("f-publish_at-error")).getText();
        assertTrue(dateError.contains(msg.t("admin.error.publish.required")), "the error is next to the field: " + dateError);
        assertTrue(browser.driver.findElement(By.id("f-publish_at")).getAttribute("aria-describedby").contains("f-publish_at-error"),
                "the error is tied to its field");
        assertEquals("Sportello chiuso", browser.driver.findElement(By.id("f-title")).getAttribute("value"), "what was typed is kept");
        assertNoViolations("/admin/avvisi (new avviso with errors, " + language + ")");
        browser.driver.get(fixture.server.url("/admin/utenti/nuovo"));
        browser.driver.findElement(By.id("f-username")).sendKeys("X");
        browser.driver.findElement(By.id("f-display_name")).sendKeys("Xavier");
        browser.driver.findElement(By.id("f-password")).sendKeys("corta");
        browser.driver.findElement(By.id("f-password_confirm")).sendKeys("corta");
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin/utenti$");
        assertFalse(browser.driver.findElements(By.cssSelector(".field-error")).isEmpty(),
                "the form shows its errors: " + browser.driver.getCurrentUrl() + " " + browser.driver.findElement(By.tagName("main")).getText());
        assertNoViolations("/admin/utenti (new user with errors, " + language + ")");
        // refusing a publication without saying why: the error by the reason field
        browser.driver.get(fixture.server.url("/admin/avvisi/" + fixture.awaiting + "/anteprima"));
        browser.driver.executeScript("document.getElementById('f-reason').removeAttribute('required')");
        browser.driver.findElement(By.cssSelector(".refuse-form button[type=submit]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/rifiuta$");
        String reasonError = browser.driver.findElement(By.id("f-reason-error")).getText();
        assertTrue(reasonError.contains(msg.t("admin.error.approval.reason")), "the error is next to the field: " + reasonError);
        assertNoViolations("refusal without a reason (" + language + ")");
        // the access review confirmed without ticking the box
        browser.driver.get(fixture.server.url("/admin/abilitazioni"));
        browser.driver.findElement(By.cssSelector("#verifica button[type=submit]")).sendKeys(Keys.ENTER);
        browser.waitForUrl("/admin/abilitazioni/conferma$");
        assertTrue(browser.driver.findElement(By.id("f-reviewed-error")).isDisplayed());
        assertNoViolations("access review with errors (" + language + ")");
    }

    private static void assertNoViolations(String what) {
        assertNoViolations(browser, what);
    }

    /** axe's WCAG 2.1 AA rules on the page a browser shows, as the clerks see it (also for other classes' browsers). */
    static void assertNoViolations(Browser browser, String what) {
        // the page is judged as clerks see it: the kit and the area's own styles really loaded
        // both read in one round trip
        @SuppressWarnings("unchecked")
        List<String> styles = (List<String>) browser.driver.executeScript(
                "return [getComputedStyle(document.documentElement).getPropertyValue('--bootstrap-italia-version').trim(),"
                + " getComputedStyle(document.querySelector('.field, .admin-footer')).marginTop === '0px' ? '0px' : 'admin.css missing']");
        assertEquals("\"2.17.0\"", styles.get(0), what);
        assertEquals("0px", styles.get(1), what);
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
