package it.semaforo.testing;

import java.util.List;

/** The axe-core rules every browser test runs: WCAG 2.2 A and AA (2.0 and 2.1 included) and Deque's best practices. */
public final class Axe {
    public static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice");

    /** The widths every page is judged at: a desktop window and a phone. */
    public static final List<Integer> WIDTHS = List.of(1280, 360);

    private Axe() {
    }
}
