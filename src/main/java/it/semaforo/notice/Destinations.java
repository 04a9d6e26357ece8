package it.semaforo.notice;

import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an avviso's text sends residents: the web addresses (links, bare domains, e-mail
 * addresses) and the phone numbers it names. A fake avviso sends residents to the attacker's
 * site or number, so the preview warns of those outside the comune's domains and the
 * services' channels. A warning, not a refusal: the clerk judges.
 */
public final class Destinations {
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>\"'()\\[\\]{}]+");
    private static final Pattern EMAIL = Pattern.compile("(?i)[a-z0-9._%+-]+@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,24})\\b");
    /**
     * A bare domain ("rimborsi-comune.it"): only with a top-level domain people type, so that
     * Italian abbreviations such as "sig.ra" or "dott.ssa" are not taken for one.
     */
    private static final Pattern BARE = Pattern.compile("(?i)(?<![\\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+"
            + "(?:it|eu|com|net|org|info|biz|io|co|me|app|online|site|link|click|xyz|top|shop|live|gov|edu|example))(?![\\w-])");
    /** Digits with spaces, dots, dashes or slashes between them, maybe after + or 00. */
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+/.,-])(?:\\+|00)?\\d(?:[ .\\-/]?\\d){5,14}(?![\\w/])");
    private static final Pattern DATE = Pattern.compile("\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}");

    private Destinations() {
    }

    /** What a text names that is not ours: hosts outside the domains, numbers outside the known ones. */
    public record Foreign(List<String> hosts, List<String> phones) {
        public boolean isEmpty() {
            return hosts.isEmpty() && phones.isEmpty();
        }
    }

    /**
     * The hosts of an avviso's texts outside domains (each allowing its subdomains) and its
     * phone numbers outside knownPhones (compared by their digits, with or without +39).
     */
    public static Foreign foreign(Notice n, Set<String> domains, Set<String> knownPhones) {
        StringBuilder text = new StringBuilder().append(n.title()).append('\n').append(n.summary()).append('\n')
                .append(n.body()).append('\n');
        if (!n.details().isEmpty()) text.append(n.details().toJson()).append('\n');
        n.updates().forEach(u -> text.append(u.body()).append('\n'));
        return foreign(text.toString(), domains, knownPhones);
    }

    public static Foreign foreign(String text, Set<String> domains, Set<String> knownPhones) {
        Set<String> allowed = new LinkedHashSet<>();
        for (String d : domains) {
            String h = host(d);
            if (!h.isEmpty()) allowed.add(h);
        }
        Set<String> known = new LinkedHashSet<>();
        for (String p : knownPhones) {
            String d = digits(p);
            if (!d.isEmpty()) known.add(d);
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : hosts(text)) {
            if (allowed.stream().noneMatch(a -> h.equals(a) || h.endsWith("." + a))) hosts.add(h);
        }
        Set<String> phones = new LinkedHashSet<>();
        for (String p : phones(text)) {
            if (!known.contains(digits(p))) phones.add(p);
        }
        return new Foreign(List.copyOf(hosts), List.copyOf(phones));
    }

    /** Every host a text names, lower-case, in order, once. */
    public static List<String> hosts(String text) {
        Set<String> found = new LinkedHashSet<>();
        StringBuilder rest = new StringBuilder(text);
        Matcher m = URL.matcher(text);
        while (m.find()) {
            found.add(host(m.group()));
            blank(rest, m.start(), m.end());
        }
        m = EMAIL.matcher(rest);
        while (m.find()) {
            found.add(host(m.group(1)));
            blank(rest, m.start(), m.end());
        }
        m = BARE.matcher(rest);
        while (m.find()) found.add(host(m.group(1)));
        found.remove("");
        return new ArrayList<>(found);
    }

    /** Every phone number a text names, as written. */
    public static List<String> phones(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = PHONE.matcher(text);
        while (m.find()) {
            String p = m.group().strip();
            if (DATE.matcher(p).matches()) continue;
            String d = digits(p);
            // Italian numbers: landlines start with 0, mobiles with 3, free numbers with 8; any with +
            boolean international = p.startsWith("+") || p.startsWith("00");
            if (d.length() < 6 || d.length() > 13) continue;
            if (!international && "038".indexOf(d.charAt(0)) < 0) continue;
            found.add(p);
        }
        return new ArrayList<>(found);
    }

    /** The digits of a number, without the Italian prefix: "+39 0123 456789" and "0123456789" are one number. */
    public static String digits(String phone) {
        String d = phone.replaceAll("[^0-9]", "");
        if (phone.strip().startsWith("+39") || d.startsWith("0039")) d = d.substring(phone.strip().startsWith("+") ? 2 : 4);
        return d;
    }

    /** The host of an address or domain, lower-case, in ASCII, without "www." or a trailing dot. */
    public static String host(String address) {
        String h = address.strip().toLowerCase(Locale.ROOT);
        h = h.replaceFirst("^[a-z][a-z0-9+.-]*://", "");
        int end = h.length();
        for (char c : new char[]{'/', '?', '#', ':'}) {
            int i = h.indexOf(c);
            if (i >= 0) end = Math.min(end, i);
        }
        h = h.substring(0, end).replaceAll("[.,;:!?]+$", "");
        int at = h.lastIndexOf('@');
        if (at >= 0) h = h.substring(at + 1);
        while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.startsWith("www.")) h = h.substring(4);
        try {
            return IDN.toASCII(h);
        } catch (IllegalArgumentException e) {
            return h;
        }
    }

    private static void blank(StringBuilder sb, int start, int end) {
        for (int i = start; i < end; i++) sb.setCharAt(i, ' ');
    }
}
