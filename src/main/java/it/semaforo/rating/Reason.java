package it.semaforo.rating;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The follow-up answers of the Designers Italia page rating, in the model's order: what went
 * well (four or five stars) and what was hard (one to three). Their Italian wording is the
 * model's, word for word, since AgID's validator compares it (messages*.properties, rating.reason.*).
 */
public enum Reason {
    CLEAR("chiare", true), COMPLETE("complete", true), ON_TRACK("procedura-chiara", true),
    NO_PROBLEMS("nessun-problema", true), OTHER_GOOD("altro", true),
    UNCLEAR("non-chiare", false), INCOMPLETE("non-complete", false), LOST("procedura-incerta", false),
    TECHNICAL("problemi-tecnici", false), OTHER_BAD("altro-difficolta", false);

    /** The rating from which the answer counts as positive: the model's threshold, above three stars. */
    public static final int POSITIVE_FROM = 4;

    private final String key;
    private final boolean positive;

    Reason(String key, boolean positive) {
        this.key = key;
        this.positive = positive;
    }

    public String key() {
        return key;
    }

    public boolean positive() {
        return positive;
    }

    public static List<Reason> positives() {
        return Arrays.stream(values()).filter(Reason::positive).toList();
    }

    public static List<Reason> negatives() {
        return Arrays.stream(values()).filter(r -> !r.positive).toList();
    }

    /** The reason sent with a rating, if it is one of this rating's side; anything else is dropped. */
    public static Optional<Reason> of(String key, int stars) {
        boolean positive = stars >= POSITIVE_FROM;
        return Arrays.stream(values()).filter(r -> r.key.equals(key) && r.positive == positive).findFirst();
    }
}
