package it.semaforo.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Attachments as files under the data directory's allegati/, with a random name. The type is
 * read from the first bytes of the content, never from the filename or the browser's claim.
 */
public final class Uploads {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What residents may download: documents and pictures, nothing a browser would run. */
    public enum FileType {
        PDF("application/pdf", "pdf"),
        PNG("image/png", "png"),
        JPEG("image/jpeg", "jpg"),
        WEBP("image/webp", "webp"),
        GIF("image/gif", "gif");

        private final String contentType;
        private final String extension;

        FileType(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        public String contentType() {
            return contentType;
        }

        public String extension() {
            return extension;
        }
    }

    private final Path dir;
    private final long maxBytes;

    public Uploads(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The type given by the magic bytes at the start of a file. */
    public static Optional<FileType> sniff(byte[] head) {
        if (startsWith(head, 0, "%PDF-".getBytes(StandardCharsets.US_ASCII))) return Optional.of(FileType.PDF);
        if (startsWith(head, 0, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) return Optional.of(FileType.PNG);
        if (startsWith(head, 0, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) return Optional.of(FileType.JPEG);
        if (startsWith(head, 0, "GIF87a".getBytes(StandardCharsets.US_ASCII))
                || startsWith(head, 0, "GIF89a".getBytes(StandardCharsets.US_ASCII))) return Optional.of(FileType.GIF);
        if (startsWith(head, 0, "RIFF".getBytes(StandardCharsets.US_ASCII))
                && startsWith(head, 8, "WEBP".getBytes(StandardCharsets.US_ASCII))) return Optional.of(FileType.WEBP);
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        return data.length >= offset + prefix.length
                && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    /** A file written under its final random name, not yet recorded in the database. */
    public record Stored(String storedName, FileType type, long sizeBytes, Path file) {
        /** Removes the file when the database refused the record that would point to it. */
        public void discard() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // an orphan file is harmless: nothing links to it
            }
        }
    }

    /** Why a file was refused. */
    public static final class Refused extends Exception {
        private final boolean tooLarge;

        Refused(boolean tooLarge) {
            super(tooLarge ? "too large" : "type not allowed");
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    /**
     * Copies the content to a temporary file, refusing it as soon as it passes the size limit
     * or when its first bytes are not of an allowed type, then gives it its final name.
     */
    public Stored store(InputStream in) throws IOException, Refused {
        Files.createDirectories(dir);
        Path part = dir.resolve(randomName() + ".part");
        long size = 0;
        byte[] head = new byte[16];
        int headLength = 0;
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (headLength < head.length) {
                        int take = Math.min(n, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, take);
                        headLength += take;
                    }
                    size += n;
                    if (size > maxBytes) throw new Refused(true);
                    out.write(buffer, 0, n);
                }
            }
            FileType type = sniff(Arrays.copyOf(head, headLength)).orElseThrow(() -> new Refused(false));
            String name = randomName() + "." + type.extension();
            Path file = dir.resolve(name);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            return new Stored(name, type, size, file);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static String randomName() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
