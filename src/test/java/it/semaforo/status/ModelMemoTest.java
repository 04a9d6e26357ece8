package it.semaforo.status;

import it.semaforo.service.Catalog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a ModelMemo keeps: by count or by weight, the least recently used going first, nothing past its model. */
class ModelMemoTest {
    private static ReadModel model() {
        return new ReadModel(Instant.parse("2026-12-08T00:00:00Z"), ZoneId.of("Europe/Rome"),
                new Catalog(List.of(), List.of(), List.of()), List.of(), List::of, Instant.MAX);
    }

    @Test
    void keepsAtMostSoManyTheLeastRecentlyUsedGoingFirst() {
        ReadModel m = model();
        List<String> derived = new ArrayList<>();
        ModelMemo<String, String> memo = new ModelMemo<>(2);
        for (String k : List.of("a", "b", "a", "c", "a", "b")) memo.get(m, k, key -> { derived.add(key); return key.toUpperCase(); });
        // a, b derived; a kept; c pushes out b (a was used after it); a kept; b derived again
        assertEquals(List.of("a", "b", "c", "b"), derived);
    }

    @Test
    void keepsAtMostSoMuchWeightAndNothingHeavierThanThat() {
        ReadModel m = model();
        List<String> derived = new ArrayList<>();
        ModelMemo<String, byte[]> memo = new ModelMemo<>(10, b -> b.length);
        java.util.function.Function<String, byte[]> bytes = key -> { derived.add(key); return new byte[Integer.parseInt(key.substring(1))]; };
        for (String k : List.of("a4", "b4", "a4", "c4", "a4", "b4", "d11", "d11", "a4")) memo.get(m, k, bytes);
        // a4 b4 (8); c4 makes 12: b4 goes (a4 used last); b4 again pushes out c4; d11 is never kept, and pushes out nothing it need not
        assertEquals(List.of("a4", "b4", "c4", "b4", "d11", "d11"), derived);
    }

    @Test
    void aNewModelStartsAfresh() {
        List<String> derived = new ArrayList<>();
        ModelMemo<String, String> memo = new ModelMemo<>(8);
        ReadModel first = model();
        memo.get(first, "a", key -> { derived.add(key); return key; });
        memo.get(first, "a", key -> { derived.add(key); return key; });
        memo.get(model(), "a", key -> { derived.add(key); return key; });
        assertEquals(List.of("a", "a"), derived);
    }
}
