package it.semaforo.notice;

import it.semaforo.audit.Actor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Which avvisi need a second clerk's approval before they go out (two pairs of eyes): those
 * of the given kinds written by a clerk who may not approve, or by anyone when approversToo.
 * Who may approve is the accounts' business (the clerks' area knows roles): the domain asks,
 * inside the change's own transaction, so a role taken away meanwhile counts.
 */
public record NoticeReview(Set<NoticeKind> kinds, boolean approversToo, Approvers approvers) {
    public NoticeReview {
        kinds = Set.copyOf(kinds);
    }

    /** Whether a clerk holds the role that approves (an active administrator, say). */
    @FunctionalInterface
    public interface Approvers {
        boolean mayApprove(Connection c, Actor actor) throws SQLException;
    }

    /** No avviso needs approval (tools and domain tests). */
    public static NoticeReview none() {
        return new NoticeReview(Set.of(), false, (c, a) -> false);
    }

    /** Whether an avviso of this kind by this author goes out only once another clerk approves it. */
    public boolean required(Connection c, NoticeKind kind, Actor author) throws SQLException {
        return kinds.contains(kind) && (approversToo || !approvers.mayApprove(c, author));
    }
}
