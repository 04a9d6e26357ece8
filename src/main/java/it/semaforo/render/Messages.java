package it.semaforo.render;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The UI strings of one language, from the bundles in i18n/ (Italian is the base bundle). */
public final class Messages {
    private final ResourceBundle bundle;
    /** Where a key missing from another bundle is looked for: the residents' strings. */
    private final ResourceBundle shared;
    private final Locale locale;

    /** The residents' strings: i18n/messages. */
    public Messages(Locale locale) {
        this("i18n.messages", locale);
    }

    /** The strings of another bundle (the clerks' area: i18n.admin), Italian as its base. */
    public Messages(String bundleName, Locale locale) {
        this.locale = locale;
        // Base bundle is Italian: never fall back to the JVM's default locale.
        this.bundle = bundle(bundleName, locale);
        this.shared = bundleName.equals("i18n.messages") ? null : bundle("i18n.messages", locale);
    }

    private static ResourceBundle bundle(String name, Locale locale) {
        return ResourceBundle.getBundle(name, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public Locale locale() {
        return locale;
    }

    /** The language tag for html lang and feeds. */
    public String lang() {
        return locale.getLanguage().isEmpty() ? "it" : locale.getLanguage();
    }

    /** Every message goes through MessageFormat, so an apostrophe is always written '' in the bundles. */
    public String t(String key, Object... args) {
        String pattern;
        try {
            pattern = shared != null && !bundle.containsKey(key) ? shared.getString(key) : bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("missing message " + key + " for " + locale, e);
        }
        // MessageFormat parses its pattern on every call; most strings need only what it would do with
        // no argument, or with text arguments in plain {n} places: the same result, done directly
        if (pattern.indexOf('\'') < 0) {
            if (pattern.indexOf('{') < 0) return pattern;
            String plain = substituted(pattern, args);
            if (plain != null) return plain;
        }
        return new MessageFormat(pattern, locale).format(args);
    }

    /** pattern with each {n} replaced by the text args[n]; null when it has anything else for MessageFormat. */
    static String substituted(String pattern, Object[] args) {
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '}') return null;
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int close = pattern.indexOf('}', i);
            if (close != i + 2) return null;   // {10}, {0,number}, an empty or unclosed brace
            int n = pattern.charAt(i + 1) - '0';
            if (n < 0 || n > 9 || n >= args.length || !(args[n] instanceof String text)) return null;
            out.append(text);
            i = close + 1;
        }
        return out.toString();
    }
}
