package it.semaforo.render;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A small XML writer over StAX, which escapes markup characters: the one way XML is written
 * (feeds, SVG badges). Every text and attribute value goes through clean(): characters XML 1.0
 * forbids would make the whole document unreadable, so they are dropped.
 */
public final class Xml {
    // the JDK's own writer, whatever else is on the class path: the tests' S3 server brings
    // Woodstox, and a service-loaded factory would have the tests check another writer's output
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

    /**
     * Characters, encoded once at the end: over an OutputStream the JDK's writer encodes and
     * writes one character at a time into it, which made most of the cost of a feed.
     */
    private final Text text = new Text();
    private final XMLStreamWriter out;

    public Xml() {
        try {
            out = FACTORY.createXMLStreamWriter(text);
            out.writeStartDocument("utf-8", "1.0");
            out.writeCharacters("\n");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Keeps only the characters of the XML 1.0 Char production, less the ones it discourages
     * (C1 controls, non-characters): a control character pasted into an avviso must not break
     * every feed reader's parser. Lone surrogates go too.
     */
    public static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (!allowed(cp)) {
                if (b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            } else if (b != null) {
                b.appendCodePoint(cp);
            }
            i += n;
        }
        return b == null ? s : b.toString();
    }

    private static boolean allowed(int cp) {
        if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
        if (cp < 0x20) return false;
        if (cp >= 0x7F && cp <= 0x9F) return false;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        if (cp >= 0xFDD0 && cp <= 0xFDEF) return false;
        if ((cp & 0xFFFE) == 0xFFFE) return false;   // U+FFFE, U+FFFF and their kin in every plane
        return cp <= 0x10FFFF;
    }

    public Xml start(String name) {
        return call(() -> out.writeStartElement(name));
    }

    public Xml start(String prefix, String name, String namespace) {
        return call(() -> out.writeStartElement(prefix, name, namespace));
    }

    public Xml empty(String name) {
        return call(() -> out.writeEmptyElement(name));
    }

    public Xml empty(String prefix, String name, String namespace) {
        return call(() -> out.writeEmptyElement(prefix, name, namespace));
    }

    public Xml defaultNamespace(String namespace) {
        return call(() -> out.writeDefaultNamespace(namespace));
    }

    public Xml namespace(String prefix, String namespace) {
        return call(() -> out.writeNamespace(prefix, namespace));
    }

    public Xml attr(String name, String value) {
        return call(() -> out.writeAttribute(name, clean(value)));
    }

    public Xml lang(String tag) {
        return call(() -> out.writeAttribute("xml", XMLConstants.XML_NS_URI, "lang", clean(tag)));
    }

    public Xml text(String value) {
        return call(() -> out.writeCharacters(clean(value)));
    }

    public Xml end() {
        return call(out::writeEndElement);
    }

    /** An element with only text in it. */
    public Xml element(String name, String value) {
        return start(name).text(value).end();
    }

    public Xml newline() {
        return call(() -> out.writeCharacters("\n"));
    }

    public byte[] finish() {
        call(() -> {
            out.writeEndDocument();
            out.close();
        });
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A StringWriter without its lock: StringWriter keeps a StringBuffer, which locks at each
     * of StAX's many small writes (some 4 % of a static export's Java samples).
     */
    private static final class Text extends Writer {
        private final StringBuilder chars = new StringBuilder(16 * 1024);

        @Override
        public void write(char[] c, int from, int length) {
            chars.append(c, from, length);
        }

        @Override
        public void write(String s, int from, int length) {
            chars.append(s, from, from + length);
        }

        @Override
        public void write(int c) {
            chars.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return chars.toString();
        }
    }

    private interface Step {
        void run() throws XMLStreamException;
    }

    private Xml call(Step step) {
        try {
            step.run();
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML", e);
        }
    }
}
