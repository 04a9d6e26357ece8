package it.semaforo.render;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages formats plain {n} patterns without MessageFormat: always with MessageFormat's result. */
class MessagesFastPathTest {
    @Test
    void everyMessageOfEveryBundleAsMessageFormatGivesIt() throws Exception {
        int direct = 0;
        for (String bundle : List.of("messages", "admin")) {
            for (String suffix : List.of("", "_en", "_de", "_ja")) {
                Properties p = new Properties();
                try (InputStream in = getClass().getResourceAsStream("/i18n/" + bundle + suffix + ".properties")) {
                    p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
                }
                for (String key : p.stringPropertyNames()) {
                    String pattern = p.getProperty(key);
                    for (Object[] args : List.of(new Object[]{}, new Object[]{"A{1}'b"}, new Object[]{"x", "y & <z>", "3"},
                            new Object[]{"x", 1234, "z"}, new Object[]{null, "y"})) {
                        String fast = pattern.indexOf('\'') < 0 ? Messages.substituted(pattern, args, false) : null;
                        if (fast == null) continue;
                        direct++;
                        assertEquals(new MessageFormat(pattern, Locale.ITALIAN).format(args), fast, key + " " + java.util.Arrays.toString(args));
                    }
                }
            }
        }
        assertTrue(direct > 100, "patterns formatted directly: " + direct);
    }

    /** The residents' strings with numbers too (digits, choices), in each language: what MessageFormat gives. */
    @Test
    void everyResidentsMessageWithNumbersAsMessageFormatGivesIt() throws Exception {
        for (Locale l : Lang.SUPPORTED) {
            Messages messages = new Messages(l);
            String suffix = l.equals(Locale.ITALIAN) ? "" : "_" + l.getLanguage();
            Properties p = new Properties();
            try (InputStream in = getClass().getResourceAsStream("/i18n/messages" + suffix + ".properties")) {
                p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            }
            for (String key : p.stringPropertyNames()) {
                String pattern = p.getProperty(key);
                for (Object[] args : List.of(new Object[]{0, 0, 0, 0}, new Object[]{1, 1, 1, 1}, new Object[]{2, "x", 3, 4},
                        new Object[]{5, 200, 999, 7L}, new Object[]{1000, 1234, 20000L, 1}, new Object[]{-1, 12, 0, 1},
                        new Object[]{3, "a {0} b", "y", "z"}, new Object[]{1.5, 2, 3, 4}, new Object[]{"x", 1234, "z", 1})) {
                    String expected;
                    try {
                        expected = new MessageFormat(pattern, l).format(args);
                    } catch (IllegalArgumentException e) {   // a text where the pattern wants a number: so does t
                        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> messages.t(key, args));
                        continue;
                    }
                    assertEquals(expected, messages.t(key, args), l + " " + key + " " + java.util.Arrays.toString(args));
                }
            }
        }
    }

    @Test
    void edgeCasesFallBackToMessageFormat() {
        for (String pattern : List.of("{0,number}", "{10}", "{ 0 }", "a } b", "{", "{}", "{0", "{a}")) {
            assertEquals(null, Messages.substituted(pattern, new Object[]{"x", "y"}, false), pattern);
        }
        assertEquals(null, Messages.substituted("{2}", new Object[]{"x"}, false));
        assertEquals("x-y-x", Messages.substituted("{0}-{1}-{0}", new Object[]{"x", "y"}, false));
    }
}
