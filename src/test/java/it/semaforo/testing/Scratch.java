package it.semaforo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What tests that start things of their own need: a free loopback port, and their temporary files gone. */
public final class Scratch {
    private Scratch() {
    }

    /** A port nothing listens on now, for a server the test starts itself. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new temporary directory; delete it with delete(). */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes a temporary directory and everything in it; one left behind is harmless, so failures are ignored.
     * A file that vanishes during the walk (a writer's temporary file renamed into place) is not a failure either.
     */
    public static void delete(Path dir) {
        for (int attempt = 0; attempt < 3 && dir != null && Files.exists(dir); attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // walk again: what was renamed or added meanwhile goes on the next pass
            }
        }
    }
}
