package it.semaforo.status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Values an output derives from one read model (an archive list, a feed's avvisi), kept while
 * that model is the current one: the static copies render one list or feed in several languages
 * and forms one after the other, and each should read the database once. At most size values
 * are kept, the least recently used going first; a new model (any change) starts afresh.
 */
public final class ModelMemo<K, V> {
    private ReadModel model;
    private final Map<K, V> values;

    public ModelMemo(int size) {
        this.values = new LinkedHashMap<>(size, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }

    /** The value for key derived from m: kept, or derived now (outside the lock: a slow read holds up no other). */
    public V get(ReadModel m, K key, Function<K, V> derive) {
        synchronized (this) {
            if (model == m && values.containsKey(key)) return values.get(key);
        }
        V value = derive.apply(key);
        synchronized (this) {
            if (model != m) {   // what was kept for an older model goes
                model = m;
                values.clear();
            }
            values.put(key, value);
        }
        return value;
    }
}
