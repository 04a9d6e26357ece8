package it.semaforo.render;

import gg.jte.TemplateOutput;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A template's output as UTF-8 in one growing array: the fixed text comes pre-encoded
 * (binaryStaticContent), text of ASCII characters is copied a character at a time, any other is
 * encoded. jte's Utf8ByteOutput keeps every piece as an array of its own and joins thousands of
 * them at the end, which was some 10 % of a static export's CPU.
 */
final class ByteOutput implements TemplateOutput {
    private byte[] bytes;
    private int size;

    ByteOutput(int capacity) {
        bytes = new byte[capacity];
    }

    @Override
    public void writeContent(String s) {
        writeContent(s, 0, s.length());
    }

    @Override
    public void writeContent(String s, int from, int to) {
        ensure(to - from);
        byte[] b = bytes;
        int at = size;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {   // anything but ASCII: the rest through the JDK's encoder
                size = at;
                writeBinaryContent(s.substring(i, to).getBytes(StandardCharsets.UTF_8));
                return;
            }
            b[at++] = (byte) c;
        }
        size = at;
    }

    @Override
    public void writeBinaryContent(byte[] content) {
        ensure(content.length);
        System.arraycopy(content, 0, bytes, size, content.length);
        size += content.length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
