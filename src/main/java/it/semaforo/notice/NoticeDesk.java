package it.semaforo.notice;

import it.semaforo.audit.Actor;
import it.semaforo.audit.AuditLog;
import it.semaforo.event.ChangeEvent.AttachmentAdded;
import it.semaforo.event.ChangeEvent.AttachmentRemoved;
import it.semaforo.event.ChangeEvent.NoticeDrafted;
import it.semaforo.event.ChangeEvent.NoticeEdited;
import it.semaforo.event.ChangeEvent.NoticeExpired;
import it.semaforo.event.ChangeEvent.NoticeExpiryChanged;
import it.semaforo.event.ChangeEvent.NoticePublished;
import it.semaforo.event.ChangeEvent.NoticeRef;
import it.semaforo.event.ChangeEvent.NoticeUpdated;
import it.semaforo.event.ChangeEvent.NoticeWithdrawn;
import it.semaforo.event.Ledger;
import it.semaforo.event.Refusal;
import it.semaforo.notice.NoticeRepository.NewAttachment;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What can be done to an avviso, whoever asks (the clerks' area, the write API): each change
 * in one transaction with its audit entry and its events. The state is checked inside the
 * transaction (a double click cannot publish twice); a refusal ({@link Refusal}, a message key
 * the front end words) rolls everything back. Input arrives already checked by the form.
 */
public final class NoticeDesk {
    private final Ledger ledger;
    private final NoticeRepository notices;
    private final AuditLog audit;
    private final Wording wording;
    private final NoticeReview review;
    private final Approvals approvals;

    /** The audit log's one-line summaries, in the language of the clerks' area. */
    public interface Wording {
        String updateNumber(int number);

        /** A new scadenza; null: none. */
        String expiry(Instant expiresAt);
    }

    /** review: which avvisi go out only once another clerk approves them (two pairs of eyes). */
    public NoticeDesk(Ledger ledger, NoticeRepository notices, AuditLog audit, Wording wording, NoticeReview review,
                      Approvals approvals) {
        this.ledger = ledger;
        this.notices = notices;
        this.audit = audit;
        this.wording = wording;
        this.review = review;
        this.approvals = approvals;
    }

    /** A draft is never public: its events are not public either. */
    public long createDraft(Actor actor, NoticeInput in) {
        return ledger.write(tx -> createDraft(tx, actor, in));
    }

    /** The same inside a caller's change (a signal turned into a draft in the same transaction). */
    public long createDraft(Ledger.Tx tx, Actor actor, NoticeInput in) throws SQLException {
        Connection c = tx.connection();
        long id = notices.create(c, newNotice(actor, in));
        notices.saveDetails(c, id, in.details());
        Notice after = existing(c, id);
        audit.record(c, actor, "notice.create", "notice", id, after.title(), null, snapshot(after));
        NoticeRef ref = NoticeEvents.ref(after);
        tx.announce(id, s -> new NoticeDrafted(ref, s));
        return id;
    }

    /** Rewrites a draft, unless someone else changed it since the clerk opened it (version). */
    public void saveDraft(Actor actor, long id, NoticeInput in, String version) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Notice before = existing(c, id);
            if (before.status() != NoticeStatus.DRAFT) throw Refusal.conflict("admin.problem.not.draft");
            checkVersion(before, version);
            notices.replaceDraft(c, id, newNotice(actor, in), actor.displayName());
            notices.saveDetails(c, id, in.details());
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.draft", "notice", id, after.title(), snapshot(before), snapshot(after));
            // the approver would approve a text that is no more: the request goes, and is asked again
            if (!version(before).equals(version(after))) cancelOpenRequest(tx, actor, after);
            NoticeRef ref = NoticeEvents.ref(after);
            tx.announce(id, s -> new NoticeDrafted(ref, s));
            return null;
        });
    }

    /**
     * Publishes a draft now, or at its scheduled time. Refused when that time or the expiry
     * has passed meanwhile: the clerk corrects the draft first. Returns the publication instant.
     * Refused too when the avviso needs another clerk's approval (see requestApproval).
     */
    public Instant publish(Actor actor, long id) {
        return ledger.write(tx -> {
            Notice n = existing(tx.connection(), id);
            if (n.status() == NoticeStatus.DRAFT && review.required(tx.connection(), n.kind(), actor)) {
                throw Refusal.conflict("admin.problem.approval.required");
            }
            // an approver publishing a draft that waits for approval decides its request too
            Optional<Approval> open = approvals.pending(tx.connection(), id);
            if (open.isPresent() && n.status() == NoticeStatus.DRAFT) {
                decidable(tx.connection(), actor, n);
                approvals.decide(tx.connection(), open.get().id(), actor, tx.now(), Approval.Outcome.APPROVED, "");
                audit.record(tx.connection(), actor, "notice.approval.grant", "notice", id,
                        n.title() + " (" + open.get().requestedName() + ")", null, null);
            }
            return publish(tx, actor, id);
        });
    }

    /**
     * A new avviso created and published (or scheduled) in one transaction: never a stray draft.
     * One that needs another clerk's approval is kept as a draft with its request made, in the
     * same transaction; the caller tells by the avviso's status.
     */
    public long createPublished(Actor actor, NoticeInput in) {
        return ledger.write(tx -> createPublished(tx, actor, in));
    }

    /** The same inside a caller's change (a signal accepted and marked in the same transaction). */
    public long createPublished(Ledger.Tx tx, Actor actor, NoticeInput in) throws SQLException {
        Connection c = tx.connection();
        long id = notices.create(c, newNotice(actor, in));
        notices.saveDetails(c, id, in.details());
        Notice created = existing(c, id);
        audit.record(c, actor, "notice.create", "notice", id, created.title(), null, snapshot(created));
        if (review.required(c, created.kind(), actor)) {   // a second pair of eyes first: it stays a draft
            request(tx, actor, created);
            NoticeRef ref = NoticeEvents.ref(created);
            tx.announce(id, s -> new NoticeDrafted(ref, s));
        } else {
            publish(tx, actor, id);
        }
        return id;
    }

    // ---- two pairs of eyes ------------------------------------------------------------------

    /** The approval requests, for the pages that list them. */
    public Approvals approvals() {
        return approvals;
    }

    /** Whether this clerk's avviso needs another clerk's approval before it goes out. */
    public boolean needsApproval(Actor actor, Notice n) {
        return n.status() == NoticeStatus.DRAFT && approvals.read(c -> review.required(c, n.kind(), actor));
    }

    /** Whether this clerk may approve or refuse this avviso's open request (not their own). */
    public boolean mayDecide(Actor actor, Approval request) {
        return !sameClerk(actor, request) && approvals.read(c -> review.approvers().mayApprove(c, actor));
    }

    /**
     * Asks another clerk to approve a draft as it is now (version: what the clerk saw). Refused
     * for an avviso that is not a draft or does not need approval, or whose request is open.
     */
    public void requestApproval(Actor actor, long id, String version) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Notice n = existing(c, id);
            if (n.status() != NoticeStatus.DRAFT) throw Refusal.conflict("admin.problem.not.draft");
            checkVersion(n, version);
            if (!review.required(c, n.kind(), actor)) throw Refusal.conflict("admin.problem.approval.not.needed");
            if (approvals.pending(c, id).isPresent()) throw Refusal.conflict("admin.problem.approval.open");
            request(tx, actor, n);
            return null;
        });
    }

    private void request(Ledger.Tx tx, Actor actor, Notice n) throws SQLException {
        approvals.request(tx.connection(), n.id(), actor, tx.now(), version(n));
        audit.record(tx.connection(), actor, "notice.approval.request", "notice", n.id(), n.title(), null, snapshot(n));
    }

    /**
     * Another clerk approves the draft exactly as it was when asked (version: what they saw),
     * and it is published now or at its time, in the same transaction. Refused to the requester
     * themselves and to a clerk without the approving role.
     */
    public Instant approve(Actor actor, long id, String version) {
        return ledger.write(tx -> {
            Connection c = tx.connection();
            Notice n = existing(c, id);
            Approval open = decidable(c, actor, n);
            checkVersion(n, version);
            if (!open.version().equals(version(n))) throw Refusal.conflict("admin.problem.conflict");
            if (!approvals.decide(c, open.id(), actor, tx.now(), Approval.Outcome.APPROVED, "")) {
                throw Refusal.conflict("admin.problem.approval.none");
            }
            audit.record(c, actor, "notice.approval.grant", "notice", id, n.title() + " (" + open.requestedName() + ")",
                    null, null);
            return publish(tx, actor, id);
        });
    }

    /** Another clerk refuses the draft, saying why (required); it stays a draft for its author to correct. */
    public void refuse(Actor actor, long id, String reason) {
        String why = reason == null ? "" : reason.strip();
        ledger.write(tx -> {
            Connection c = tx.connection();
            Notice n = existing(c, id);
            Approval open = decidable(c, actor, n);
            if (why.isEmpty()) throw Refusal.invalid("reason", "admin.error.approval.reason");
            if (why.codePointCount(0, why.length()) > REASON_MAX) {
                throw Refusal.invalid("reason", "admin.error.approval.reason.long", REASON_MAX);
            }
            if (!approvals.decide(c, open.id(), actor, tx.now(), Approval.Outcome.REFUSED, why)) {
                throw Refusal.conflict("admin.problem.approval.none");
            }
            audit.record(c, actor, "notice.approval.refuse", "notice", id, why, null, null);
            return null;
        });
    }

    /** The longest reason for a refusal. */
    public static final int REASON_MAX = 1000;

    private Approval decidable(Connection c, Actor actor, Notice n) throws SQLException {
        if (n.status() != NoticeStatus.DRAFT) throw Refusal.conflict("admin.problem.not.draft");
        Approval open = approvals.pending(c, n.id())
                .orElseThrow(() -> Refusal.conflict("admin.problem.approval.none"));
        if (sameClerk(actor, open)) throw Refusal.conflict("admin.problem.approval.self");
        if (!review.approvers().mayApprove(c, actor)) throw Refusal.conflict("admin.problem.approval.role");
        return open;
    }

    private static boolean sameClerk(Actor actor, Approval request) {
        return actor.userId() != null && actor.userId().equals(request.requestedBy());
    }

    private void cancelOpenRequest(Ledger.Tx tx, Actor actor, Notice n) throws SQLException {
        Optional<Approval> open = approvals.pending(tx.connection(), n.id());
        if (open.isEmpty()) return;
        approvals.decide(tx.connection(), open.get().id(), actor, tx.now(), Approval.Outcome.CANCELLED, "");
        audit.record(tx.connection(), actor, "notice.approval.cancel", "notice", n.id(), n.title(), null, null);
    }

    private Instant publish(Ledger.Tx tx, Actor actor, long id) throws SQLException {
        Connection c = tx.connection();
        Notice before = existing(c, id);
        if (before.status() != NoticeStatus.DRAFT) throw Refusal.conflict("admin.problem.not.draft");
        Instant now = tx.now();
        Instant at = before.publishedAt() == null ? now : before.publishedAt();
        if (at.isBefore(now)) throw Refusal.conflict("admin.problem.publish.past", at);
        if (before.expiresAt() != null && !before.expiresAt().isAfter(at)) {
            throw Refusal.conflict("admin.problem.expiry.past", before.expiresAt());
        }
        notices.publish(c, id, at);
        Notice after = existing(c, id);
        audit.record(c, actor, "notice.publish", "notice", id, after.title(), snapshot(before), snapshot(after));
        NoticeRef ref = NoticeEvents.ref(after);
        boolean scheduled = at.isAfter(now);
        tx.announce(id, s -> new NoticePublished(ref, scheduled, s));
        return at;
    }

    /** Corrects the text of a published avviso; the previous text is kept as a revision. */
    public void editText(Actor actor, long id, TextInput in, String version) {
        editText(actor, id, in, null, version);
    }

    /** The same, with the fields of the avviso's kind (null: left as they are); a correction, subscribers not told. */
    public void editText(Actor actor, long id, TextInput in, NoticeDetails details, String version) {
        editText(actor, id, in, details, version, false);
    }

    /** The same; notifySubscribers: the clerk asked that subscribers be told of the new text. */
    public void editText(Actor actor, long id, TextInput in, NoticeDetails details, String version, boolean notifySubscribers) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Notice before = existing(c, id);
            if (before.status() == NoticeStatus.WITHDRAWN) throw Refusal.conflict("admin.problem.withdrawn");
            checkVersion(before, version);
            notices.editText(c, id, in.title(), in.summary(), in.body(), in.language(), actor.displayName());
            if (details != null) notices.saveDetails(c, id, details);
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.text", "notice", id, after.title(), snapshot(before), snapshot(after));
            NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = after.isPublicAt(tx.now());
            tx.announce(id, s -> new NoticeEdited(ref, shown, notifySubscribers, s));
            return null;
        });
    }

    public int addUpdate(Actor actor, long id, UpdateInput in) {
        return ledger.write(tx -> addUpdate(tx, actor, id, in));
    }

    /** The same inside a caller's change (a recovery signal accepted and marked in the same transaction). */
    public int addUpdate(Ledger.Tx tx, Actor actor, long id, UpdateInput in) throws SQLException {
        Connection c = tx.connection();
        // the avviso's terms and impacts, not its updates: a long outage's avviso has hundreds
        Notice before = terms(c, id);
        requirePublished(before);
        if (before.closedAt() != null) throw Refusal.conflict("admin.problem.closed");
        int number = notices.addUpdate(c, id, new NewUpdate(in.body(), in.impacts(), in.closes(), actor.displayName(), null));
        Notice after = terms(c, id);
        // the entry records the update added, not the whole avviso twice (which grew with every update)
        audit.record(c, actor, in.closes() ? "notice.close" : "notice.update", "notice", id,
                wording.updateNumber(number), null, added(before, after, number, in, actor));
        NoticeRef ref = NoticeEvents.ref(after);
        boolean shown = after.isPublicAt(tx.now());
        tx.announce(id, s -> new NoticeUpdated(ref, number, in.closes(), shown, in.notifySubscribers(), s));
        return number;
    }

    /** A new expiry, or none (null). One already passed ends the avviso now. */
    public void changeExpiry(Actor actor, long id, Instant expiresAt) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Notice before = existing(c, id);
            requirePublished(before);
            if (before.closedAt() != null) throw Refusal.conflict("admin.problem.closed.expiry");
            notices.changeExpiry(c, id, expiresAt);
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.expiry", "notice", id, wording.expiry(expiresAt), snapshot(before), snapshot(after));
            NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = after.isPublicAt(tx.now());
            tx.announce(id, s -> new NoticeExpiryChanged(ref, shown, s));
            // the clock announces a scadenza only when it comes; one set in the past came now
            if (shown && before.isInForceAt(tx.now()) && after.isExpiredAt(tx.now())) {
                tx.announce(id, s -> new NoticeExpired(ref, s));
            }
            return null;
        });
    }

    public void withdraw(Actor actor, long id, String note) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Notice before = existing(c, id);
            requirePublished(before);
            notices.withdraw(c, id);
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.withdraw", "notice", id, note, snapshot(before), snapshot(after));
            NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = before.isPublicAt(tx.now());
            tx.announce(id, s -> new NoticeWithdrawn(ref, shown, s));
            return null;
        });
    }

    /** A file already stored by the front end; the caller discards the file if this throws. */
    public record StoredFile(String storedName, String contentType, long sizeBytes) {
    }

    public long addAttachment(Actor actor, long id, String title, String filename, StoredFile file) {
        return addAttachment(actor, id, title, filename, file, null);
    }

    /** altText: the alternative text of the avviso's image (null for a document), checked by the form. */
    public long addAttachment(Actor actor, long id, String title, String filename, StoredFile file, String altText) {
        return ledger.write(tx -> {
            Connection c = tx.connection();
            Notice before = existing(c, id);
            if (before.status() == NoticeStatus.WITHDRAWN) throw Refusal.conflict("admin.problem.withdrawn");
            long attachmentId = notices.addAttachment(c, id, new NewAttachment(title, filename, file.storedName(),
                    file.contentType(), file.sizeBytes(), null, altText));
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.attachment", "notice", id, title, snapshot(before), snapshot(after));
            NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = after.isPublicAt(tx.now());
            tx.announce(id, s -> new AttachmentAdded(ref, attachmentId, title, shown, s));
            return attachmentId;
        });
    }

    /**
     * Takes an attachment off the avviso (one published by mistake, say): it leaves the public
     * pages and its address answers 410; the row, the file and the audit entry stay.
     */
    public void removeAttachment(Actor actor, long id, long attachmentId) {
        ledger.write(tx -> {
            Connection c = tx.connection();
            Notice before = existing(c, id);
            Attachment removed = before.attachments().stream().filter(a -> a.id() == attachmentId).findFirst()
                    .orElseThrow(() -> Refusal.notFound("admin.problem.attachment.missing"));
            if (!notices.removeAttachment(c, id, attachmentId, actor.username())) {
                throw Refusal.notFound("admin.problem.attachment.missing");
            }
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.attachment.remove", "notice", id, removed.title(), snapshot(before), snapshot(after));
            NoticeRef ref = NoticeEvents.ref(after);
            boolean shown = after.isPublicAt(tx.now());
            tx.announce(id, s -> new AttachmentRemoved(ref, attachmentId, removed.title(), shown, s));
            return null;
        });
    }

    private NewNotice newNotice(Actor actor, NoticeInput in) {
        return new NewNotice(in.kind(), NoticeStatus.DRAFT, in.title(), in.summary(), in.body(), in.language(), in.publishAt(),
                in.expiresAt(), in.windowStart(), in.windowEnd(), actor.displayName(), in.impacts());
    }

    private Notice existing(Connection c, long id) throws SQLException {
        return notices.find(c, id).orElseThrow(() -> Refusal.notFound("admin.problem.notice.missing"));
    }

    /** As existing, without updates, attachments and details. */
    private Notice terms(Connection c, long id) throws SQLException {
        return notices.terms(c, id).orElseThrow(() -> Refusal.notFound("admin.problem.notice.missing"));
    }

    /** The audit record of a numbered update: the update, the impacts it added, and the end it set if it closes. */
    private static Map<String, Object> added(Notice before, Notice after, int number, UpdateInput in, Actor actor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", after.id());
        m.put("number", number);
        m.put("closes", in.closes());
        m.put("author", actor.displayName());
        m.put("body", in.body());
        m.put("impacts", after.impacts().stream().filter(i -> !before.impacts().contains(i)).map(NoticeDesk::impact).toList());
        if (in.closes()) m.put("closedAt", after.closedAt());
        return m;
    }

    private void requirePublished(Notice n) {
        if (n.status() == NoticeStatus.WITHDRAWN) throw Refusal.conflict("admin.problem.withdrawn");
        if (n.status() != NoticeStatus.PUBLISHED) throw Refusal.conflict("admin.problem.not.published");
    }

    private void checkVersion(Notice current, String version) {
        if (version != null && !version.equals(version(current))) {
            throw Refusal.conflict("admin.problem.conflict");
        }
    }

    /**
     * A digest of what the edit form of an avviso shows (its text; for a draft, everything):
     * the hidden field of the form, so that saving over someone else's changes is refused
     * instead of silently undoing them. Updates and expiry changes meanwhile do not count.
     */
    public static String version(Notice n) {
        Map<String, Object> edited = new LinkedHashMap<>(snapshot(n));
        edited.keySet().retainAll(n.status() == NoticeStatus.DRAFT
                ? java.util.Set.of("status", "kind", "title", "summary", "body", "publishedAt", "expiresAt", "windowStart", "windowEnd", "impacts", "details")
                : java.util.Set.of("status", "title", "summary", "body", "details"));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(edited.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The avviso as the audit log records it before and after a change. */
    public static Map<String, Object> snapshot(Notice n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("status", n.status().key());
        m.put("kind", n.kind().key());
        m.put("title", n.title());
        m.put("slug", n.slug());
        m.put("summary", n.summary());
        m.put("body", n.body());
        m.put("language", n.language());
        m.put("publishedAt", n.publishedAt());
        m.put("expiresAt", n.expiresAt());
        m.put("closedAt", n.closedAt());
        m.put("withdrawnAt", n.withdrawnAt());
        m.put("windowStart", n.windowStart());
        m.put("windowEnd", n.windowEnd());
        m.put("impacts", n.impacts().stream().map(NoticeDesk::impact).toList());
        m.put("updates", n.updates().stream().map(NoticeDesk::update).toList());
        m.put("attachments", n.attachments().stream().map(NoticeDesk::attachment).toList());
        m.put("details", n.details().toJson());
        return m;
    }

    private static Map<String, Object> impact(Impact i) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (i.serviceId() != null) m.put("service", i.serviceId());
        else m.put("provider", i.providerId());
        m.put("state", i.state().key());
        m.put("reason", i.reason());
        m.put("from", Instant.EPOCH.equals(i.effectiveFrom()) ? "publication" : i.effectiveFrom());
        if (i.updateId() != null) m.put("update", i.updateId());
        return m;
    }

    private static Map<String, Object> update(NoticeUpdate u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", u.number());
        m.put("closes", u.closes());
        m.put("at", u.createdAt());
        m.put("author", u.author());
        m.put("body", u.body());
        return m;
    }

    private static Map<String, Object> attachment(Attachment a) {
        return new LinkedHashMap<>(Map.of("title", a.title(), "filename", a.filename(), "storedName", a.storedName(),
                "contentType", a.contentType(), "sizeBytes", a.sizeBytes()));
    }
}
