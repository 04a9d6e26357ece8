package it.semaforo.event;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One committed change, as subscribers (caches, the static copy, mail, webhooks, other
 * Semaforo instances) need it: what happened, to which avviso, and which services it moved
 * from which state to which, without a second query. The set is closed: a new kind of change
 * is a new record here, and every subscriber's switch sees it.
 */
public sealed interface ChangeEvent {

    /** The name in the log and in the public change log, e.g. {@code notice.published}. */
    String type();

    /** Whether the change is visible to residents: drafts and scheduled avvisi are not. */
    boolean isPublic();

    /** The avviso the change is about, or null. */
    default Long noticeId() {
        return null;
    }

    /** What a subscriber needs of an avviso: no clerk's name, nothing the public page does not show. */
    record NoticeRef(long id, String path, String kind, String title, String summary, String language,
                     Instant publishedAt, Instant expiresAt, Instant windowStart, Instant windowEnd) {
    }

    /**
     * A service the change touches, with its public state before and after it, as the keys of
     * service.ServiceState ("operational", "major_outage", …; before is null for a new service).
     */
    record ServiceChange(long id, String slug, String name, String before, String after) {
        public boolean changed() {
            return !java.util.Objects.equals(before, after);
        }
    }

    /** The changes about one avviso, with the services it names (directly or through providers). */
    sealed interface NoticeEvent extends ChangeEvent {
        NoticeRef notice();

        List<ServiceChange> services();

        @Override
        default Long noticeId() {
            return notice().id();
        }
    }

    /** A draft created or rewritten: never public. */
    record NoticeDrafted(NoticeRef notice, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.drafted"; }
        public boolean isPublic() { return false; }
    }

    /** Published now; or, when scheduled, accepted for publication at notice.publishedAt (not public yet). */
    record NoticePublished(NoticeRef notice, boolean scheduled, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return scheduled ? "notice.scheduled" : "notice.published"; }
        public boolean isPublic() { return !scheduled; }
    }

    /** A scheduled avviso whose publication time came. */
    record NoticeBecamePublic(NoticeRef notice, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.became_public"; }
        public boolean isPublic() { return true; }
    }

    /**
     * Numbered update n; closes: it ends the avviso (resolved). notifySubscribers: the clerk's
     * choice to tell subscribers by mail (on unless the update is a mere correction).
     */
    record NoticeUpdated(NoticeRef notice, int number, boolean closes, boolean isPublic, boolean notifySubscribers,
                         List<ServiceChange> services) implements NoticeEvent {
        public String type() { return closes ? "notice.resolved" : "notice.updated"; }
    }

    /**
     * The text (and the fields of its kind) corrected. notifySubscribers: the clerk's choice to
     * tell subscribers by mail (off unless the clerk asks: most edits are corrections).
     */
    record NoticeEdited(NoticeRef notice, boolean isPublic, boolean notifySubscribers,
                        List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.edited"; }
    }

    /** A new scadenza, or none (notice.expiresAt null). */
    record NoticeExpiryChanged(NoticeRef notice, boolean isPublic, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.expiry_changed"; }
    }

    /** Its scadenza came: it is no longer in force. */
    record NoticeExpired(NoticeRef notice, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.expired"; }
        public boolean isPublic() { return true; }
    }

    /** Withdrawn by a clerk: its page answers 410. Public if it had been public. */
    record NoticeWithdrawn(NoticeRef notice, boolean isPublic, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.withdrawn"; }
    }

    record AttachmentAdded(NoticeRef notice, long attachmentId, String title, boolean isPublic,
                           List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.attachment_added"; }
    }

    record AttachmentRemoved(NoticeRef notice, long attachmentId, String title, boolean isPublic,
                             List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "notice.attachment_removed"; }
    }

    /** The window of a planned maintenance opened. */
    record MaintenanceStarted(NoticeRef notice, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "maintenance.started"; }
        public boolean isPublic() { return true; }
    }

    /** The window of a planned maintenance closed. */
    record MaintenanceEnded(NoticeRef notice, List<ServiceChange> services) implements NoticeEvent {
        public String type() { return "maintenance.ended"; }
        public boolean isPublic() { return true; }
    }

    /** A service's derived public state moved; cause is the type of the event that moved it. */
    record ServiceStateChanged(ServiceChange service, String cause, Long causeNoticeId) implements ChangeEvent {
        public String type() { return "service.state_changed"; }
        public boolean isPublic() { return true; }
        @Override
        public Long noticeId() { return causeNoticeId; }
    }

    /** Groups, services, channels or providers changed: entity is group, service or provider. */
    record CatalogChanged(String entity, long id, String action, String name) implements ChangeEvent {
        public String type() { return "catalog.changed"; }
        public boolean isPublic() { return true; }
    }

    /** Many avvisi written at once (an import, a generated comune): one event, not one each. */
    record NoticesImported(int count) implements ChangeEvent {
        public String type() { return "notices.imported"; }
        public boolean isPublic() { return true; }
    }

    /**
     * An upstream source or a probe raised a signal (signal.Signals): a proposal for the clerks,
     * never public. state is a key of service.ServiceState; recovery: the upstream is well again.
     */
    record SignalRaised(long signalId, long sourceId, String source, String state, boolean recovery, String title,
                        String link) implements ChangeEvent {
        public String type() { return "signal.raised"; }
        public boolean isPublic() { return false; }
    }

    /** A clerk (or the source's automatic publication) disposed of a signal: outcome published or dismissed. Not public. */
    record SignalDecided(long signalId, String outcome, Long publishedNoticeId) implements ChangeEvent {
        public String type() { return "signal.decided"; }
        public boolean isPublic() { return false; }
    }

    /**
     * A clerk marked what a provider reports of itself ("Segnalato dal fornitore"), shown on the
     * public pages next to the comune's declared state; text null: the mark was removed.
     */
    record ProviderReported(long providerId, String provider, String text, String link) implements ChangeEvent {
        public String type() { return "provider.reported"; }
        public boolean isPublic() { return true; }
    }

    /** A new day began in the comune's time zone: the 90-day histories move by one. Housekeeping, not public. */
    record DayBegan(LocalDate date) implements ChangeEvent {
        public String type() { return "day.began"; }
        public boolean isPublic() { return false; }
    }
}
