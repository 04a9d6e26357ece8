package it.semaforo.log;

import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client cannot flood the log: one line per kind per minute, the next one counting what was left out. */
class QuietLogTest {
    record Line(Level level, String text, Throwable thrown) {
    }

    /** A logger that keeps what it is told. */
    static final class Kept extends LegacyAbstractLogger {
        final List<Line> lines = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String format, Object[] args, Throwable thrown) {
            lines.add(new Line(level, MessageFormatter.basicArrayFormat(format, args), thrown));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

    @Test
    void theSameFailureIsLoggedOnceAMinuteWithACount() {
        Kept kept = new Kept();
        AtomicLong now = new AtomicLong();
        QuietLog log = new QuietLog(kept, now::get);
        for (int i = 0; i < 10_000; i++) log.client("form.unreadable", "unreadable form " + i);
        assertEquals(1, kept.lines.size(), "ten thousand bad requests, one line");
        assertEquals(Level.INFO, kept.lines.get(0).level());
        assertNull(kept.lines.get(0).thrown(), "a client's fault has no stack trace");

        log.client("status.431", "431");   // another kind has its own minute
        assertEquals(2, kept.lines.size());

        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        log.client("form.unreadable", "still");
        assertEquals(2, kept.lines.size());
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        log.client("form.unreadable", "a minute later");
        assertEquals(3, kept.lines.size());
        assertTrue(kept.lines.get(2).text().startsWith("a minute later (and 10000 more like it in the last minute"), kept.lines.get(2).text());

        // a failure of ours keeps its stack trace
        log.failure("disk", "disk full", new java.io.IOException("No space left on device"));
        assertEquals(Level.ERROR, kept.lines.get(3).level());
        assertNotNull(kept.lines.get(3).thrown());
    }
}
