package it.semaforo.notice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The stored files of the attachments, in the data directory's allegati/ under a random name
 * (admin.Uploads writes them): the one way to read one back, for its public address and for
 * the clerks' preview alike. Nothing outside that directory is ever read.
 */
public final class AttachmentFiles {
    private static final Pattern STORED_NAME = Pattern.compile("[A-Za-z0-9_-]{16,64}(\\.[a-z0-9]{1,5})?");

    private final Path dir;

    public AttachmentFiles(Path dir) {
        this.dir = dir.normalize();
    }

    /** Whether a name from an address can be a stored name at all: checked before any query. */
    public static boolean isStoredName(String name) {
        return STORED_NAME.matcher(name).matches();
    }

    /** The file's bytes; empty when it is not on disk (or its name leads elsewhere). */
    public Optional<byte[]> read(Attachment a) {
        Path file = dir.resolve(a.storedName()).normalize();
        if (!isStoredName(a.storedName()) || !file.startsWith(dir) || !Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
