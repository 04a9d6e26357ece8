package it.semaforo.testing;

import com.deque.html.axecore.args.AxeRunOnlyOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.providers.StringAxeScriptProvider;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.deque.html.axecore.selenium.AxeReporter;
import it.semaforo.text.JsonText;
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
     * axe with TAGS on the page the driver shows, run in the page itself. Every node is reported
     * for violations and for what needs review; rules passed or not applicable are listed with
     * one node each (axe's resultTypes), which spares serialising and parsing every passing node
     * of the page.
     *
     * <p>A document without frames (all of ours) is judged in one round trip: axe.run with the
     * options axe-core-selenium would send, its result handed back as one JSON string and read
     * into the same Results. axe-core-selenium's legacy mode takes half a dozen more per run (its
     * injection looks for frames, asks for runPartial, configures the frames' origins, then runs)
     * and has the driver decode the result object by object: on a busy machine a run took 0.9 s
     * that way and 0.48 s this way (AdminAccessibilityItalianTest). axe's 550 kB script is evaluated only when the document has none yet: once per
     * page load, not again when the same page is judged at another width. A document with frames,
     * or a run that fails, goes through axe-core-selenium as before (injected into every frame,
     * results merged there, errors reported in the Results).
     */
    public static Results analyze(WebDriver driver) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        Object answer = js.executeAsyncScript(RUN, OPTIONS);
        if (ABSENT.equals(answer)) {
            js.executeScript(SCRIPT);
            answer = js.executeAsyncScript(RUN, OPTIONS);
        }
        if (answer instanceof String json && json.startsWith("{")) {
            try {
                return JsonText.MAPPER.readValue(json, Results.class);
            } catch (IOException e) {
                throw new UncheckedIOException("axe's result could not be read", e);
            }
        }
        return throughAxeSelenium(driver);   // frames, or axe failed: its own way, with its error report
    }

    private static Results throughAxeSelenium(WebDriver driver) {
        AxeBuilder axe = new AxeBuilder().setAxeScriptProvider(new StringAxeScriptProvider(SCRIPT))
                .withOptions(options()).withTags(TAGS).setLegacyMode(true);
        axe.setInjectAxe(Axe::injectUnlessPresent, false);
        return axe.analyze(driver);
    }

    private static AxeRunOptions options() {
        AxeRunOptions options = new AxeRunOptions();
        options.setResultTypes(List.of("violations", "incomplete"));
        return options;
    }

    /** What AxeBuilder.withTags(TAGS) sends with options(): the same serialiser, the same object. */
    private static String serialisedOptions() {
        AxeRunOptions options = options();
        AxeRunOnlyOptions only = new AxeRunOnlyOptions();
        only.setType("tag");
        only.setValues(TAGS);
        options.setRunOnly(only);
        return AxeReporter.serialize(options);
    }

    private static final String OPTIONS = serialisedOptions();
    private static final String ABSENT = "axe absent";
    private static final String RUN = "const done = arguments[arguments.length - 1];"
            + "if (document.querySelector('iframe, frame')) { done('frames'); return; }"
            + "if (typeof window.axe !== 'object' || typeof window.axe.run !== 'function') { done('" + ABSENT + "'); return; }"
            + "window.axe.run(document, JSON.parse(arguments[0])).then(r => done(JSON.stringify(r)), e => done('failed: ' + e));";

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
