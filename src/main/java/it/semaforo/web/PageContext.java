package it.semaforo.web;

import it.semaforo.app.Config;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.ServiceState;

import java.time.Instant;

/** What every page template needs besides its own data: strings, dates, the comune, addresses. */
public record PageContext(Messages msg, Formats fmt, Config.Comune comune, String baseUrl, String path) {
    public String t(String key, Object... args) {
        return msg.t(key, args);
    }

    public String lang() {
        return msg.lang();
    }

    public String state(ServiceState s) {
        return msg.t("state." + s.key());
    }

    public String kind(NoticeKind k) {
        return msg.t("kind." + k.key());
    }

    public String dateTime(Instant t) {
        return fmt.dateTime(t);
    }

    public String iso(Instant t) {
        return fmt.iso(t);
    }

    /** The absolute address of a path of this site. */
    public String url(String path) {
        return baseUrl + path;
    }

    /** "In corso", "Chiuso il …", "Scaduto il …" or "Programmato dal … al …". */
    public String noticeStatus(Notice n, Instant now) {
        if (n.isClosedAt(now)) return msg.t("notice.status.closed", fmt.dateTime(n.closedAt()));
        if (n.isExpiredAt(now)) return msg.t("notice.status.expired", fmt.dateTime(n.expiresAt()));
        if (n.windowStart() != null && n.windowStart().isAfter(now)) {
            return msg.t("notice.status.scheduled", fmt.dateTime(n.windowStart()), fmt.dateTime(n.windowEnd()));
        }
        return msg.t("notice.status.in.force");
    }
}
