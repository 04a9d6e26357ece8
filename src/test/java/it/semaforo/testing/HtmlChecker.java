package it.semaforo.testing;

import nu.validator.validation.SimpleDocumentValidator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The Nu HTML Checker (the engine of validator.w3.org/nu), in-process: no network, no server.
 * One checker per thread, set up once and used for every document, as the library's own command
 * line does for the files it is given (each check starts with the validator's reset): setting
 * up the schema and the parsers took about a second, five times the check of one of our pages.
 */
public final class HtmlChecker {
    private static final String SCHEMA = "http://s.validator.nu/html5-all.rnc";   // resolved inside the jar
    /** A cache, not shared state: each thread's checker serves that thread's documents one at a time. */
    private static final ThreadLocal<Checker> CHECKERS = ThreadLocal.withInitial(Checker::new);

    private HtmlChecker() {
    }

    /** An error or a warning, with its place in the document. */
    public record Problem(boolean error, int line, int column, String message) {
        @Override
        public String toString() {
            return (error ? "error" : "warning") + " at " + line + ":" + column + ": " + message;
        }
    }

    public static List<Problem> check(String html) {
        return CHECKERS.get().check(html);
    }

    public static List<Problem> errors(String html) {
        return check(html).stream().filter(Problem::error).toList();
    }

    /** A validator and the handler it reports to, which hands each document's problems to that document's list. */
    private static final class Checker implements ErrorHandler {
        private final SimpleDocumentValidator validator;
        private List<Problem> problems = new ArrayList<>();

        Checker() {
            try {
                // no entity loading; language detection on: it warns when lang says one thing and the text another
                validator = new SimpleDocumentValidator(true, false, true);
                validator.setUpMainSchema(SCHEMA, this);
                validator.setUpValidatorAndParsers(this, false, false);
            } catch (Exception e) {
                throw new IllegalStateException("the HTML checker could not load its schema: " + e.getMessage(), e);
            }
        }

        List<Problem> check(String html) {
            problems = new ArrayList<>();
            try {
                InputSource source = new InputSource(new StringReader(html));
                source.setEncoding("UTF-8");
                validator.checkHtmlInputSource(source);
            } catch (SAXParseException e) {
                // already reported to the handler
            } catch (SAXException | IOException e) {
                throw new IllegalStateException("the HTML checker failed: " + e.getMessage(), e);
            }
            List<Problem> found = problems;
            problems = new ArrayList<>();
            return found;
        }

        @Override
        public void warning(SAXParseException e) {
            problems.add(new Problem(false, e.getLineNumber(), e.getColumnNumber(), e.getMessage()));
        }

        @Override
        public void error(SAXParseException e) {
            problems.add(new Problem(true, e.getLineNumber(), e.getColumnNumber(), e.getMessage()));
        }

        @Override
        public void fatalError(SAXParseException e) {
            error(e);
        }
    }
}
