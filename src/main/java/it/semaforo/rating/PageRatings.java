package it.semaforo.rating;

import it.semaforo.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers to the page rating, one row each: the page, the stars, the follow-up reason, the
 * resident's optional words and the day. Nothing about who answered is stored (no address, no
 * time of day, no browser): the once-per-visitor check lives in memory only (OncePerVisitor).
 */
public final class PageRatings {
    private final Database db;

    public PageRatings(Database db) {
        this.db = db;
    }

    public record Answer(String page, int stars, Reason reason, String details, LocalDate day) {
    }

    public void record(Answer a) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO page_rating(page, stars, reason, details, day) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, a.page());
                ps.setInt(2, a.stars());
                ps.setString(3, a.reason() == null ? null : a.reason().key());
                ps.setString(4, a.details());
                ps.setString(5, a.day().toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** What clerks see of one page: how many answers, the average, the stars and reasons counted, the latest words. */
    public record PageSummary(String page, int answers, double average, List<Integer> byStars, Map<Reason, Integer> reasons,
                              List<String> latestDetails, LocalDate lastDay) {
    }

    /** Every rated page, the most answered first; up to detailsPerPage of the latest non-empty comments each. */
    public List<PageSummary> summary(int detailsPerPage) {
        return db.read(c -> {
            Map<String, int[]> stars = new LinkedHashMap<>();
            Map<String, LocalDate> lastDay = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT page, stars, count(*) AS n, max(day) AS last FROM page_rating GROUP BY page, stars""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stars.computeIfAbsent(rs.getString("page"), k -> new int[5])[rs.getInt("stars") - 1] = rs.getInt("n");
                    LocalDate last = LocalDate.parse(rs.getString("last"));
                    lastDay.merge(rs.getString("page"), last, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            Map<String, Map<Reason, Integer>> reasons = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT page, reason, count(*) AS n FROM page_rating WHERE reason IS NOT NULL GROUP BY page, reason""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (Reason r : Reason.values()) {
                        if (r.key().equals(rs.getString("reason"))) {
                            reasons.computeIfAbsent(rs.getString("page"), k -> new EnumMap<>(Reason.class)).put(r, rs.getInt("n"));
                        }
                    }
                }
            }
            Map<String, List<String>> details = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT page, details FROM (
                      SELECT page, details, row_number() OVER (PARTITION BY page ORDER BY id DESC) AS k
                      FROM page_rating WHERE details <> '') WHERE k <= ? ORDER BY page, k""")) {
                ps.setInt(1, detailsPerPage);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) details.computeIfAbsent(rs.getString("page"), k -> new ArrayList<>()).add(rs.getString("details"));
                }
            }
            List<PageSummary> all = new ArrayList<>();
            stars.forEach((page, counts) -> {
                int n = 0;
                int sum = 0;
                List<Integer> byStars = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    n += counts[i];
                    sum += counts[i] * (i + 1);
                    byStars.add(counts[i]);
                }
                all.add(new PageSummary(page, n, n == 0 ? 0 : (double) sum / n, List.copyOf(byStars),
                        reasons.getOrDefault(page, Map.of()), details.getOrDefault(page, List.of()), lastDay.get(page)));
            });
            all.sort(java.util.Comparator.comparingInt(PageSummary::answers).reversed().thenComparing(PageSummary::page));
            return all;
        });
    }
}
