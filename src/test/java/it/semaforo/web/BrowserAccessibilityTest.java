package it.semaforo.web;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.testing.Axe;
import it.semaforo.testing.Browser;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accessibility proven in a real browser: Debian's headless Chromium, axe-core with the WCAG
 * 2.2 A and AA rules and Deque's best practices (testing.Axe) on every public page at 1280 and
 * 360 px, the first screen of a phone and of a laptop, reflow at 320 CSS px (400 % zoom) and 640 (200 %),
 * keyboard use, fonts and styles really loaded, no script and no cookie. One browser and one
 * server for the whole class.
 */
class BrowserAccessibilityTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(NOW));
    static Browser browser;
    static String noticePath;
    static List<String> kindPaths;
    static long withdrawn;

    @BeforeAll
    static void start() {
        noticePath = org.jsoup.Jsoup.parse(server.get("/").body()).select(".notice-title a").stream()
                .filter(a -> a.text().startsWith("Servizi online sospesi")).findFirst().orElseThrow().attr("href");
        kindPaths = HtmlValidityTest.kindPaths(server);
        withdrawn = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Pubblicato per errore", "", "", "it", NOW.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
        server.app().notices().withdraw(withdrawn);
        browser = Browser.shared("it-IT,it");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    /**
     * Every page a resident can reach. The clerks' login and editing pages join this list, one
     * line each, when the admin area lands (a page behind the login needs the session cookie
     * the browser then carries).
     */
    static List<String> pages() {
        return List.of(
                "/",
                "/servizi/stato-civile",                 // state, reason, channels, avviso, 90-day chart and table
                "/servizi/carta-identita",               // an active service: no limitation table
                noticePath,                               // an avviso with dates, table, updates, attachment
                "/avvisi/servizio/certificati-online",   // the archive with results
                "/avvisi?q=nessun-risultato",            // the archive without
                "/avvisi/pagina/1",                      // a numbered page of the archive
                "/avvisi/" + withdrawn + "-pubblicato-per-errore",   // 410
                "/non/esiste",                           // 404
                kindPaths.get(0), kindPaths.get(1), kindPaths.get(2),   // data breach, security advisory, maintenance
                "/servizi/pagamenti-pagopa",             // a maintenance announced ahead
                // the interface in every language around the clerk's Italian content
                "/en/", "/de/", "/ja/", "/en/avvisi", "/de/avvisi", "/ja/avvisi",
                "/de" + noticePath, "/en" + noticePath, "/ja" + noticePath,
                "/en/servizi/stato-civile", "/de/servizi/pagamenti-pagopa", "/ja/servizi/stato-civile",
                "/en" + kindPaths.get(0), "/en" + kindPaths.get(1), "/de" + kindPaths.get(1), "/ja" + kindPaths.get(1),
                "/de/non/esiste", "/ja/avvisi/" + withdrawn + "-pubblicato-per-errore");
    }

    /**
     * Each page loaded once, at 1280 px: its styles, fonts, scripts and cookies checked on that
     * fresh load, then axe at 1280 px, then the window narrowed to 360 px (axe again, on the same
     * document: our pages' layout is CSS alone, so a resized window lays out as a page loaded at
     * that width, and axe, already in the page, runs warm), 320 and 640 px (reflow). A check's
     * failure is noted and the page's other checks still run.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void hasNoWcag22AaOrBestPracticeViolationsAndReflowsAndLoadsOnlyItsOwnStyles(String path) {
        List<String> faults = new ArrayList<>();
        try {
            open(path, 1280);
            judge(faults, "styles and fonts from this host, no script, no cookie", () -> loadsItsStylesAndFontsFromThisHostWithNoScriptAndNoCookie(path));
            for (int width : Axe.WIDTHS) {
                judge(faults, "axe at " + width + " px", () -> {
                    resize(width);
                    checkAxe(path + " at " + width + " px");
                });
            }
            for (int width : new int[]{320, 640}) {   // 400 % and 200 % zoom of a 1280 px window
                judge(faults, "reflow at " + width + " px", () -> reflowsWithoutHorizontalScrolling(path, width));
            }
        } finally {
            resize(1280);
        }
        assertEquals(List.of(), faults, path + ": " + faults.size() + " checks failed");
    }

    private static void judge(List<String> faults, String what, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            faults.add(what + ": " + e.getMessage());
        }
    }

    @Test
    void theComunesMenuOpenedOnAPhoneHasNoViolations() {
        try {
            open("/", 360);
            browser.driver.findElement(By.cssSelector(".menu-comune > summary")).click();
            assertTrue(browser.driver.findElement(By.cssSelector("[data-element=management]")).isDisplayed(), "the menu opens without JavaScript");
            checkAxe("/ at 360 px, menu open");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    private static void checkAxe(String path) {
        Results results = Axe.analyze(browser.driver);
        assertFalse(results.isErrored(), "axe could not run: " + results.getErrorMessage());
        assertTrue(results.getPasses().size() > 10, "axe ran its rules: " + results.getPasses().size() + " passed");
        System.out.printf("axe %s: %d violations, %d rules passed, %d need review%s%n", path, results.getViolations().size(),
                results.getPasses().size(), results.getIncomplete().size(), describe(results.getIncomplete(), false));
        assertEquals(List.of(), results.getViolations().stream().map(Rule::getId).toList(),
                path + ": WCAG 2.2 AA or best-practice violations" + describe(results.getViolations(), true));
    }

    /**
     * The first screen of a phone (360 × 780) and of a laptop (1280 × 800) answers "does my
     * service work, what do I do instead, until when": every service not fully working, with its
     * state, link and what instead, inside the window; on the phone the header takes at most a
     * quarter of it. Measured after the fonts have loaded, as a resident sees it.
     */
    @ParameterizedTest(name = "{0} × {1}")
    @org.junit.jupiter.params.provider.CsvSource({"360, 780", "1280, 800"})
    void theFirstScreenAnswersWhichServicesDoNotWorkWhatInsteadAndUntilWhen(int width, int height) {
        try {
            browser.driver.manage().window().setSize(new Dimension(width, height));
            browser.driver.get(server.url("/"));
            // the window's size includes the browser's own bars: make the page's viewport the size asked
            long bars = height - number("return window.innerHeight");
            browser.driver.manage().window().setSize(new Dimension(width, (int) (height + bars)));
            browser.driver.get(server.url("/"));
            browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));");
            long screen = number("return window.innerHeight");
            assertEquals(height, screen, "the window is really " + height + " px high");
            double header = decimal("return document.querySelector('header').getBoundingClientRect().height");
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> lines = (List<java.util.Map<String, Object>>) browser.driver.executeScript(
                    "return [...document.querySelectorAll('main .attention-line')].map(e => ({"
                    + " name: e.querySelector('a.service-name[href^=\"/servizi/\"]').textContent.trim(),"
                    + " state: e.querySelector('.state-label').textContent.trim(),"
                    + " instead: (e.querySelector('.attention-instead') || {textContent: ''}).textContent.trim(),"
                    + " bottom: e.getBoundingClientRect().bottom }))");
            double firstNotice = decimal("return document.querySelector('main .notice-card').getBoundingClientRect().top");
            double lastLine = lines.stream().mapToDouble(l -> ((Number) l.get("bottom")).doubleValue()).max().orElse(0);
            System.out.printf("first screen %d×%d: header %.0f px, last service not fully working ends at %.0f px, first avviso at %.0f px%n",
                    width, height, header, lastLine, firstNotice);
            assertEquals(6, lines.size(), "the six services not fully working: " + lines);
            for (var line : lines) {
                assertTrue(((Number) line.get("bottom")).doubleValue() <= screen, line.get("name") + " is below the first screen: " + line);
                assertFalse(String.valueOf(line.get("state")).isBlank(), "its state: " + line);
                assertFalse(String.valueOf(line.get("instead")).isBlank(), "what instead, until when: " + line);
            }
            if (width < 600) assertTrue(header <= screen / 4.0, "the header takes " + header + " px of " + screen);
            assertTrue(firstNotice > lastLine, "then the avvisi");
            if (width >= 1280) assertTrue(firstNotice < screen, "the avvisi start in the first screen: " + firstNotice);
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    /** No horizontal scrolling at the given width: the page shown, its window narrowed. */
    private static void reflowsWithoutHorizontalScrolling(String path, int width) {
        resize(width);
        @SuppressWarnings("unchecked")
        List<Number> widths = (List<Number>) browser.driver.executeScript("return [window.innerWidth, document.documentElement.scrollWidth]");
        long viewport = widths.get(0).longValue();
        assertEquals(width, viewport, "the window is really " + width + " px wide");
        long content = widths.get(1).longValue();
        assertTrue(content <= viewport, path + " at " + width + " px is " + content + " px wide: " + widest());
    }

    /**
     * On the page just loaded, before axe is put into it. What the page holds is read in one
     * script once its fonts are ready (32 pages: the round trips add up), then judged claim by claim.
     */
    private static void loadsItsStylesAndFontsFromThisHostWithNoScriptAndNoCookie(String path) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> page = (java.util.Map<String, Object>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "document.fonts.ready.then(() => done({"
                + " kit: getComputedStyle(document.documentElement).getPropertyValue('--bootstrap-italia-version').trim(),"
                + " titillium: document.fonts.check('600 1em \"Titillium Web\"')"
                + " && [...document.fonts].some(f => f.family.includes('Titillium') && f.status === 'loaded'),"
                // an avviso's schema.org block is data (application/ld+json, never run); nothing else is a script
                + " scripts: [...document.scripts].filter(s => s.type !== 'application/ld+json' || s.src).length,"
                + " blocks: [...document.scripts].length,"
                + " cookie: document.cookie,"
                + " foreign: performance.getEntriesByType('resource').map(e => e.name).filter(u => new URL(u).origin !== location.origin)"
                + "}));");
        assertEquals("\"2.17.0\"", String.valueOf(page.get("kit")));
        assertEquals(Boolean.TRUE, page.get("titillium"), "Titillium Web is loaded from the kit");
        assertEquals(0L, ((Number) page.get("scripts")).longValue(), "no JavaScript: the page works without it");
        assertTrue(((Number) page.get("blocks")).longValue() <= 1, "at most the one JSON-LD block");
        assertEquals("", page.get("cookie"));
        assertTrue(browser.driver.manage().getCookies().isEmpty(), "a resident gets no cookie");
        assertEquals(List.of(), page.get("foreign"), "nothing is loaded from another host");
    }

    @Test
    void aKeyboardUserSkipsToTheContentAndReachesEveryLink() {
        open("/", 1280);
        Actions keys = new Actions(browser.driver);
        keys.sendKeys(Keys.TAB).perform();
        WebElement skip = browser.driver.switchTo().activeElement();
        assertEquals("Vai al contenuto principale", skip.getText());
        assertTrue(skip.isDisplayed() && skip.getRect().getWidth() > 10, "the skip link shows itself when focused");
        assertFalse(String.valueOf(browser.driver.executeScript(
                "return getComputedStyle(document.activeElement).outlineStyle + getComputedStyle(document.activeElement).boxShadow"))
                .equals("nonenone"), "the focus is visible");
        keys.sendKeys(Keys.ENTER).perform();
        assertTrue(browser.driver.getCurrentUrl().endsWith("#main"));
        keys.sendKeys(Keys.TAB).perform();
        WebElement first = browser.driver.switchTo().activeElement();
        assertTrue((Boolean) browser.driver.executeScript("return document.querySelector('main').contains(arguments[0])", first),
                "after the skip link the next stop is inside the content: " + first.getText());
        // every link and control of the page is reachable with Tab, in document order
        // what Tab stops at: visible links and controls, a folded menu's summary, one stop per radio group
        long focusable = number("const seen = new Set(); return [...document.querySelectorAll("
                + "'a[href], button, input:not([type=hidden]), select, textarea, summary')]"
                + ".filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')"
                + ".filter(e => e.type !== 'radio' || (!seen.has(e.name) && seen.add(e.name))).length");
        int reached = 0;
        open("/", 1280);
        for (int i = 0; i < focusable + 5; i++) {
            keys.sendKeys(Keys.TAB).perform();
            // 1: a new element has the focus; 0: one already visited (Tab went round); -1: focus left the page
            long step = number("const e = document.activeElement; if (e === document.body || e === null) return -1;"
                    + " if (e.dataset.visited) return 0; e.dataset.visited = '1'; return 1;");
            if (step != 1) break;
            reached++;
        }
        assertEquals(focusable, reached, "Tab reaches every link of the home page");
    }

    @Test
    void theLanguageSwitcherIsALinkToTheSamePage() {
        open("/servizi/stato-civile", 1280);
        assertEquals("it", browser.driver.findElement(By.tagName("html")).getAttribute("lang"));
        browser.driver.findElement(By.cssSelector(".language-switcher a[lang=de]")).click();
        assertTrue(browser.driver.getCurrentUrl().endsWith("/de/servizi/stato-civile"), browser.driver.getCurrentUrl());
        assertEquals("de", browser.driver.findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals("Status des Dienstes", browser.driver.findElement(By.id("state-title")).getText());
        assertTrue(browser.driver.manage().getCookies().isEmpty(), "the choice is in the address, not in a cookie");
    }

    @Test
    void theHarnessFindsViolationsWhereThereAreSome() {
        // the same browser and rules on a page with known faults: a passing page means something
        String broken = "<!DOCTYPE html><html><head><title>x</title></head><body>"
                + "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"><input type=\"text\">"
                + "<p style=\"color:#bbb;background:#fff\">testo poco leggibile</p><a href=\"#\"></a></body></html>";
        browser.driver.get("data:text/html;charset=utf-8," + URLEncoder.encode(broken, StandardCharsets.UTF_8).replace("+", "%20"));
        List<String> found = Axe.analyze(browser.driver).getViolations().stream()
                .map(Rule::getId).toList();
        assertTrue(found.containsAll(List.of("html-has-lang", "image-alt", "label", "color-contrast", "link-name")), found.toString());
    }

    private static void open(String path, int width) {
        browser.driver.manage().window().setSize(new Dimension(width, 900));
        browser.driver.get(server.url(path));
    }

    private static void resize(int width) {
        browser.driver.manage().window().setSize(new Dimension(width, 900));
    }

    private static double decimal(String script) {
        return ((Number) browser.driver.executeScript(script)).doubleValue();
    }

    private static long number(String script) {
        return ((Number) browser.driver.executeScript(script)).longValue();
    }

    /** The elements that stick out of the window, for the failure message. */
    private static String widest() {
        return String.valueOf(browser.driver.executeScript("return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' → ' + Math.round(e.getBoundingClientRect().right)).join('; ')"));
    }

    private static String describe(List<Rule> rules, boolean withNodes) {
        if (rules.isEmpty()) return "";
        return rules.stream().map(r -> "\n  " + r.getId() + " (" + r.getImpact() + "): " + r.getHelp()
                        + (withNodes ? r.getNodes().stream().limit(5)
                        .map(n -> "\n      " + n.getTarget() + "  " + summary(n)).collect(Collectors.joining()) : ""))
                .collect(Collectors.joining());
    }

    private static String summary(CheckedNode n) {
        String s = n.getFailureSummary() == null ? n.getHtml() : n.getFailureSummary();
        return s.replace('\n', ' ');
    }
}
