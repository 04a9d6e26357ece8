package it.semaforo.signal;

import java.util.List;

/** A probe's measurements over a period summed up: checks, failures, mean and slowest response of those that passed (-1: none). */
public record ProbeSummary(int measured, int failed, long meanMillis, long slowestMillis) {

    public static ProbeSummary of(List<ProbePeriod> periods) {
        int measured = 0;
        int failed = 0;
        double total = 0;
        long slowest = -1;
        for (ProbePeriod p : periods) {
            measured += p.measured();
            failed += p.failed();
            if (p.meanMillis() >= 0) total += (double) p.meanMillis() * (p.measured() - p.failed());
            slowest = Math.max(slowest, p.slowestMillis());
        }
        int passed = measured - failed;
        return new ProbeSummary(measured, failed, passed == 0 ? -1 : Math.round(total / passed), slowest);
    }

    /** The share of checks that passed, in percent with one decimal (100.0 with none). */
    public double passedPercent() {
        return measured == 0 ? 100.0 : Math.floor((measured - failed) * 1000.0 / measured) / 10.0;
    }
}
