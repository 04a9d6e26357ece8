package it.semaforo.web;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /health warns of a disk about to fill up while everything still works. */
class HealthTest {
    @Test
    void aNearlyFullDiskIsDegradedNotDown() {
        // no test machine has a terabyte free: the disk is "low" for this server
        try (TestServer server = TestServer.start(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")), true,
                Map.of("health.disk.min.free.mb", "1048576"))) {
            HttpResponse<String> health = server.get("/health");
            assertEquals(200, health.statusCode(), "pages are still served: not a reason to take the server out");
            assertTrue(health.body().matches("\\{\"status\":\"degraded\",\"database\":\"ok\",\"disk\":\"low\",\"disk_free_bytes\":[0-9]+}"),
                    health.body());
            assertEquals(200, server.get("/").statusCode());
        }
    }
}
