package it.semaforo.embed;

import it.semaforo.render.Xml;
import it.semaforo.service.ServiceState;

/**
 * A two-part SVG badge, label on dark blue and state on its colour, in the style of the
 * badges on code hosts. Widths come from an estimate of each character, and textLength makes
 * the text fit that width whatever font the viewer has.
 */
final class Badge {
    private static final int HEIGHT = 20;
    private static final int PADDING = 6;
    private static final String LABEL_COLOUR = "#17324d";
    private static final String SVG = "http://www.w3.org/2000/svg";

    private Badge() {
    }

    /** The colours of static/semaforo.css: white text on each of them passes WCAG AA. */
    static String colour(ServiceState state) {
        return switch (state) {
            case OPERATIONAL -> "#008055";
            case DEGRADED -> "#a66300";
            case ALTERNATIVE -> "#0066cc";
            case LIMITED -> "#b34700";
            case MAINTENANCE -> "#5d4b96";
            case SUSPENDED -> "#cc334d";
        };
    }

    static byte[] svg(String label, String value, ServiceState state) {
        label = spaced(label);
        value = spaced(value);
        int labelText = textWidth(label);
        int valueText = textWidth(value);
        int labelWidth = labelText + 2 * PADDING;
        int valueWidth = valueText + 2 * PADDING;
        int width = labelWidth + valueWidth;
        String title = label + ": " + value;
        Xml x = new Xml();   // escapes every value, as the feeds' XML
        x.start("", "svg", SVG).defaultNamespace(SVG).attr("width", String.valueOf(width)).attr("height", String.valueOf(HEIGHT))
                .attr("viewBox", "0 0 " + width + " " + HEIGHT).attr("role", "img").attr("aria-label", title);
        x.element("title", title);
        x.empty("rect").attr("width", String.valueOf(labelWidth)).attr("height", String.valueOf(HEIGHT)).attr("fill", LABEL_COLOUR);
        x.empty("rect").attr("x", String.valueOf(labelWidth)).attr("width", String.valueOf(valueWidth))
                .attr("height", String.valueOf(HEIGHT)).attr("fill", colour(state));
        x.start("g").attr("fill", "#fff").attr("font-family", "Verdana,'DejaVu Sans',sans-serif").attr("font-size", "11")
                .attr("text-anchor", "middle");
        text(x, labelWidth / 2.0, labelText, label);
        text(x, labelWidth + valueWidth / 2.0, valueText, value);
        x.end().end().newline();
        return x.finish();
    }

    private static void text(Xml x, double at, int length, String s) {
        x.start("text").attr("x", String.valueOf(at)).attr("y", "14").attr("textLength", String.valueOf(length))
                .attr("lengthAdjust", "spacingAndGlyphs").text(s).end();
    }

    /** A control character pasted into a name shows as a space, and is measured as one. */
    private static String spaced(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF ? ' ' : cp));
        return out.toString();
    }

    /** Verdana 11 px, roughly: enough for a badge, where textLength does the rest. */
    static int textWidth(String s) {
        double w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (" ".indexOf(cp) >= 0) w += 3.9;
            else if ("fijlrtI.,:;!|'()[]".indexOf(cp) >= 0) w += 4.2;
            else if ("mwMW".indexOf(cp) >= 0) w += 10.5;
            else if (Character.isUpperCase(cp)) w += 7.8;
            else if (Character.isIdeographic(cp) || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA
                    || Character.UnicodeScript.of(cp) == Character.UnicodeScript.KATAKANA) w += 11;
            else w += 6.9;
        }
        return (int) Math.ceil(w);
    }
}
