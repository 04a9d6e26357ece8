package it.semaforo.feed;

import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.render.PageContext;

import java.time.Instant;
import java.util.List;

/** The data of the HTML that goes into an entry's content, one record per template in jte/feed. */
public final class FeedContent {
    private FeedContent() {
    }

    /** language is the avviso's, checked, for lang attributes around its own text. */
    public record NoticeContent(PageContext ctx, Notice notice, String language, String url, String status,
                                String bodyHtml, List<Link> services, List<UpdateLink> updates,
                                List<AttachmentLink> attachments) {
    }

    public record UpdateContent(PageContext ctx, Notice notice, String language, NoticeUpdate update, String html,
                                List<ImpactLine> impacts, List<AttachmentLink> attachments, String noticeUrl) {
    }

    public record Link(String name, String url) {
    }

    public record UpdateLink(int number, Instant at, String url) {
    }

    public record AttachmentLink(String title, String url, String meta) {
    }

    /** A state set by an update: url is null for a provider, which has no page. */
    public record ImpactLine(String name, String url, String state, String reason) {
    }
}
