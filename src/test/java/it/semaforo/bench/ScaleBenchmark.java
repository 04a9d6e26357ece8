package it.semaforo.bench;

import it.semaforo.app.Config;
import it.semaforo.cache.ResponseCache;
import it.semaforo.db.Database;
import it.semaforo.demo.LargeComune;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.status.StatusService;
import it.semaforo.text.Markdown;
import it.semaforo.web.PublicSite;
import it.semaforo.render.Templates;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scale of a large comune (300 services, 20,000 avvisi, 60,000 updates): the archive's search
 * and filters, and the home page rendered without the response cache. Run with
 * `bench/scale.sh` (see README, "Performance"); SampleTime mode reports the percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class ScaleBenchmark {
    private static final List<Map<String, List<String>>> QUERIES = List.of(
            Map.of("q", List.of("guasto")),
            Map.of("q", List.of("attacco informatico"), "pagina", List.of("3")),
            Map.of("servizio", List.of("servizio-42")),
            Map.of("tipo", List.of("manutenzione"), "anno", List.of("2024")),
            Map.of("anno", List.of("2022"), "pagina", List.of("7")),
            Map.of("q", List.of("sportello"), "tipo", List.of("disservizio"), "servizio", List.of("servizio-7")),
            Map.of("pagina", List.of("150")),
            Map.of());

    private static final it.semaforo.render.Lang ITALIAN = it.semaforo.render.Lang.negotiated(Locale.ITALIAN);

    private Path dir;
    private Database db;
    private PublicSite site;
    private StatusService status;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("semaforo-scale");
        Clock clock = Clock.systemUTC();
        Config config = Config.load(Map.of()).with(Map.of("demo.enabled", "false", "data.dir", dir.toString()));
        it.semaforo.app.Domain domain = it.semaforo.app.Domain.open(dir.resolve("semaforo.db"), clock, config.zone(),
                it.semaforo.admin.AdminSite.auditWording(config.admin()));
        db = domain.db();
        ServiceCatalog services = domain.services();
        NoticeRepository notices = domain.notices();
        new LargeComune(services, notices, clock).seed();
        status = domain.status();
        it.semaforo.render.Site siteSettings = config.site(it.semaforo.render.Assets.load(config.comuneLogo(), config.shareImage()));
        it.semaforo.http.Answers answers = new it.semaforo.http.Answers(new ResponseCache(clock, 1, Map.of()),
                siteSettings.defaultLanguage());
        Templates templates = new Templates();
        it.semaforo.web.ErrorPages errors = new it.semaforo.web.ErrorPages(templates, siteSettings, answers);
        site = new PublicSite(status, notices, templates, new Markdown(), siteSettings,
                new it.semaforo.web.Attachments(notices, new it.semaforo.notice.AttachmentFiles(dir), answers, errors), answers, errors);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
    }

    /** All the searches and filters in turn: the percentiles are over the mix. */
    @Benchmark
    public byte[] archiveSearchAndFilters() {
        return site.archive(ITALIAN, QUERIES.get(next.getAndIncrement() % QUERIES.size())).body();
    }

    /** One search or filter at a time, to see which one costs. */
    @State(Scope.Benchmark)
    public static class OneQuery {
        @org.openjdk.jmh.annotations.Param({"0", "1", "2", "3", "4", "5", "6", "7"})
        public int query;
    }

    @Benchmark
    public byte[] archiveEachQuery(OneQuery one) {
        return site.archive(ITALIAN, QUERIES.get(one.query)).body();
    }

    /** The home page rendered again, from the read model kept since the last change. */
    @Benchmark
    public byte[] homeUncached() {
        return site.home(ITALIAN).body();
    }

    /** The home page right after a change: the read model is loaded from SQLite, then rendered. */
    @Benchmark
    public byte[] homeAfterAChange() {
        status.invalidate();
        return site.home(ITALIAN).body();
    }
}
