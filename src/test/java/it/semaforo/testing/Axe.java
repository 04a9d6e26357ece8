package it.semaforo.testing;

import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.providers.StringAxeScriptProvider;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The axe-core rules every browser test runs, and the one way they run them. */
public final class Axe {
    /** WCAG 2.2 A and AA (2.0 and 2.1 included) and Deque's best practices. */
    public static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice");

    /** The widths every page is judged at: a desktop window and a phone. */
    public static final List<Integer> WIDTHS = List.of(1280, 360);

    /** axe-core as axe-core-selenium bundles it (the same file its own injection reads). */
    private static final String SCRIPT = bundledAxe();

    private Axe() {
    }

    /**
     * axe with TAGS on the page the driver shows, run in the page itself (axe-core-selenium's
     * legacy mode: axe injected into the page and each of its frames, then axe.run). The default
     * mode opens about:blank in a second window for every run to merge the frames' results there,
     * which costs more than the run on our pages (none embeds a cross-origin frame) and on a
     * loaded machine failed to switch back ("switchToWindow failed"). The rules and the page
     * judged are the same. Every node is reported for violations and for what needs review;
     * rules passed or not applicable are listed with one node each (axe's resultTypes), which
     * spares serialising and parsing every passing node of the page.
     *
     * <p>axe-core-selenium evaluates its 550 kB script twice per run (once on its own, once with
     * the frames); the browser compiling it was a third of a run's time. Here it is evaluated in
     * a document (the page, then each frame, as before) only when that document has no axe yet:
     * once per page load, and not again when the same page is judged at another width.
     */
    public static Results analyze(WebDriver driver) {
        AxeRunOptions options = new AxeRunOptions();
        options.setResultTypes(List.of("violations", "incomplete"));
        AxeBuilder axe = new AxeBuilder().setAxeScriptProvider(new StringAxeScriptProvider(SCRIPT))
                .withOptions(options).withTags(TAGS).setLegacyMode(true);
        axe.setInjectAxe(Axe::injectUnlessPresent, false);
        return axe.analyze(driver);
    }

    private static void injectUnlessPresent(WebDriver driver) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object' && typeof window.axe.run === 'function'"))) {
            js.executeScript(SCRIPT);
        }
    }

    private static String bundledAxe() {
        try (InputStream in = AxeBuilder.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) throw new IllegalStateException("axe.min.js is missing from axe-core-selenium");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
