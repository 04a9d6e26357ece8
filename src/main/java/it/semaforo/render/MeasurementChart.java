package it.semaforo.render;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The probes of a service as one SVG drawn on the server (no script, no inline style: the
 * colours come from the stylesheets' classes): one lane per probe, its bars the mean response
 * time of the checks that passed in each slice of the period, on the lane's own scale (written
 * beside it), and a failure a downward triangle above its slice, so that failures are told by
 * their shape as well as by their colour. The chart is named (title) and summed up (desc) for
 * screen readers, each slice has its own title (a tooltip), and the page puts the same figures
 * in a table beside it. Used by the clerks' area and, when turned on, by the public service page.
 */
public final class MeasurementChart {
    private static final int WIDTH = 720;
    private static final int LEGEND = 24;
    private static final int LANE_LABEL = 18;
    private static final int PLOT = 60;
    private static final int MARK = 10;
    private static final int GAP = 12;
    private static final int AXIS = 22;
    private static final int LANE = LANE_LABEL + MARK + PLOT + GAP;

    private MeasurementChart() {
    }

    /** One slice of the period: checks, failures, mean and slowest response of those that passed (-1: none). */
    public record Slice(Instant from, Instant to, int measured, int failed, long meanMillis, long slowestMillis) {
    }

    /** One probe: its name and its slices (those without a check left out). */
    public record Lane(String name, List<Slice> slices) {
    }

    /**
     * The words of the chart, already in the reader's language: its title and description, the
     * legend's two entries, a lane's scale ("up to {0} ms" formatted by scale), the slice's tooltip
     * (slice), and times on the axis (time).
     */
    public record Words(String title, String description, String legendLatency, String legendFailed,
                        Function<Long, String> scale, Function<Slice, String> slice, Function<Instant, String> time) {
        /**
         * The words from the messages under keys (".chart.desc", ".legend.latency", ".legend.failed",
         * ".scale", ".slice", ".slice.none"), the same for the clerks' chart and the public one.
         */
        public static Words of(PageContext ctx, String keys, String title, int probes, int measured, int failed) {
            return new Words(title, ctx.t(keys + ".chart.desc", probes, measured, failed),
                    ctx.t(keys + ".legend.latency"), ctx.t(keys + ".legend.failed"),
                    scale -> ctx.t(keys + ".scale", scale),
                    s -> s.meanMillis() < 0
                            ? ctx.t(keys + ".slice.none", ctx.dateTime(s.from()), ctx.dateTime(s.to()), s.measured())
                            : ctx.t(keys + ".slice", ctx.dateTime(s.from()), ctx.dateTime(s.to()), s.measured(),
                            s.failed(), s.meanMillis()),
                    ctx::dateTime);
        }
    }

    /** The chart; id makes its title and description addressable (unique in the page). */
    public static String svg(String id, List<Lane> lanes, Instant from, Instant to, Words words) {
        long span = Math.max(1, Duration.between(from, to).toMillis());
        int height = LEGEND + Math.max(1, lanes.size()) * LANE + AXIS;
        StringBuilder b = new StringBuilder(4096);
        b.append("<svg class=\"probe-chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-title ").append(id).append("-desc\"")
                .append(" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<title id=\"").append(id).append("-title\">").append(escape(words.title())).append("</title>");
        b.append("<desc id=\"").append(id).append("-desc\">").append(escape(words.description())).append("</desc>");
        // the legend: a bar and a triangle, each with its words
        b.append("<g class=\"probe-legend\" aria-hidden=\"true\">");
        b.append("<rect class=\"probe-ok\" x=\"0\" y=\"6\" width=\"10\" height=\"12\"/>");
        b.append("<text class=\"probe-chart-text\" x=\"16\" y=\"16\">").append(escape(words.legendLatency())).append("</text>");
        b.append("<path class=\"probe-failed\" d=\"").append(triangle(WIDTH / 2.0, 6)).append("\"/>");
        b.append("<text class=\"probe-chart-text\" x=\"").append(WIDTH / 2 + 10).append("\" y=\"16\">")
                .append(escape(words.legendFailed())).append("</text>");
        b.append("</g>");
        int y = LEGEND;
        for (Lane lane : lanes) {
            long scale = niceScale(lane.slices().stream().mapToLong(Slice::meanMillis).max().orElse(0));
            b.append("<g class=\"probe-lane\">");
            b.append("<text class=\"probe-chart-text probe-lane-name\" x=\"0\" y=\"").append(y + 13).append("\">")
                    .append(escape(lane.name())).append(" · ").append(escape(words.scale().apply(scale))).append("</text>");
            int plotTop = y + LANE_LABEL + MARK;
            b.append("<rect class=\"probe-chart-frame\" x=\"0\" y=\"").append(plotTop).append("\" width=\"").append(WIDTH)
                    .append("\" height=\"").append(PLOT).append("\"/>");
            for (Slice s : lane.slices()) {
                double x0 = Duration.between(from, s.from()).toMillis() * (double) WIDTH / span;
                double x1 = Duration.between(from, s.to()).toMillis() * (double) WIDTH / span;
                if (x1 <= 0 || x0 >= WIDTH) continue;
                x0 = Math.max(0, x0);
                x1 = Math.min(WIDTH, x1);
                double w = Math.max(1, x1 - x0 - (x1 - x0 > 3 ? 1 : 0));
                b.append("<g class=\"probe-slice\"><title>").append(escape(words.slice().apply(s))).append("</title>");
                if (s.meanMillis() >= 0) {
                    double h = Math.max(1, Math.min(PLOT, s.meanMillis() * (double) PLOT / scale));
                    b.append("<rect class=\"probe-ok\" x=\"").append(num(x0)).append("\" y=\"").append(num(plotTop + PLOT - h))
                            .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h)).append("\"/>");
                } else {
                    // nothing passed: an empty slice would look like "fast"; a hatched frame says "no answer"
                    b.append("<rect class=\"probe-none\" x=\"").append(num(x0)).append("\" y=\"").append(plotTop)
                            .append("\" width=\"").append(num(w)).append("\" height=\"").append(PLOT).append("\"/>");
                }
                if (s.failed() > 0) {
                    b.append("<path class=\"probe-failed\" d=\"").append(triangle(x0 + w / 2, plotTop - MARK)).append("\"/>");
                }
                b.append("</g>");
            }
            b.append("</g>");
            y += LANE;
        }
        // the time axis: start, middle, end
        int axisY = y + 14;
        b.append("<g class=\"probe-axis\" aria-hidden=\"true\">");
        b.append("<text class=\"probe-chart-text\" x=\"0\" y=\"").append(axisY).append("\">").append(escape(words.time().apply(from))).append("</text>");
        b.append("<text class=\"probe-chart-text\" x=\"").append(WIDTH / 2).append("\" y=\"").append(axisY)
                .append("\" text-anchor=\"middle\">").append(escape(words.time().apply(from.plusMillis(span / 2)))).append("</text>");
        b.append("<text class=\"probe-chart-text\" x=\"").append(WIDTH).append("\" y=\"").append(axisY)
                .append("\" text-anchor=\"end\">").append(escape(words.time().apply(to))).append("</text>");
        b.append("</g></svg>");
        return b.toString();
    }

    /** A scale a reader takes in at a glance: 1, 2 or 5 times a power of ten, at least 100 ms. */
    static long niceScale(long slowest) {
        long scale = 100;
        while (scale < slowest) {
            long next = scale * 2;
            if (next >= slowest) return next;
            next = scale * 5;
            if (next >= slowest) return next;
            scale *= 10;
        }
        return scale;
    }

    private static String triangle(double cx, double top) {
        return "M" + num(cx - 5) + " " + num(top) + "H" + num(cx + 5) + "L" + num(cx) + " " + num(top + 8) + "Z";
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
