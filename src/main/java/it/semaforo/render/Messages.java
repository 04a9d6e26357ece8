package it.semaforo.render;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/** The UI strings of one language, from the bundles in i18n/ (Italian is the base bundle). */
public final class Messages {
    private static final String RESIDENTS = "i18n.messages";
    /** Every key of this bundle and language with its pattern (see TABLES). */
    private final Map<String, String> patterns;
    private final String bundleName;
    private final Locale locale;
    /** The patterns of this bundle that PARSED holds parsed (the residents' strings), else none. */
    private final Map<String, Parsed> parsed;
    /** Whether a small whole number is written as its plain digits here (as in every supported language). */
    private final boolean plainDigits;

    /**
     * The bundles' patterns flattened once per supported language when the class loads: a key
     * of the language, else of the base bundle, else (for the clerks' and the mail's bundles) of
     * the residents' strings. A ResourceBundle lookup walks its parents and getBundle walks the
     * caller's stack, several times a page; a constant table, only read, costs one map lookup.
     */
    private static final Map<String, Map<Locale, Map<String, String>>> TABLES = Map.of(
            RESIDENTS, tables(RESIDENTS), "i18n.admin", tables("i18n.admin"), "i18n.notify", tables("i18n.notify"));

    /**
     * The residents' strings that need MessageFormat (numbers, choices, quotes), parsed once per
     * supported language when the class loads: parsing builds number and choice formats, which
     * cost more than the rest of a message, and a static export formats millions. Never used to
     * format (neither is safe to share between threads), only copied or read: a constant table.
     * Parsed from TABLES, the very patterns t() reads (declared after it, so that it is filled).
     */
    private static final Map<Locale, Map<String, Parsed>> PARSED = parseResidents();

    /**
     * A pattern parsed: format, to copy; choice, when the pattern is one choice of argument arg
     * followed by plain text (rest): "{0,choice,1#1 servizio|1<{0} servizi} su {1}.".
     */
    private record Parsed(MessageFormat format, java.text.ChoiceFormat choice, int arg, String rest) {
    }

    /** The residents' strings: i18n/messages. */
    public Messages(Locale locale) {
        this("i18n.messages", locale);
    }

    /** The strings of another bundle (the clerks' area: i18n.admin), Italian as its base. */
    public Messages(String bundleName, Locale locale) {
        this.locale = locale;
        this.bundleName = bundleName;
        Map<String, String> table = TABLES.getOrDefault(bundleName, Map.of()).get(locale);
        this.patterns = table != null ? table : table(bundleName, locale);
        this.parsed = bundleName.equals(RESIDENTS) ? PARSED.getOrDefault(locale, Map.of()) : Map.of();
        this.plainDigits = Lang.SUPPORTED.contains(locale);
    }

    private static Map<Locale, Map<String, String>> tables(String bundleName) {
        Map<Locale, Map<String, String>> all = new HashMap<>();
        for (Locale l : Lang.SUPPORTED) all.put(l, table(bundleName, l));
        return Map.copyOf(all);
    }

    /** One bundle's keys and patterns in one language (Italian, the base bundle, for a key it lacks). */
    private static Map<String, String> table(String bundleName, Locale locale) {
        Map<String, String> patterns = new HashMap<>();
        if (!bundleName.equals(RESIDENTS)) patterns.putAll(table(RESIDENTS, locale));
        ResourceBundle b = bundle(bundleName, locale);
        for (String key : b.keySet()) patterns.put(key, b.getString(key));
        return Map.copyOf(patterns);
    }

    private static Map<Locale, Map<String, Parsed>> parseResidents() {
        Map<Locale, Map<String, Parsed>> all = new HashMap<>();
        for (Locale l : Lang.SUPPORTED) {
            Map<String, Parsed> formats = new HashMap<>();
            for (Map.Entry<String, String> entry : TABLES.get(RESIDENTS).get(l).entrySet()) {
                String key = entry.getKey();
                String pattern = entry.getValue();
                if (pattern.indexOf('\'') < 0 && pattern.indexOf('{') < 0) continue;
                try {
                    formats.put(key, parse(pattern, l));
                } catch (IllegalArgumentException e) {
                    // left to t(), which fails on it with the key's name when a page asks for it
                }
            }
            all.put(l, Map.copyOf(formats));
        }
        return Map.copyOf(all);
    }

    private static Parsed parse(String pattern, Locale l) {
        MessageFormat format = new MessageFormat(pattern, l);
        // "{n,choice," at the start, its closing brace, then text with plain {n} places alone (no quotes anywhere)
        if (pattern.indexOf('\'') < 0 && pattern.length() > 10 && pattern.charAt(0) == '{'
                && Character.isDigit(pattern.charAt(1)) && pattern.startsWith(",choice,", 2)) {
            int depth = 0;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '{') depth++;
                if (c == '}' && --depth == 0) {
                    String rest = pattern.substring(i + 1);
                    if (rest.indexOf('{') >= 0 && substituted(rest, new Object[]{"", "", "", "", "", "", "", "", "", ""}, false) == null) break;
                    return new Parsed(format, new java.text.ChoiceFormat(pattern.substring(10, i)), pattern.charAt(1) - '0', rest);
                }
            }
        }
        return new Parsed(format, null, 0, null);
    }

    /** A bundle whose base is Italian: it never falls back to the JVM's default locale. */
    private static ResourceBundle bundle(String name, Locale locale) {
        return ResourceBundle.getBundle(name, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The bundle these strings come from (i18n.messages, i18n.notify, i18n.admin). */
    String bundleName() {
        return bundleName;
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
        String pattern = patterns.get(key);
        if (pattern == null) throw new IllegalStateException("missing message " + key + " for " + locale);
        // most strings need only what MessageFormat would do with no argument, or with text arguments
        // in plain {n} places: the same result, done directly; the others, parsed once (PARSED)
        if (pattern.indexOf('\'') < 0) {
            if (pattern.indexOf('{') < 0) return pattern;
            String plain = substituted(pattern, args, plainDigits);
            if (plain != null) return plain;
        }
        Parsed once = parsed.get(key);
        if (once == null) return new MessageFormat(pattern, locale).format(args);
        if (once.choice() != null && plainDigits) {
            String chosen = chosen(once, args);
            if (chosen != null) return chosen;
        }
        return ((MessageFormat) once.format().clone()).format(args);
    }

    /**
     * A choice pattern as MessageFormat formats it: the choice for a whole number, itself
     * formatted as a pattern when it has a brace, then the rest; null when it needs MessageFormat.
     */
    private String chosen(Parsed p, Object[] args) {
        if (p.arg() >= args.length || !(args[p.arg()] instanceof Integer || args[p.arg()] instanceof Long)) return null;
        String choice = p.choice().format(((Number) args[p.arg()]).longValue());
        if (choice.indexOf('{') >= 0) choice = substituted(choice, args, true);
        String rest = p.rest().indexOf('{') < 0 ? p.rest() : substituted(p.rest(), args, true);
        return choice == null || rest == null ? null : choice + rest;
    }

    /**
     * pattern with each {n} replaced by the text args[n], and with plainDigits a whole number from
     * 0 to 999 in a {n} place as its digits (what MessageFormat writes for it in every supported
     * language: no grouping below a thousand); null when it has anything else for MessageFormat.
     */
    static String substituted(String pattern, Object[] args, boolean plainDigits) {
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        int i = 0;
        while (true) {
            int open = pattern.indexOf('{', i);
            int close = pattern.indexOf('}', i);
            if (open < 0) {
                if (close >= 0) return null;   // a brace MessageFormat would refuse or read otherwise
                return out.append(pattern, i, pattern.length()).toString();
            }
            if (close != open + 2) return null;   // {10}, {0,number}, an empty or unclosed brace, a } before
            int n = pattern.charAt(open + 1) - '0';
            if (n < 0 || n > 9 || n >= args.length) return null;
            out.append(pattern, i, open);
            if (args[n] instanceof String text) out.append(text);
            else if (plainDigits && smallWhole(args[n])) out.append(((Number) args[n]).longValue());
            else return null;
            i = close + 1;
        }
    }

    private static boolean smallWhole(Object o) {
        return (o instanceof Integer || o instanceof Long) && ((Number) o).longValue() >= 0 && ((Number) o).longValue() < 1000;
    }
}
