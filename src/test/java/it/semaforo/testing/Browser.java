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
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = System.getProperty("semaforo.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("semaforo.chromedriver", "/usr/bin/chromedriver");
    /** Selenium looks for DevTools bindings matching the browser version; we use none, so its warning is noise. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    public final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser whose preferred language is the given Accept-Language list ("it-IT,it"). */
    public static Browser start(String acceptLanguage) {
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
            return new Browser(driver, profile);
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

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            Scratch.delete(profile);
        }
    }
}
