package it.semaforo.render;

import it.semaforo.notice.Notice;

import java.util.List;
import java.util.Set;

/**
 * What a batch of public changes can have altered, as the mirror asks each output for the
 * addresses it reaches (PublicOutput#changed) instead of listing the whole site again.
 * notices: the public avvisi (withdrawn ones included) whose own addresses are listed, loaded
 * afresh; altered: the ids of those the change is about (their cards in the archive change);
 * moved: the ids of those that entered or left the archive (published, withdrawn: the landing
 * of each list they are in changes, and for one published the newest page; the archive's pages
 * are numbered from the oldest, so no older page shifts); topics: the PublicAddress topics the
 * change reaches (notice:, service:, state:).
 */
public record PublicChange(List<Notice> notices, Set<Long> altered, Set<Long> moved, Set<String> topics) {
    public PublicChange {
        notices = List.copyOf(notices);
        altered = Set.copyOf(altered);
        moved = Set.copyOf(moved);
        topics = Set.copyOf(topics);
    }

    /** Whether the change can alter this address: any change (no topics), or one of its topics; never a fixed one. */
    public boolean reaches(PublicAddress a) {
        if (a.topics().contains(PublicAddress.FIXED)) return false;
        if (a.topics().isEmpty()) return true;
        for (String t : a.topics()) {
            if (topics.contains(t)) return true;
        }
        return false;
    }
}
