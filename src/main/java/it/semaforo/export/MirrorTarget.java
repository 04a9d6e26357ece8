package it.semaforo.export;

import java.io.IOException;

/**
 * Where the mirror keeps a static copy: a directory (DirectoryTarget) or an S3-compatible bucket
 * (BucketTarget). Each write is whole or absent to a reader; a failure throws, and the mirror
 * keeps the work queued and tries again later.
 */
public interface MirrorTarget extends AutoCloseable {
    /** The name its queue and status go by: "dir", "s3". */
    String name();

    /** Writes (or replaces) one file atomically. */
    void put(MirrorFile file) throws IOException;

    /** Removes one file; nothing if it is already gone. */
    void delete(String file) throws IOException;

    @Override
    default void close() {
    }

    /**
     * One file of the copy. file: its relative name (servizi/anagrafe/index.html); language: the
     * language of its text, or null (an image, an attachment); cacheControl: as the server answers.
     */
    record MirrorFile(String file, byte[] body, String contentType, String language, String cacheControl) {
    }
}
