package it.semaforo.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Both paths are given, so
 * Selenium never looks for (or downloads) a driver; a fresh profile directory per browser.
 * Overridable with -Dsemaforo.chromium=… and -Dsemaforo.chromedriver=… for other systems.
 *
 * <p>A class that only reads pages, types and clicks takes the test JVM's shared browser
 * (shared): starting Chromium and chromedriver is seconds on a busy machine, and the suite's
 * browser classes would start one each. Handed back with close(), it is left as a fresh one
 * would be: every cookie of every host deleted (our servers differ by port only, and cookies
 * do not), the cache cleared, one blank window of 1280 × 900. A class that changes the
 * browser itself (a virtual authenticator) starts its own (start).
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = System.getProperty("semaforo.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("semaforo.chromedriver", "/usr/bin/chromedriver");
    /** Selenium looks for DevTools bindings matching the browser version; we use none, so its warning is noise. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /** The shared browsers of this JVM by Accept-Language, quit when it exits. */
    private static final java.util.Map<String, Browser> SHARED = new java.util.HashMap<>();

    public final ChromeDriver driver;
    private final Path profile;
    private final boolean shared;

    private Browser(ChromeDriver driver, Path profile, boolean shared) {
        this.driver = driver;
        this.profile = profile;
        this.shared = shared;
    }

    /**
     * This JVM's browser for the given Accept-Language list, started on first use, clean (see
     * the class comment). close() hands it back. One class at a time uses it (the test JVMs run
     * one class after another).
     */
    public static synchronized Browser shared(String acceptLanguage) {
        Browser b = SHARED.get(acceptLanguage);
        if (b != null && b.alive()) return b;
        if (b != null) b.quit();
        Browser started = launch(acceptLanguage, true);
        SHARED.put(acceptLanguage, started);
        if (SHARED.size() == 1) {
            Runtime.getRuntime().addShutdownHook(new Thread(Browser::quitShared, "quit shared browsers"));
        }
        return started;
    }

    private static synchronized void quitShared() {
        for (Browser b : SHARED.values()) b.quit();
        SHARED.clear();
    }

    private boolean alive() {
        try {
            driver.getWindowHandles();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A browser of its own whose preferred language is the given Accept-Language list ("it-IT,it"). */
    public static Browser start(String acceptLanguage) {
        return launch(acceptLanguage, false);
    }

    private static Browser launch(String acceptLanguage, boolean shared) {
        for (String exe : new String[]{CHROMIUM, CHROMEDRIVER}) {
            if (!new File(exe).canExecute()) {
                throw new IllegalStateException(exe + " is missing: apt-get install chromium chromium-driver (see README, Browser tests)");
            }
        }
        try {
            Path profile = Files.createTempDirectory("semaforo-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900",
                    "--user-data-dir=" + profile, "--lang=" + acceptLanguage.split(",")[0]);
            options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", acceptLanguage));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new Browser(driver, profile, shared);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A click or key that submits a form returns before the next page is there: wait for its address. */
    public void waitForUrl(String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (!p.matcher(driver.getCurrentUrl()).find()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never reached " + regex + ": " + driver.getCurrentUrl());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Quits a browser of its own; a shared one is cleaned and handed back (quit if it cannot be). */
    @Override
    public void close() {
        if (!shared) {
            quit();
            return;
        }
        try {
            clean();
        } catch (RuntimeException e) {
            synchronized (Browser.class) {
                SHARED.values().remove(this);
            }
            quit();
        }
    }

    /**
     * As a fresh browser: one blank window of 1280 × 900, no cookie of any host, no cache. Storage
     * is per origin, port included, and no two classes share a server's port.
     */
    private void clean() {
        String first = null;
        for (String handle : driver.getWindowHandles()) {
            if (first == null) {
                first = handle;
            } else {
                driver.switchTo().window(handle);
                driver.close();
            }
        }
        driver.switchTo().window(first);
        driver.get("about:blank");
        driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
        driver.executeCdpCommand("Network.clearBrowserCache", java.util.Map.of());
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    }

    private void quit() {
        try {
            driver.quit();
        } finally {
            Scratch.delete(profile);
        }
    }
}
