package it.semaforo.web;

import org.junit.jupiter.api.Test;

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
 * Every interface language is complete. ResourceBundle silently falls back to the Italian base
 * bundle for a missing key, so the files themselves are compared here, key by key.
 */
class MessageBundlesTest {
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)");

    static Properties bundle(Locale l) {
        String name = "/i18n/messages" + (l.equals(Locale.ITALIAN) ? "" : "_" + l.getLanguage()) + ".properties";
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is missing");
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyLanguageHasExactlyTheKeysOfTheItalianBundle() {
        Set<String> italian = new TreeSet<>(bundle(Locale.ITALIAN).stringPropertyNames());
        assertTrue(italian.size() > 100, "the base bundle is loaded: " + italian.size());
        for (Locale l : Lang.SUPPORTED) {
            Set<String> keys = new TreeSet<>(bundle(l).stringPropertyNames());
            Set<String> missing = new TreeSet<>(italian);
            missing.removeAll(keys);
            Set<String> extra = new TreeSet<>(keys);
            extra.removeAll(italian);
            assertEquals(Set.of(), missing, "keys missing in the " + l.getDisplayLanguage(Locale.ENGLISH) + " bundle");
            assertEquals(Set.of(), extra, "keys in the " + l.getDisplayLanguage(Locale.ENGLISH) + " bundle that Italian lacks");
        }
    }

    @Test
    void everyTranslationIsAValidPatternWithTheSameArguments() {
        Properties italian = bundle(Locale.ITALIAN);
        for (Locale l : Lang.SUPPORTED) {
            Properties p = bundle(l);
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

    private static Set<String> arguments(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher m = ARGUMENT.matcher(pattern);
        while (m.find()) found.add(m.group(1));
        return found;
    }
}
