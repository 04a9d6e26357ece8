package it.semaforo.render;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;

/** The precompiled JTE templates (built into the jar by the jte-maven-plugin), rendered to bytes. */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public byte[] render(String template, Object page) {
        ByteOutput out = new ByteOutput(32 * 1024);
        engine.render(template, page, out);
        return out.toByteArray();
    }
}
