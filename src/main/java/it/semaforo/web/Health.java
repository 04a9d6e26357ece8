package it.semaforo.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.cache.ResponseCache;
import it.semaforo.db.Database;
import it.semaforo.http.Answers;
import it.semaforo.render.Rendered;
import it.semaforo.text.JsonText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * GET /health, for monitoring and container checks: 200 while the database answers (degraded
 * when the disk is nearly full), 503 when it does not, which also puts the cache into its
 * degraded operation at once.
 */
public final class Health {
    private final Database db;
    private final ResponseCache cache;
    private final Path dataDir;
    private final long minFreeDiskBytes;
    private final Supplier<?> mirror;

    /**
     * dataDir: any directory on the data disk; minFreeDiskBytes: under it, the disk is low;
     * mirror: the static copies' state (lag, last error), or null when there are none.
     */
    public Health(Database db, ResponseCache cache, Path dataDir, long minFreeDiskBytes, Supplier<?> mirror) {
        this.mirror = mirror;
        this.db = db;
        this.cache = cache;
        this.dataDir = dataDir;
        this.minFreeDiskBytes = minFreeDiskBytes;
    }

    public void routes(RoutesConfig r) {
        r.get("/health", this::health);
    }

    /** Usable bytes where the data directory is; -1 if the system does not say. */
    private long freeBytes() {
        try {
            return Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void health(Context ctx) {
        boolean dbOk;
        try {
            dbOk = db.read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM service")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            dbOk = false;
            cache.databaseFailed();   // cached pages are now served marked with the time they were true
        }
        // a disk about to fill up still serves every page but will refuse the clerks' next writes:
        // said here, so that monitoring warns the operator before a clerk meets it
        long free = freeBytes();
        boolean diskOk = free < 0 || free >= minFreeDiskBytes;
        String status = !dbOk ? "unavailable" : diskOk ? "ok" : "degraded";
        ObjectNode body = JsonText.MAPPER.createObjectNode();
        body.put("status", status);
        body.put("database", dbOk ? "ok" : "error");
        body.put("disk", diskOk ? "ok" : "low");
        if (free >= 0) body.put("disk_free_bytes", free);
        // the copies' lag and last error, said but not counted in status: a copy that lags does not make this server unwell
        if (mirror != null && dbOk) {
            try {
                body.set("mirror", JsonText.MAPPER.valueToTree(mirror.get()));
            } catch (RuntimeException e) {
                body.put("mirror", "unknown");
            }
        }
        Answers.send(ctx, Rendered.json(dbOk ? 200 : 503, JsonText.write(body)));
    }
}
