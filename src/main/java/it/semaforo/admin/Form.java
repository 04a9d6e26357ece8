package it.semaforo.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a clerk typed into a form, kept as typed so that a refused submission shows it again,
 * with at most one Italian error message per field.
 */
public final class Form {
    private final Map<String, String> values;
    private final Map<String, String> errors = new LinkedHashMap<>();

    private Form(Map<String, String> values) {
        this.values = values;
    }

    public static Form empty() {
        return new Form(new LinkedHashMap<>());
    }

    /** The first value of every submitted field, line ends made \n. */
    public static Form of(Map<String, List<String>> params) {
        Map<String, String> values = new LinkedHashMap<>();
        params.forEach((name, list) -> {
            if (list != null && !list.isEmpty() && list.get(0) != null) {
                values.put(name, list.get(0).replace("\r\n", "\n").replace('\r', '\n'));
            }
        });
        return new Form(values);
    }

    /** The value as typed, "" when absent. */
    public String get(String name) {
        return values.getOrDefault(name, "");
    }

    /** The value without surrounding blanks. */
    public String text(String name) {
        return get(name).strip();
    }

    public boolean is(String name, String value) {
        return get(name).equals(value);
    }

    /** A ticked checkbox. */
    public boolean checked(String name) {
        return !get(name).isEmpty();
    }

    public Form set(String name, String value) {
        values.put(name, value == null ? "" : value);
        return this;
    }

    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Records an error on a field; the first one found for a field is the one shown. */
    public void reject(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    public String error(String name) {
        return errors.get(name);
    }

    public boolean hasError(String name) {
        return errors.containsKey(name);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public Map<String, String> errors() {
        return Collections.unmodifiableMap(errors);
    }
}
