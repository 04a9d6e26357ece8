package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.notice.Approval;
import it.semaforo.notice.ArchivePage;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRevision;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.service.ChannelKind;
import it.semaforo.service.Provider;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceGroup;
import it.semaforo.service.ServiceState;
import it.semaforo.render.PageContext;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** The data of each page of the clerks' area, one record per template. */
public final class AdminPages {
    private AdminPages() {
    }

    /**
     * What every page of the area needs: strings and dates, the signed-in user (null on the
     * login page), the CSRF token for its forms, the section for the menu, a one-line outcome
     * of the last action.
     */
    public record Frame(PageContext ctx, User user, String csrf, String section, String flash, boolean flashWarning) {
        public String t(String key, Object... args) {
            return ctx.t(key, args);
        }

        public String dateTime(Instant t) {
            return ctx.dateTime(t);
        }

        public String iso(Instant t) {
            return ctx.iso(t);
        }

        public String state(ServiceState s) {
            return ctx.state(s);
        }

        public String kind(NoticeKind k) {
            return ctx.kind(k);
        }

        public boolean isAdmin() {
            return user != null && user.isAdministrator();
        }

        public String role(Role r) {
            return ctx.t("admin.role." + r.key());
        }

        /** The value of an input type=datetime-local, in the configured zone. */
        public String input(Instant t) {
            return Dates.input(t, zone());
        }

        public ZoneId zone() {
            return ctx.fmt().zone();
        }

        /** Where an avviso is in its life, as the clerks read it. */
        public String status(Notice n, Instant now) {
            if (n.status() == NoticeStatus.DRAFT) return t("admin.status.draft");
            if (n.status() == NoticeStatus.WITHDRAWN) return t("admin.status.withdrawn", dateTime(n.withdrawnAt()));
            if (n.publishedAt().isAfter(now)) return t("admin.status.scheduled", dateTime(n.publishedAt()));
            if (n.isClosedAt(now)) return t("admin.status.closed", dateTime(n.closedAt()));
            if (n.isExpiredAt(now)) return t("admin.status.expired", dateTime(n.expiresAt()));
            return t("admin.status.published");
        }

        /** "tra 5 ore", "tra 40 minuti": how soon an expiry comes. */
        public String within(Instant now, Instant t) {
            Duration d = Duration.between(now, t);
            if (d.isNegative()) return t("admin.expiry.passed");
            long hours = d.toHours();
            return hours >= 1 ? t("admin.expiry.in.hours", hours) : t("admin.expiry.in.minutes", Math.max(1, d.toMinutes()));
        }

        public String size(long bytes) {
            return bytes < 1024 ? bytes + " B" : bytes < 1024 * 1024 ? (bytes + 1023) / 1024 + " kB"
                    : String.format(ctx.msg().locale(), "%.1f MB", bytes / (1024.0 * 1024.0));
        }
    }

    public record Option(String value, String label, boolean selected) {
    }

    public record Problem(Frame frame, String title, String text, String backUrl) {
    }

    /** The login page; sso: the identity provider's button is shown; passwords: false when only the break-glass account has one. */
    public record Login(Frame frame, Form form, String token, String message, String next, boolean sso, boolean passwords) {
    }

    /** Invitations to sign in through the identity provider. */
    public record Invitations(Frame frame, List<Identities.Invitation> open, Form form, List<Role> roles) {
    }

    public record Dashboard(Frame frame, Instant now, List<Notice> expiring, List<Notice> expiredUnclosed,
                            List<Notice> drafts, List<Notice> inForce, List<Notice> scheduled, List<CopyState> copies,
                            List<SignalRoutes.Card> signals,
                            List<PendingLine> pending, List<DecisionLine> decisions, List<String> accessAlerts) {
    }

    /**
     * A static copy of the public site (the mirror's directory or bucket) as the dashboard shows
     * it: state ok, syncing or failing; lagSeconds: how long the oldest change has waited.
     */
    public record CopyState(String target, String state, long pending, long lagSeconds, Instant syncedAt, String lastError,
                            Instant lastErrorAt) {
    }

    public record NoticeList(Frame frame, Instant now, ArchivePage page, String previousUrl, String nextUrl) {
    }

    /**
     * A service or provider row of the state selects; current is what this avviso imposes on
     * it now, via the provider through which it does (null when named directly).
     */
    public record TargetRow(String key, String name, String detail, ServiceState current, String via) {
        public String stateField() {
            return "state_" + key;
        }

        public String reasonField() {
            return "reason_" + key;
        }
    }

    /** The avviso form: a new avviso, a draft (every field), or a published one (text only). */
    public record NoticeEditor(Frame frame, Notice editing, boolean textOnly, Form form, List<Option> kinds, List<Option> languages,
                               List<TargetRow> services, List<TargetRow> providers, List<ServiceState> states,
                               String problem) {
        public String action() {
            return editing == null ? "/admin/avvisi" : "/admin/avvisi/" + editing.id() + "/modifica";
        }
    }

    /** One state an avviso imposes, with the services a provider's state reaches. */
    public record ImpactLine(String target, boolean provider, ServiceState state, String reason, Instant from,
                             Integer updateNumber, List<String> reaches) {
    }

    public record UpdateLine(NoticeUpdate update, String html) {
    }

    public record NoticeView(Frame frame, Instant now, Notice notice, String publicUrl, boolean expiringSoon,
                             boolean expiredUnclosed, List<ImpactLine> impacts, List<UpdateLine> updates,
                             List<NoticeRevision> revisions, List<TargetRow> services, List<TargetRow> providers,
                             List<ServiceState> states, Form updateForm, Form expiryForm, Form attachmentForm,
                             Form withdrawForm, String problem, long maxUploadBytes, Form imageForm) {
        public boolean open() {
            return notice.status() == NoticeStatus.PUBLISHED && notice.closedAt() == null;
        }
    }

    public record Preview(Frame frame, Instant now, Notice notice, String bodyHtml, List<ImpactLine> impacts,
                          List<UpdateLine> updates, List<Attachment> attachments, String problem, List<String> warnings,
                          Review review) {
    }

    /**
     * Two pairs of eyes on a draft: whether it needs another clerk's approval, its open request
     * (null: none), whether this clerk may decide it, the past requests, the refusal form, and
     * the version of the draft the buttons approve or ask for.
     */
    public record Review(boolean needed, Approval pending, boolean mayDecide, List<Approval> history, Form refuseForm,
                         String version) {
    }

    /** An open request on the dashboard, with its avviso. */
    public record PendingLine(Approval approval, Notice notice) {
    }

    /** A recent approval or refusal on the dashboard. */
    public record DecisionLine(Approval approval, String title) {
    }

    public record GroupBlock(ServiceGroup group, List<Service> services, boolean first, boolean last) {
    }

    public record Services(Frame frame, List<GroupBlock> groups, Form groupForm, Long failedGroupId) {
    }

    public record ChannelRow(int index) {
        public String suffix() {
            return "_" + index;
        }
    }

    public record ServiceEditor(Frame frame, Service editing, Form form, List<ServiceGroup> groups,
                                List<Provider> providers, List<ChannelRow> channelRows, List<ChannelKind> channelKinds,
                                String problem) {
    }

    public record ProviderLine(Provider provider, List<String> dependsOn, List<String> services) {
    }

    public record Providers(Frame frame, List<ProviderLine> providers) {
    }

    public record ProviderEditor(Frame frame, Provider editing, Form form, List<Provider> others, String problem) {
    }

    public record Users(Frame frame, List<User> users, boolean sso) {
    }

    public record UserEditor(Frame frame, User editing, Form form, List<Role> roles, String problem) {
    }

    public record PasswordPage(Frame frame, Form form) {
    }

    /** The access review: every account, the last review and when the next is due, the confirmation form. */
    public record AccessPage(Frame frame, List<AccessReview.Row> rows, AccessReview.Confirmed last, Instant due,
                             boolean overdue, long inactiveDays, int reviewMonths, Form form) {
    }

    public record AuditLine(AuditLog.Entry entry, String action, String link) {
    }

    public record Audit(Frame frame, List<AuditLine> entries, int page, int pages, String previousUrl, String nextUrl) {
    }
}
