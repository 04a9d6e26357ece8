package it.semaforo.admin;

import it.semaforo.testing.Browser;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A clerk with no mouse: signs in, writes an avviso, previews and publishes it with Tab,
 * Shift+Tab, typing, arrow keys, Space and Enter only, all sent to whatever has the focus (no
 * click, no script setting a value). The avviso is then on the public home page.
 */
class AdminKeyboardTest {
    static final String TITLE = "Anagrafe: certificati solo allo sportello";
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")), AdminTesting.settings());
    static Browser browser;
    static long cartaIdentita;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "lucia.neri", Role.EDITOR);
        cartaIdentita = server.app().services().load().service("carta-identita").orElseThrow().id();
        browser = Browser.shared("it-IT,it");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @Test
    void aClerkPublishesAnAvvisoWithTheKeyboardAlone() {
        List<String> path = new ArrayList<>();
        browser.driver.get(server.url("/admin/login"));

        // sign in: the skip link first, then the form
        press(Keys.TAB);
        assertEquals("Vai al contenuto principale", focused().getText(), "the first stop is the skip link");
        tabTo("f-username", path);
        type("lucia.neri");
        tabTo("f-password", path);
        type(AdminTesting.PASSWORD);
        press(Keys.SHIFT, Keys.TAB);
        assertEquals("f-username", focused().getAttribute("id"), "Shift+Tab goes back to the user name");
        press(Keys.TAB);
        press(Keys.ENTER);
        browser.waitForUrl("/admin\\?esito=accesso$");

        // from the dashboard to the new avviso form
        tabTo(e -> "Scrivi un nuovo avviso".equals(e.getText()), "the link to a new avviso", path);
        press(Keys.ENTER);
        browser.waitForUrl("/admin/avvisi/nuovo$");
        tabTo("f-title", path);
        type(TITLE);
        tabTo("f-kind", path);
        for (int i = 0; i < 5 && !"informazione".equals(focused().getDomProperty("value")); i++) press(Keys.ARROW_DOWN);
        assertEquals("informazione", focused().getDomProperty("value"), "the kind is chosen with the arrow keys");
        for (int i = 0; i < 5 && !"disservizio".equals(focused().getDomProperty("value")); i++) press(Keys.ARROW_UP);
        assertEquals("disservizio", focused().getDomProperty("value"));
        tabTo("f-summary", path);
        type("Il collegamento con l'anagrafe nazionale è interrotto: i certificati si chiedono allo sportello.");
        tabTo("f-body", path);
        type("Lo sportello di via Roma è aperto **dalle 8 alle 13**.");
        tabTo("f-state_s_" + cartaIdentita, path);
        for (int i = 0; i < 10 && !"suspended".equals(focused().getDomProperty("value")); i++) press(Keys.ARROW_DOWN);
        assertEquals("suspended", focused().getDomProperty("value"), "the state is chosen with the arrow keys");
        press(Keys.TAB);
        assertEquals("f-reason_s_" + cartaIdentita, focused().getAttribute("id"), "the reason follows its state");
        type("Anagrafe nazionale non raggiungibile");
        tabTo(e -> "preview".equals(e.getAttribute("value")) && "button".equals(e.getTagName()), "the preview button", path);
        press(Keys.SPACE);

        // the preview, then publication
        browser.waitForUrl("/admin/avvisi/[0-9]+/anteprima$");
        assertEquals(TITLE, browser.driver.findElement(By.cssSelector("article h1")).getText());
        tabTo(e -> "Pubblica ora".equals(e.getText()), "the publish button", path);
        press(Keys.ENTER);
        browser.waitForUrl("esito=pubblicato");
        assertTrue(browser.driver.findElement(By.cssSelector(".flash")).getText().startsWith("Avviso pubblicato"),
                browser.driver.findElement(By.tagName("main")).getText());
        System.out.println("keyboard path: " + String.join(" → ", path));

        // residents see it at the next request
        Document home = Jsoup.parse(server.get("/").body());
        assertTrue(home.select(".notice-title a").eachText().contains(TITLE), home.select(".notice-title a").eachText().toString());
        String state = home.select(".service-line").stream()
                .filter(li -> li.selectFirst(".service-name").text().equals("Carta d'identità elettronica")).findFirst().orElseThrow()
                .selectFirst(".state-label").text();
        assertEquals("Sospeso", state);
        assertFalse(path.isEmpty());
    }

    private static WebElement focused() {
        return browser.driver.switchTo().activeElement();
    }

    private static void press(CharSequence... keys) {
        Actions a = new Actions(browser.driver);
        if (keys.length == 2 && keys[0] == Keys.SHIFT) {
            a.keyDown(Keys.SHIFT).sendKeys(keys[1]).keyUp(Keys.SHIFT).perform();
        } else {
            a.sendKeys(keys).perform();
        }
    }

    private static void type(String text) {
        new Actions(browser.driver).sendKeys(text).perform();
    }

    private static void tabTo(String id, List<String> path) {
        tabTo(e -> id.equals(e.getAttribute("id")), "#" + id, path);
    }

    /** Presses Tab until the focus is on the wanted element; fails if it never gets there. */
    private static void tabTo(Predicate<WebElement> wanted, String what, List<String> path) {
        for (int i = 0; i < 300; i++) {
            if (wanted.test(focused())) {
                path.add(what + " (" + i + " Tab)");
                return;
            }
            press(Keys.TAB);
        }
        fail("Tab never reaches " + what + " on " + browser.driver.getCurrentUrl());
    }
}
