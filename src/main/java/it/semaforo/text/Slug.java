package it.semaforo.text;

import java.text.Normalizer;
import java.util.Locale;

/** URL slugs: lower-case ASCII words joined by dashes, accents folded ("città" -> "citta"). */
public final class Slug {
    private Slug() {
    }

    public static String of(String text, String fallback) {
        String folded = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (folded.length() > 80) {
            folded = folded.substring(0, 80).replaceAll("-[^-]*$", "");
        }
        return folded.isEmpty() ? fallback : folded;
    }
}
