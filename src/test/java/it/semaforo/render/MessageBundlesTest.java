package it.semaforo.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every interface language is complete, for residents (messages) and for clerks (admin).
 * ResourceBundle silently falls back to the Italian base bundle for a missing key, so the files
 * themselves are compared here, key by key.
 */
class MessageBundlesTest {
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)");

    static Properties bundle(Locale l) {
        return bundle("messages", l);
    }

    static Properties bundle(String base, Locale l) {
        String name = "/i18n/" + base + (l.equals(Locale.ITALIAN) ? "" : "_" + l.getLanguage()) + ".properties";
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is missing");
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"messages", "admin"})
    void everyLanguageHasExactlyTheKeysOfTheItalianBundle(String base) {
        Set<String> italian = new TreeSet<>(bundle(base, Locale.ITALIAN).stringPropertyNames());
        assertTrue(italian.size() > 100, "the base bundle is loaded: " + italian.size());
        for (Locale l : Lang.SUPPORTED) {
            Set<String> keys = new TreeSet<>(bundle(base, l).stringPropertyNames());
            Set<String> missing = new TreeSet<>(italian);
            missing.removeAll(keys);
            Set<String> extra = new TreeSet<>(keys);
            extra.removeAll(italian);
            assertEquals(Set.of(), missing, "keys missing in the " + l.getDisplayLanguage(Locale.ENGLISH) + " " + base + " bundle");
            assertEquals(Set.of(), extra, "keys in the " + l.getDisplayLanguage(Locale.ENGLISH) + " " + base + " bundle that Italian lacks");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"messages", "admin"})
    void everyTranslationIsAValidPatternWithTheSameArguments(String base) {
        Properties italian = bundle(base, Locale.ITALIAN);
        for (Locale l : Lang.SUPPORTED) {
            Properties p = bundle(base, l);
            for (String key : p.stringPropertyNames()) {
                String pattern = p.getProperty(key);
                assertFalse(pattern.isBlank(), key + " is empty in " + l);
                new MessageFormat(pattern, l);   // throws on an unbalanced brace or a stray quote
                assertEquals(arguments(italian.getProperty(key)), arguments(pattern),
                        key + " in " + l + " must use the same {n} as Italian: " + pattern);
                // a lone apostrophe starts a quoted section in MessageFormat and eats the arguments
                assertFalse(pattern.replace("''", "").contains("'"), key + " in " + l + " has a single apostrophe: " + pattern);
            }
        }
    }

    @Test
    void theSwitcherNamesEachLanguageInItself() {
        assertEquals("Italiano", new Messages(Locale.ITALIAN).t("language.name"));
        assertEquals("English", new Messages(Locale.ENGLISH).t("language.name"));
        assertEquals("Deutsch", new Messages(Locale.GERMAN).t("language.name"));
        assertEquals("日本語", new Messages(Locale.JAPANESE).t("language.name"));
        // and the bundles are read as UTF-8, apostrophes included
        assertEquals("L'anno deve essere di quattro cifre, ad esempio 2026.", new Messages(Locale.ITALIAN).t("error.400.year", "2026"));
        assertEquals("3 services out of 11 are not fully working.", new Messages(Locale.ENGLISH).t("banner.counts", 3, 11));
    }

    @Test
    void theClerksAreaSpeaksEachLanguage() {
        assertEquals("Area redazione", new Messages("i18n.admin", Locale.ITALIAN).t("admin.title"));
        assertEquals("Editors' area", new Messages("i18n.admin", Locale.ENGLISH).t("admin.title"));
        assertEquals("Redaktionsbereich", new Messages("i18n.admin", Locale.GERMAN).t("admin.title"));
        assertEquals("職員用管理画面", new Messages("i18n.admin", Locale.JAPANESE).t("admin.title"));
        assertEquals("There are 2 errors in the form: please correct and submit again.",
                new Messages("i18n.admin", Locale.ENGLISH).t("admin.form.errors", 2));
        assertEquals("Das Formular enthält einen Fehler: Bitte korrigieren und erneut absenden.",
                new Messages("i18n.admin", Locale.GERMAN).t("admin.form.errors", 1));
    }

    private static Set<String> arguments(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher m = ARGUMENT.matcher(pattern);
        while (m.find()) found.add(m.group(1));
        return found;
    }
}
