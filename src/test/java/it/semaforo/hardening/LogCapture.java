package it.semaforo.hardening;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the server logs while a test runs: slf4j-simple writes to System.err as it is at each
 * line, so a tee in its place counts every byte (and keeps the first megabytes to look at)
 * while still showing everything in the test output. Also the CPU the server's threads burn.
 */
final class LogCapture implements AutoCloseable {
    private static final int KEPT = 4 * 1024 * 1024;

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long bytes;

    private LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                bytes += len;
                int room = KEPT - kept.size();
                if (room > 0) kept.write(b, off, Math.min(room, len));
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    static LogCapture start() {
        return new LogCapture();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }

    /** Lines of stack traces in what was logged. */
    long stackTraceLines() {
        return text().lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")).count();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }

    /** CPU time, in nanoseconds, used so far by the server's pool and selector threads (Jetty names them qtp…). */
    static long serverThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                .filter(t -> t != null && t.getThreadName().startsWith("qtp"))
                .mapToLong(ThreadInfo::getThreadId).map(threads::getThreadCpuTime).filter(t -> t > 0).sum();
    }

    /**
     * Waits until the server's threads stay idle: their CPU over one second below 50 ms, within
     * the deadline. Returns the CPU of the last second, in milliseconds.
     */
    static long awaitIdle(long deadlineMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + deadlineMillis;
        long used;
        do {
            long before = serverThreadsCpu();
            Thread.sleep(1000);
            used = (serverThreadsCpu() - before) / 1_000_000;
        } while (used >= 50 && System.currentTimeMillis() < end);
        return used;
    }
}
