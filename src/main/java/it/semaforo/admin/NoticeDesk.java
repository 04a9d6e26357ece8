package it.semaforo.admin;

import it.semaforo.admin.NoticeForms.NoticeInput;
import it.semaforo.admin.NoticeForms.TextInput;
import it.semaforo.admin.NoticeForms.UpdateInput;
import it.semaforo.db.Database;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeRepository.NewAttachment;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.render.Formats;
import it.semaforo.render.Messages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a clerk does to an avviso, each in one transaction with its audit entry: the state is
 * checked inside the transaction (a double click cannot publish twice), and a refusal rolls
 * everything back. Input arrives already checked by NoticeForms.
 */
public final class NoticeDesk {
    private final Database db;
    private final NoticeRepository notices;
    private final AuditLog audit;
    private final Clock clock;
    private final Messages msg;
    private final Formats fmt;

    public NoticeDesk(Database db, NoticeRepository notices, AuditLog audit, Clock clock, Messages msg, Formats fmt) {
        this.db = db;
        this.notices = notices;
        this.audit = audit;
        this.clock = clock;
        this.msg = msg;
        this.fmt = fmt;
    }

    /** A draft is never public: its writes do not announce a change to the public caches. */
    public long createDraft(Actor actor, NoticeInput in) {
        return db.writeQuietly(c -> {
            long id = notices.create(c, newNotice(actor, in));
            notices.saveDetails(c, id, in.details());
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.create", "notice", id, after.title(), null, snapshot(after));
            return id;
        });
    }

    /** Rewrites a draft, unless someone else changed it since the clerk opened it (version). */
    public void saveDraft(Actor actor, long id, NoticeInput in, String version) {
        db.writeQuietly(c -> {
            Notice before = existing(c, id);
            if (before.status() != NoticeStatus.DRAFT) throw new AdminProblem(409, msg.t("admin.problem.not.draft"));
            checkVersion(before, version);
            notices.replaceDraft(c, id, newNotice(actor, in), actor.displayName());
            notices.saveDetails(c, id, in.details());
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.draft", "notice", id, after.title(), snapshot(before), snapshot(after));
            return null;
        });
    }

    /**
     * Publishes a draft now, or at its scheduled time. Refused when that time or the expiry
     * has passed meanwhile: the clerk corrects the draft first.
     */
    public Instant publish(Actor actor, long id) {
        return db.write(c -> publish(c, actor, id));
    }

    /** A new avviso created and published (or scheduled) in one transaction: never a stray draft. */
    public long createPublished(Actor actor, NoticeInput in) {
        return db.write(c -> {
            long id = notices.create(c, newNotice(actor, in));
            Notice created = existing(c, id);
            audit.record(c, actor, "notice.create", "notice", id, created.title(), null, snapshot(created));
            publish(c, actor, id);
            return id;
        });
    }

    private Instant publish(Connection c, Actor actor, long id) throws SQLException {
        Notice before = existing(c, id);
        if (before.status() != NoticeStatus.DRAFT) throw new AdminProblem(409, msg.t("admin.problem.not.draft"));
        Instant now = clock.instant();
        Instant at = before.publishedAt() == null ? now : before.publishedAt();
        if (at.isBefore(now)) {
            throw new AdminProblem(409, msg.t("admin.problem.publish.past", fmt.dateTime(at)));
        }
        if (before.expiresAt() != null && !before.expiresAt().isAfter(at)) {
            throw new AdminProblem(409, msg.t("admin.problem.expiry.past", fmt.dateTime(before.expiresAt())));
        }
        notices.publish(c, id, at);
        Notice after = existing(c, id);
        audit.record(c, actor, "notice.publish", "notice", id, after.title(), snapshot(before), snapshot(after));
        return at;
    }

    /** Corrects the text of a published avviso; the previous text is kept as a revision. */
    public void editText(Actor actor, long id, TextInput in, String version) {
        editText(actor, id, in, null, version);
    }

    /** The same, with the fields of the avviso's kind (null: left as they are). */
    public void editText(Actor actor, long id, TextInput in, it.semaforo.notice.NoticeDetails details, String version) {
        db.write(c -> {
            Notice before = existing(c, id);
            if (before.status() == NoticeStatus.WITHDRAWN) throw new AdminProblem(409, msg.t("admin.problem.withdrawn"));
            checkVersion(before, version);
            notices.editText(c, id, in.title(), in.summary(), in.body(), in.language(), actor.displayName());
            if (details != null) notices.saveDetails(c, id, details);
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.text", "notice", id, after.title(), snapshot(before), snapshot(after));
            return null;
        });
    }

    public int addUpdate(Actor actor, long id, UpdateInput in) {
        return db.write(c -> {
            Notice before = existing(c, id);
            requirePublished(before);
            if (before.closedAt() != null) throw new AdminProblem(409, msg.t("admin.problem.closed"));
            int number = notices.addUpdate(c, id, new NewUpdate(in.body(), in.impacts(), in.closes(), actor.displayName(), null));
            Notice after = existing(c, id);
            audit.record(c, actor, in.closes() ? "notice.close" : "notice.update", "notice", id,
                    msg.t("admin.audit.update.number", number), snapshot(before), snapshot(after));
            return number;
        });
    }

    /** A new expiry, or none (null). */
    public void changeExpiry(Actor actor, long id, Instant expiresAt) {
        db.write(c -> {
            Notice before = existing(c, id);
            requirePublished(before);
            if (before.closedAt() != null) throw new AdminProblem(409, msg.t("admin.problem.closed.expiry"));
            notices.changeExpiry(c, id, expiresAt);
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.expiry", "notice", id,
                    expiresAt == null ? msg.t("admin.audit.expiry.none") : fmt.dateTime(expiresAt),
                    snapshot(before), snapshot(after));
            return null;
        });
    }

    public void withdraw(Actor actor, long id, String note) {
        db.write(c -> {
            Notice before = existing(c, id);
            requirePublished(before);
            notices.withdraw(c, id);
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.withdraw", "notice", id, note, snapshot(before), snapshot(after));
            return null;
        });
    }

    /** Records a file already stored by Uploads; the caller discards the file if this throws. */
    public long addAttachment(Actor actor, long id, String title, String filename, Uploads.Stored file) {
        return db.write(c -> {
            Notice before = existing(c, id);
            if (before.status() == NoticeStatus.WITHDRAWN) throw new AdminProblem(409, msg.t("admin.problem.withdrawn"));
            long attachmentId = notices.addAttachment(c, id, new NewAttachment(title, filename, file.storedName(),
                    file.type().contentType(), file.sizeBytes(), null));
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.attachment", "notice", id, title, snapshot(before), snapshot(after));
            return attachmentId;
        });
    }

    /**
     * Takes an attachment off the avviso (one published by mistake, say): it leaves the public
     * pages and its address answers 410; the row, the file and the audit entry stay.
     */
    public void removeAttachment(Actor actor, long id, long attachmentId) {
        db.write(c -> {
            Notice before = existing(c, id);
            Attachment removed = before.attachments().stream().filter(a -> a.id() == attachmentId).findFirst()
                    .orElseThrow(() -> new AdminProblem(404, msg.t("admin.problem.attachment.missing")));
            if (!notices.removeAttachment(c, id, attachmentId, actor.username())) {
                throw new AdminProblem(404, msg.t("admin.problem.attachment.missing"));
            }
            Notice after = existing(c, id);
            audit.record(c, actor, "notice.attachment.remove", "notice", id, removed.title(), snapshot(before), snapshot(after));
            return null;
        });
    }

    private NewNotice newNotice(Actor actor, NoticeInput in) {
        return new NewNotice(in.kind(), NoticeStatus.DRAFT, in.title(), in.summary(), in.body(), in.language(), in.publishAt(),
                in.expiresAt(), in.windowStart(), in.windowEnd(), actor.displayName(), in.impacts());
    }

    private Notice existing(Connection c, long id) throws SQLException {
        return notices.find(c, id).orElseThrow(() -> new AdminProblem(404, msg.t("admin.problem.notice.missing")));
    }

    private void requirePublished(Notice n) {
        if (n.status() == NoticeStatus.WITHDRAWN) throw new AdminProblem(409, msg.t("admin.problem.withdrawn"));
        if (n.status() != NoticeStatus.PUBLISHED) throw new AdminProblem(409, msg.t("admin.problem.not.published"));
    }

    private void checkVersion(Notice current, String version) {
        if (version != null && !version.equals(version(current))) {
            throw new AdminProblem(409, msg.t("admin.problem.conflict"));
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
