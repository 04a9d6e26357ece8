package it.semaforo.admin;

import it.semaforo.audit.Actor;
import it.semaforo.service.Catalog;
import it.semaforo.service.ServiceState;
import it.semaforo.signal.SourceInput;
import it.semaforo.signal.SourceKind;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.testing.Upstream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static it.semaforo.admin.AdminTesting.PASSWORD;

/**
 * The benchmark of bench/signals.sh (tagged "bench": not part of ./test): the demo comune with
 * 200 Statuspage sources and 200 probes on loopback upstreams, at their default interval. It
 * reports the CPU time of the poller's threads (and of the HTTP client's) per minute, the heap
 * in use, the home page's throughput without and with the polling, and the time from an
 * upstream change, and from a probe target going down, to the clerks' dashboard showing it.
 */
@Tag("bench")
class SignalsBench {
    static final int SOURCES = Integer.getInteger("signals.bench.sources", 200);
    static final int PROBES = Integer.getInteger("signals.bench.probes", 200);
    static final int INTERVAL = Integer.getInteger("signals.bench.interval", 60);

    @Test
    void twoHundredSourcesAndTwoHundredProbes() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        Thread ticking = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                clock.set(Instant.now());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ticking.setDaemon(true);
        ticking.start();
        String summary;
        try (InputStream in = SignalsBench.class.getResourceAsStream("/signals/summary.json")) {
            summary = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"major_outage\"", "\"operational\"");
        }
        AtomicInteger probeStatus = new AtomicInteger(200);
        try (Upstream upstream = Upstream.start();
             TestServer server = TestServer.start(clock, true, AdminTesting.settings("signals.allow.private", "true",
                     "signals.interval.seconds", String.valueOf(INTERVAL)))) {
            for (int i = 0; i < SOURCES; i++) upstream.serve("/sp/" + i + "/api/v2/summary.json", "application/json", summary);
            for (int i = 0; i < PROBES; i++) {
                int n = i;
                upstream.handle("/probe/" + i, exchange -> Upstream.send(exchange, n == 0 ? probeStatus.get() : 200,
                        "text/html", "<h1>Portale</h1>"));
            }
            homeThroughput(server, 10);   // warm-up: the JIT, the response cache
            double before = homeThroughput(server, 10);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();   // the demo served, no source yet

            Catalog cat = server.app().services().load();
            var signals = server.app().signals();
            for (int i = 0; i < SOURCES; i++) {
                signals.addSource(Actor.commandLine(), new SourceInput(SourceKind.STATUSPAGE, "Fonte " + i,
                        upstream.url("/sp/" + i + "/api/v2/summary.json"), cat.providers().get(i % cat.providers().size()).id(),
                        null, "ANPR gateway", ServiceState.DEGRADED, Duration.ofSeconds(INTERVAL), Duration.ofSeconds(10), 200, 3,
                        false, false));
            }
            for (int i = 0; i < PROBES; i++) {
                signals.addSource(Actor.commandLine(), new SourceInput(SourceKind.PROBE, "Controllo " + i, upstream.url("/probe/" + i),
                        null, cat.services().get(i % cat.services().size()).id(), "Portale", ServiceState.SUSPENDED,
                        Duration.ofSeconds(INTERVAL), Duration.ofSeconds(10), 200, 3, false, false));
            }
            AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
            AdminClient admin = new AdminClient(server);
            admin.login("giulia.verdi", PASSWORD);

            // a first round of every source, then one interval of steady polling measured
            Thread.sleep((INTERVAL + 5) * 1000L);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = pollerCpu(threads);
            long wall0 = System.nanoTime();
            Thread.sleep(INTERVAL * 1000L);
            long cpu = pollerCpu(threads) - cpu0;
            double wall = (System.nanoTime() - wall0) / 1e9;
            System.gc();
            long heap = memory.getHeapMemoryUsage().getUsed();
            double during = homeThroughput(server, 10);
            long polls = upstream.requests.size();

            // an upstream change: from the moment it is served to the dashboard showing it
            long[] changes = new long[3];
            for (int k = 0; k < changes.length; k++) {
                String path = "/sp/" + k + "/api/v2/summary.json";
                String title = k % 2 == 0 ? "\"partial_outage\"" : "\"major_outage\"";
                long t0 = System.nanoTime();
                upstream.serve(path, "application/json", summary.replaceFirst("\"operational\"", title)
                        .replace("\"ANPR gateway\", \"status\": \"operational\"", "\"ANPR gateway\", \"status\": " + title));
                String source = "Fonte " + k;
                while (!admin.get("/admin").body().contains("Da " + source + " (")) {
                    if (System.nanoTime() - t0 > Duration.ofSeconds(INTERVAL * 3L).toNanos()) break;
                    Thread.sleep(200);
                }
                changes[k] = (System.nanoTime() - t0) / 1_000_000;
            }
            // a probe target going down: clerks see the failed check on the probe's page at its next
            // check (the target: one interval + 2 s); three failed checks in a row make the signal
            long probe = signals.sources().list().stream().filter(x -> x.name().equals("Controllo 0")).findFirst()
                    .orElseThrow().id();
            long p0 = System.nanoTime();
            probeStatus.set(503);
            while (!admin.get("/admin/segnalazioni/fonti/" + probe).body().contains("ricevuto 503")) {
                if (System.nanoTime() - p0 > Duration.ofSeconds(INTERVAL * 3L).toNanos()) break;
                Thread.sleep(200);
            }
            long probeSeenMillis = (System.nanoTime() - p0) / 1_000_000;
            while (!admin.get("/admin").body().contains("Controllo 0 non risponde come atteso")) {
                if (System.nanoTime() - p0 > Duration.ofSeconds(INTERVAL * 5L).toNanos()) break;
                Thread.sleep(200);
            }
            long probeMillis = (System.nanoTime() - p0) / 1_000_000;
            Arrays.sort(changes);
            System.out.printf("signals bench: %d sources + %d probes every %d s; %d upstream requests so far; poller and HTTP "
                            + "client CPU %.2f s per %.0f s of wall time (%.1f%% of one core); heap in use after GC %d MiB, "
                            + "%d MiB before the sources (polling's share %+d MiB); "
                            + "home page %.0f req/s before the sources, %.0f req/s while polling; upstream change to dashboard: "
                            + "%s ms (target <= %d ms); probe target down to its failed check on the probe's page: %d ms "
                            + "(target <= %d ms), to the signal on the dashboard (3 checks by design): %d ms%n",
                    SOURCES, PROBES, INTERVAL, polls, cpu / 1e9, wall, 100.0 * cpu / 1e9 / wall, heap / (1024 * 1024),
                    heapBefore / (1024 * 1024), (heap - heapBefore) / (1024 * 1024),
                    before, during, Arrays.toString(changes), INTERVAL * 1000 + 2000, probeSeenMillis,
                    INTERVAL * 1000 + 2000, probeMillis);
        } finally {
            ticking.interrupt();
        }
    }

    /**
     * CPU time of the poller's threads (its HTTP client, Apache HttpClient 5 classic, runs on them;
     * the deadline thread is one of them) and of any JDK HTTP client thread.
     */
    private static long pollerCpu(ThreadMXBean threads) {
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) continue;
            String name = info.getThreadName();
            if (name.startsWith("semaforo-signals") || name.startsWith("HttpClient")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) total += t;
            }
        }
        return total;
    }

    /** Sequential GETs of the home page for the given seconds: answers per second. */
    private static double homeThroughput(TestServer server, int seconds) throws IOException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end) {
            if (server.get("/").statusCode() != 200) throw new IOException("home page failed");
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
