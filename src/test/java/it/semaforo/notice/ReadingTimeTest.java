package it.semaforo.notice;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The word count of the reading time is the one split("\\s+") gave, without the regular expression. */
class ReadingTimeTest {
    @Test
    void wordsAsTheRegularExpressionCountsThem() {
        char[] alphabet = {'a', 'b', ' ', '\t', '\n', '\r', '\f', '\u000B', '\u0001', '\u001C', '\u2003', '\u00A0', '日', '\uD83D', '\uDE00', '.'};
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            char[] text = new char[random.nextInt(12)];
            for (int j = 0; j < text.length; j++) text[j] = alphabet[random.nextInt(alphabet.length)];
            String s = new String(text).trim();
            long expected = Arrays.stream(s.split("\\s+")).filter(w -> !w.isBlank()).count();
            assertEquals(expected, Notice.words(s), () -> "'" + s + "' " + Arrays.toString(s.chars().toArray()));
        }
    }
}
