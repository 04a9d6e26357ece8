package it.semaforo.render;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** ByteOutput writes the UTF-8 that String.getBytes gives, whatever the text and however it is cut. */
class ByteOutputTest {
    @Test
    void writesWhatTheJdkEncodes() {
        List<String> alphabet = List.of("a", "<", "&", "è", "ß", "日本", "😀", "\uD800", "\uDC00", "\u0000", "\u007F", "\u0080", " ");
        Random random = new Random(21);
        for (int round = 0; round < 2_000; round++) {
            ByteOutput out = new ByteOutput(1 + random.nextInt(64));   // small: it grows
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int piece = random.nextInt(40); piece > 0; piece--) {
                StringBuilder b = new StringBuilder();
                for (int c = random.nextInt(30); c > 0; c--) b.append(alphabet.get(random.nextInt(alphabet.size())));
                String s = b.toString();
                switch (random.nextInt(3)) {
                    case 0 -> {
                        out.writeContent(s);
                        expected.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                    }
                    case 1 -> {
                        int from = s.isEmpty() ? 0 : random.nextInt(s.length());
                        int to = from + (s.length() == from ? 0 : random.nextInt(s.length() - from + 1));
                        out.writeContent(s, from, to);
                        expected.writeBytes(s.substring(from, to).getBytes(StandardCharsets.UTF_8));
                    }
                    default -> {
                        byte[] fixed = s.getBytes(StandardCharsets.UTF_8);
                        out.writeBinaryContent(fixed);
                        expected.writeBytes(fixed);
                    }
                }
            }
            assertArrayEquals(expected.toByteArray(), out.toByteArray());
        }
    }
}
