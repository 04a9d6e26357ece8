package it.semaforo.admin;

import it.semaforo.render.MeasurementChart;
import it.semaforo.render.PageContext;
import it.semaforo.signal.ProbePeriod;
import it.semaforo.signal.ProbeResult;
import it.semaforo.signal.ProbeSummary;
import it.semaforo.signal.Source;
import it.semaforo.signal.Sources;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The clerks' chart of probes (issue 22: "shown to clerks as a chart per service"): the probes
 * of a service, or one probe, over the last 24 hours, 7 days or 90 days, as an SVG drawn by
 * render.MeasurementChart, with what a screen reader reads instead: a summary per probe and the
 * periods with failed checks, as tables.
 */
public final class ProbeCharts {
    /** The periods a clerk chooses by a link (?periodo=…), and the slices each is drawn in. */
    public enum Period {
        DAY("24h", Duration.ofDays(1), 144), WEEK("7g", Duration.ofDays(7), 168), QUARTER("90g", Duration.ofDays(90), 180);

        final String key;
        final Duration length;
        final int slices;

        Period(String key, Duration length, int slices) {
            this.key = key;
            this.length = length;
            this.slices = slices;
        }

        public String key() {
            return key;
        }

        /** The period a query names; the last 24 hours for anything else. */
        static Period of(String key) {
            return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst().orElse(DAY);
        }
    }

    /** A probe over the period: its figures and its latest check (null: none yet). */
    public record ProbeLine(Source source, ProbeSummary summary, ProbeResult last) {
    }

    /** A slice of the period in which checks failed. */
    public record FailureRow(String probe, Instant from, Instant to, int failed, int measured) {
    }

    public record Chart(String svg, List<ProbeLine> probes, List<FailureRow> failures, int moreFailures, int measured,
                        int failed) {
    }

    /** At most this many rows of failures; the rest counted. */
    static final int FAILURE_ROWS = 50;

    private ProbeCharts() {
    }

    static Chart chart(Sources sources, List<Source> probes, Period period, Instant now, PageContext ctx, String title) {
        Instant from = now.minus(period.length);
        Instant to = now.plusMillis(1);   // the check made this very millisecond is in
        List<MeasurementChart.Lane> lanes = new ArrayList<>();
        List<ProbeLine> lines = new ArrayList<>();
        List<FailureRow> failures = new ArrayList<>();
        int measured = 0;
        int failed = 0;
        for (Source p : probes) {
            List<ProbePeriod> periods = sources.periods(p.id(), from, to, period.slices);
            ProbeSummary summary = ProbeSummary.of(periods);
            measured += summary.measured();
            failed += summary.failed();
            lines.add(new ProbeLine(p, summary, sources.last(p.id()).orElse(null)));
            lanes.add(new MeasurementChart.Lane(p.name(), periods.stream().map(x -> new MeasurementChart.Slice(x.from(),
                    x.to(), x.measured(), x.failed(), x.meanMillis(), x.slowestMillis())).toList()));
            for (ProbePeriod x : periods) {
                if (x.failed() > 0) failures.add(new FailureRow(p.name(), x.from(), x.to(), x.failed(), x.measured()));
            }
        }
        failures.sort(Comparator.comparing(FailureRow::from).reversed());
        int more = Math.max(0, failures.size() - FAILURE_ROWS);
        MeasurementChart.Words words = MeasurementChart.Words.of(ctx, "admin.measurements", title, probes.size(),
                measured, failed);
        String svg = MeasurementChart.svg("probe-chart", lanes, from, now, words);
        return new Chart(svg, lines, failures.subList(0, failures.size() - more), more, measured, failed);
    }
}
