package it.semaforo.status;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Values an output derives from one read model (an archive list, a feed's avvisi), kept while
 * that model is the current one: the static copies render one list or feed in several languages
 * and forms one after the other, and each should read the database once. At most size values
 * (or values weighing at most so much) are kept, the least recently used going first; a new
 * model (any change) starts afresh.
 */
public final class ModelMemo<K, V> {
    private ReadModel model;
    private final Map<K, V> values = new LinkedHashMap<>(16, 0.75f, true);
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private long weight;

    public ModelMemo(int size) {
        this(size, v -> 1);
    }

    /** Values weighing at most maxWeight in all (weigher: bytes, say); one heavier than that is not kept. */
    public ModelMemo(long maxWeight, ToLongFunction<V> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /** The value for key derived from m: kept, or derived now (outside the lock: a slow read holds up no other). */
    public V get(ReadModel m, K key, Function<K, V> derive) {
        synchronized (this) {
            if (model == m) {
                V kept = values.get(key);
                if (kept != null || values.containsKey(key)) return kept;
            }
        }
        V value = derive.apply(key);
        synchronized (this) {
            if (model != m) {   // what was kept for an older model goes
                model = m;
                values.clear();
                weight = 0;
            }
            long w = weigher.applyAsLong(value);
            if (w > maxWeight) return value;   // kept, it would push out everything else
            V replaced = values.put(key, value);
            if (replaced != null) weight -= weigher.applyAsLong(replaced);
            weight += w;
            for (Iterator<V> eldest = values.values().iterator(); weight > maxWeight && eldest.hasNext(); ) {
                weight -= weigher.applyAsLong(eldest.next());
                eldest.remove();
            }
        }
        return value;
    }
}
