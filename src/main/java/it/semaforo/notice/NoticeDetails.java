package it.semaforo.notice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.text.JsonText;

import java.util.List;

/**
 * What a kind of avviso says beyond its Markdown body. A data breach (art. 34 GDPR): what
 * happened and when it was discovered, the data involved and not involved, who is concerned,
 * the likely consequences, the measures taken and proposed, what residents should do, the
 * controller and DPO contacts, the notification to the Garante. A security advisory: the
 * recommendations, the official contact channel, the "this is not us" statement, and whether
 * it is pinned to the top of the home page until its expiry. Stored as JSON; empty strings and
 * lists when not said.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NoticeDetails(String breachNature, String breachDiscovered, List<String> dataInvolved,
                            List<String> dataNotInvolved, String subjects, String consequences,
                            List<String> measuresTaken, List<String> measuresProposed, List<String> residentActions,
                            String controller, String dpo, String garanteReference,
                            List<String> recommendations, String officialContact, String notUs, boolean pinned) {
    public static final NoticeDetails NONE = new NoticeDetails(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, false);
    private static final ObjectMapper JSON = JsonText.MAPPER;

    public NoticeDetails {
        breachNature = text(breachNature);
        breachDiscovered = text(breachDiscovered);
        dataInvolved = list(dataInvolved);
        dataNotInvolved = list(dataNotInvolved);
        subjects = text(subjects);
        consequences = text(consequences);
        measuresTaken = list(measuresTaken);
        measuresProposed = list(measuresProposed);
        residentActions = list(residentActions);
        controller = text(controller);
        dpo = text(dpo);
        garanteReference = text(garanteReference);
        recommendations = list(recommendations);
        officialContact = text(officialContact);
        notUs = text(notUs);
    }

    /** A data-breach communication's fields. */
    public static NoticeDetails breach(String nature, String discovered, List<String> involved, List<String> notInvolved,
                                       String subjects, String consequences, List<String> taken, List<String> proposed,
                                       List<String> residentActions, String controller, String dpo, String garante) {
        return new NoticeDetails(nature, discovered, involved, notInvolved, subjects, consequences, taken, proposed,
                residentActions, controller, dpo, garante, null, null, null, false);
    }

    /** A security advisory's fields. */
    public static NoticeDetails security(List<String> recommendations, String officialContact, String notUs, boolean pinned) {
        return new NoticeDetails(null, null, null, null, null, null, null, null, null, null, null, null,
                recommendations, officialContact, notUs, pinned);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static NoticeDetails fromJson(String json) {
        if (json == null || json.isBlank()) return NONE;
        try {
            return JSON.readValue(json, NoticeDetails.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable notice_detail.fields: " + e.getMessage(), e);
        }
    }

    /** A free-text field as paragraphs, one per non-blank line. */
    public static List<String> paragraphs(String text) {
        return text == null ? List.of() : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }

    private static List<String> list(List<String> l) {
        return l == null ? List.of() : l.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
