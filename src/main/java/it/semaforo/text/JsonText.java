package it.semaforo.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON as text, the one Jackson configuration of the application: what the API answers, what
 * the audit log and an avviso's details store, the JSON-LD of a page and the strings of the
 * banner script. java.time values are written as ISO text, never as numbers.
 */
public final class JsonText {
    /** Configured once here and never changed afterwards, so it may be shared by every thread. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private JsonText() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * JSON that may sit inside an HTML script element or a JavaScript source: "<", ">" and "&"
     * (which JSON has only inside strings) become \\u escapes, so no "</script>" or "<!--" in a
     * value can end or change the element; U+2028 and U+2029 too, which older JavaScript reads
     * as line ends inside a string.
     */
    public static String forScript(Object value) {
        return write(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }
}
