package it.semaforo.text;

/**
 * File names as they are: without the invisible characters that make a name read as something
 * else. A right-to-left override turns "invoice\u202Efdp.exe" into what looks like
 * "invoiceexe.pdf"; zero-width and other format characters hide or split letters. Removed
 * when a name is stored, and again wherever a name is shown or served, for names stored before.
 */
public final class FileNames {
    private FileNames() {
    }

    /** name without format characters (Unicode Cf: bidirectional controls, zero-width ones, soft hyphens, BOM) or controls. */
    public static String shown(String name) {
        if (name == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            boolean hidden = type == Character.FORMAT || type == Character.CONTROL;
            if (hidden && b == null) b = new StringBuilder(name.length()).append(name, 0, i);
            else if (!hidden && b != null) b.appendCodePoint(c);
            i += Character.charCount(c);
        }
        return b == null ? name : b.toString();
    }
}
