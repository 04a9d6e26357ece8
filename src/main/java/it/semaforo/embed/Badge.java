package it.semaforo.embed;

import it.semaforo.service.ServiceState;

import java.nio.charset.StandardCharsets;

/**
 * A two-part SVG badge, label on dark blue and state on its colour, in the style of the
 * badges on code hosts. Widths come from an estimate of each character, and textLength makes
 * the text fit that width whatever font the viewer has.
 */
final class Badge {
    private static final int HEIGHT = 20;
    private static final int PADDING = 6;
    private static final String LABEL_COLOUR = "#17324d";

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
        int labelText = textWidth(label);
        int valueText = textWidth(value);
        int labelWidth = labelText + 2 * PADDING;
        int valueWidth = valueText + 2 * PADDING;
        int width = labelWidth + valueWidth;
        String title = xml(label + ": " + value);
        String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + HEIGHT + "\""
                + " viewBox=\"0 0 " + width + " " + HEIGHT + "\" role=\"img\" aria-label=\"" + title + "\">"
                + "<title>" + title + "</title>"
                + "<rect width=\"" + labelWidth + "\" height=\"" + HEIGHT + "\" fill=\"" + LABEL_COLOUR + "\"/>"
                + "<rect x=\"" + labelWidth + "\" width=\"" + valueWidth + "\" height=\"" + HEIGHT + "\" fill=\"" + colour(state) + "\"/>"
                + "<g fill=\"#fff\" font-family=\"Verdana,'DejaVu Sans',sans-serif\" font-size=\"11\" text-anchor=\"middle\">"
                + text(labelWidth / 2.0, labelText, label)
                + text(labelWidth + valueWidth / 2.0, valueText, value)
                + "</g></svg>\n";
        return svg.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(double x, int length, String s) {
        return "<text x=\"" + x + "\" y=\"14\" textLength=\"" + length + "\" lengthAdjust=\"spacingAndGlyphs\">"
                + xml(s) + "</text>";
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

    /** Text and attribute values: the five characters XML reserves, and no control characters. */
    static String xml(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) out.append(' ');   // not allowed in XML 1.0
                    else out.appendCodePoint(cp);
                }
            }
        });
        return out.toString();
    }
}
