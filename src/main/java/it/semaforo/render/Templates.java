package it.semaforo.render;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;

/** The precompiled JTE templates (built into the jar by the jte-maven-plugin), rendered to bytes. */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public byte[] render(String template, Object page) {
        Utf8ByteOutput out = new Utf8ByteOutput();
        engine.render(template, page, out);
        return out.toByteArray();
    }
}
