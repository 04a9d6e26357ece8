package it.semaforo.web;

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
        // most strings have neither an argument nor a quote: MessageFormat would give them back as they are
        if (pattern.indexOf('{') < 0 && pattern.indexOf('\'') < 0) return pattern;
        return new MessageFormat(pattern, locale).format(args);
    }
}
