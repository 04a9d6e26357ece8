package it.semaforo.render;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A probe's measurements as an SVG drawn on the server (no script, no inline style: the
 * colours come from the stylesheets' classes): one bar per measurement over the period, its
 * height the response time on a scale up to the slowest, a failure a full-height bar of its
 * own class. Used by the clerks' area and, when turned on, by the public service page.
 */
public final class MeasurementChart {
    private static final int WIDTH = 600;
    private static final int HEIGHT = 120;

    private MeasurementChart() {
    }

    /** One measurement: when, whether it passed, how long the answer took. */
    public record Point(Instant at, boolean ok, long millis) {
    }

    /** The chart, with label as its accessible title (escaped here). */
    public static String svg(List<Point> points, Instant from, Instant to, String label) {
        long span = Math.max(1, Duration.between(from, to).toMillis());
        long slowest = Math.max(100, points.stream().filter(Point::ok).mapToLong(Point::millis).max().orElse(100));
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"probe-chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<title>").append(escape(label)).append("</title>");
        b.append("<rect class=\"probe-chart-frame\" x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\"/>");
        for (Point p : points) {
            long offset = Duration.between(from, p.at()).toMillis();
            if (offset < 0 || offset > span) continue;
            double x = offset * (WIDTH - 2.0) / span;
            double h = p.ok() ? Math.max(2, p.millis() * (HEIGHT - 10.0) / slowest) : HEIGHT;
            b.append("<rect class=\"").append(p.ok() ? "probe-ok" : "probe-failed").append("\" x=\"")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", x)).append("\" y=\"")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", HEIGHT - h)).append("\" width=\"2\" height=\"")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", h)).append("\"/>");
        }
        b.append("</svg>");
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
