package it.semaforo.testing;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.WebDriver;

import java.util.List;

/** The axe-core rules every browser test runs, and the one way they run them. */
public final class Axe {
    /** WCAG 2.2 A and AA (2.0 and 2.1 included) and Deque's best practices. */
    public static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice");

    /** The widths every page is judged at: a desktop window and a phone. */
    public static final List<Integer> WIDTHS = List.of(1280, 360);

    private Axe() {
    }

    /**
     * axe with TAGS on the page the driver shows. axe-core-selenium opens about:blank in a second
     * window and switches back; on a loaded machine that switch can fail ("switchToWindow
     * failed"): then the extra windows are closed, the same page is loaded again in the first
     * one and axe runs once more, so that a retry never judges another page.
     */
    public static Results analyze(WebDriver driver) {
        String window = driver.getWindowHandle();
        String url = driver.getCurrentUrl();
        try {
            return new AxeBuilder().withTags(TAGS).analyze(driver);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("switchToWindow")) throw e;
            for (String other : driver.getWindowHandles()) {
                if (!other.equals(window)) driver.switchTo().window(other).close();
            }
            driver.switchTo().window(window);
            if (!url.equals(driver.getCurrentUrl())) driver.get(url);
            return new AxeBuilder().withTags(TAGS).analyze(driver);
        }
    }
}
