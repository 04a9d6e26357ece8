package it.semaforo.notice;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An avviso with everything attached to it; details are the fields of its kind, sequence the
 * revision counter raised by every change (its iCalendar SEQUENCE).
 */
public record Notice(long id, String slug, NoticeKind kind, NoticeStatus status, String title, String summary,
                     String body, String language, Instant publishedAt, Instant expiresAt, Instant closedAt,
                     Instant withdrawnAt, Instant windowStart, Instant windowEnd, String author,
                     Instant createdAt, Instant updatedAt, List<Impact> impacts, List<NoticeUpdate> updates,
                     List<Attachment> attachments, NoticeDetails details, int sequence) {

    /** The same avviso with other impacts (which services some of them name). */
    public Notice withImpacts(List<Impact> other) {
        return new Notice(id, slug, kind, status, title, summary, body, language, publishedAt, expiresAt, closedAt,
                withdrawnAt, windowStart, windowEnd, author, createdAt, updatedAt, List.copyOf(other), updates,
                attachments, details, sequence);
    }

    public String path() {
        return "/avvisi/" + id + "-" + slug;
    }

    /** Public at that instant: published and its publication time reached (closed or expired included). */
    public boolean isPublicAt(Instant t) {
        return status == NoticeStatus.PUBLISHED && publishedAt != null && !publishedAt.isAfter(t);
    }

    /** In force: public, not closed, not expired. Only avvisi in force change states and show banners. */
    public boolean isInForceAt(Instant t) {
        return isPublicAt(t) && !isClosedAt(t) && !isExpiredAt(t);
    }

    public boolean isClosedAt(Instant t) {
        return closedAt != null && !closedAt.isAfter(t);
    }

    public boolean isExpiredAt(Instant t) {
        return expiresAt != null && !expiresAt.isAfter(t);
    }

    /** The end of the interval in which the avviso is in force, or null when open-ended. */
    public Instant endOfForce() {
        if (closedAt == null) return expiresAt;
        if (expiresAt == null) return closedAt;
        return closedAt.isBefore(expiresAt) ? closedAt : expiresAt;
    }

    /** The avviso's image: its latest attachment with an alternative text, if any. */
    public Optional<Attachment> image() {
        Attachment image = null;
        for (Attachment a : attachments) if (a.isShownImage()) image = a;
        return Optional.ofNullable(image);
    }

    /** The attachments to download: all but the image shown in the avviso. */
    public List<Attachment> downloads() {
        Optional<Attachment> image = image();
        return image.isEmpty() ? attachments : attachments.stream().filter(a -> a.id() != image.get().id()).toList();
    }

    /** "Ultimo aggiornamento": the latest numbered update, else the publication. */
    public Instant lastUpdatedAt() {
        return latestUpdate().map(NoticeUpdate::createdAt).orElse(publishedAt);
    }

    public Optional<NoticeUpdate> latestUpdate() {
        return updates.stream().max(Comparator.comparingInt(NoticeUpdate::number));
    }

    /** The impacts in force at t: for each target, the latest one that started by t. */
    public List<Impact> impactsAt(Instant t) {
        return impacts.stream()
                .filter(i -> !i.effectiveFrom().isAfter(t))
                .collect(java.util.stream.Collectors.toMap(Impact::targetKey, i -> i,
                        (a, b) -> b.effectiveFrom().isAfter(a.effectiveFrom()) ? b : a, java.util.LinkedHashMap::new))
                .values().stream().toList();
    }

    /** Reading time in minutes at 200 words a minute, at least one. */
    public int readingMinutes() {
        String all = body + " " + updates.stream().map(NoticeUpdate::body).reduce("", (a, b) -> a + " " + b);
        long words = words(all.trim());
        // Japanese and Chinese have no spaces: count their characters, about 500 a minute.
        // no Han, Hiragana or Katakana below U+2E80: the script lookup (a binary search) only above it
        long cjk = all.codePoints().filter(cp -> cp >= 0x2E80 && isCjk(Character.UnicodeScript.of(cp))).count();
        return (int) Math.max(1, Math.ceil(words / 200.0 + cjk / 500.0));
    }

    /**
     * The words of text as split("\\s+") gives them, blank ones left out: runs of characters
     * other than space, tab, line feed, vertical tab, form feed and carriage return, with at
     * least one that is not whitespace. Without the regular expression: every page counts them.
     */
    static long words(String text) {
        long words = 0;
        boolean inWord = false;
        boolean blank = true;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
                if (inWord && !blank) words++;
                inWord = false;
                blank = true;
            } else {
                inWord = true;
                if (!Character.isWhitespace(c)) blank = false;
            }
        }
        return words;
    }

    private static boolean isCjk(Character.UnicodeScript script) {
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }
}
