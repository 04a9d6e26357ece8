package it.semaforo.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.NotFoundResponse;
import it.semaforo.http.Answers;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.AttachmentFiles;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.render.Lang;
import it.semaforo.render.Rendered;

import java.time.Instant;
import java.util.Optional;

/**
 * GET /allegati/{name}: the attachments of published avvisi, never cached (they are files, not
 * renderings of the read model); a file a clerk removed leaves a 410 trace that says when.
 */
public final class Attachments {
    private final NoticeRepository notices;
    private final AttachmentFiles files;
    private final Answers answers;
    private final ErrorPages errors;

    public Attachments(NoticeRepository notices, AttachmentFiles files, Answers answers, ErrorPages errors) {
        this.notices = notices;
        this.files = files;
        this.answers = answers;
        this.errors = errors;
    }

    public void routes(RoutesConfig r) {
        r.get("/allegati/{name}", ctx -> {
            String name = ctx.pathParam("name");
            Rendered file;
            try {
                file = attachment(name);
            } catch (NotFoundResponse missing) {
                // a published address does not die: a file a clerk removed says when (looked up only on a miss)
                Optional<Instant> removed = AttachmentFiles.isStoredName(name) ? notices.attachmentRemovedAt(name) : Optional.empty();
                if (removed.isEmpty()) throw missing;
                Lang lang = answers.language(ctx);
                Answers.send(ctx, lang, errors.gone(lang, "/", "attachment.removed.title", "attachment.removed.text", removed.get()));
                return;
            }
            Answers.send(ctx, file);
        });
    }

    /** An attachment of a published avviso as it is served, for the route and the static export. */
    public Rendered attachment(String name) {
        if (!AttachmentFiles.isStoredName(name)) throw new NotFoundResponse();
        Attachment a = notices.attachment(name).orElseThrow(NotFoundResponse::new);
        return Rendered.file(a.contentType(), a.filename(), files.read(a).orElseThrow(NotFoundResponse::new));
    }
}
