package it.semaforo.render;

import gg.jte.Content;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.html.OwaspHtmlTemplateOutput;

/** The precompiled JTE templates (built into the jar by the jte-maven-plugin), rendered to bytes. */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public byte[] render(String template, Object page) {
        ByteOutput out = new ByteOutput(32 * 1024);
        engine.render(template, page, out);
        return out.toByteArray();
    }

    /** A part of a page (a template's content block) as the bytes it writes there, escaped as in the page. */
    public static byte[] bytes(Content part) {
        ByteOutput out = new ByteOutput(4 * 1024);
        part.writeTo(new OwaspHtmlTemplateOutput(out));
        return out.toByteArray();
    }
}
