package it.semaforo.export;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The copy as files in a directory, for nginx or any static host: each file written under a
 * temporary name beside its place, then renamed over it, so a reader sees the old bytes or the
 * new ones, never half a file.
 */
public final class DirectoryTarget implements MirrorTarget {
    private final Path root;

    public DirectoryTarget(Path dir) throws IOException {
        this.root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
    }

    @Override
    public String name() {
        return "dir";
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(MirrorFile f) throws IOException {
        Path file = resolve(f.file());
        Files.createDirectories(file.getParent());
        // a dot name: a static host does not serve it, and a crash leaves it for the next write to ignore
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temp, f.body());
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Path file = resolve(name);
        Files.deleteIfExists(file);
        // the directories it leaves empty go too (an avviso's attachments), never the root
        for (Path dir = file.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root); dir = dir.getParent()) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException notEmpty) {
                break;
            }
        }
    }

    private Path resolve(String name) {
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root) || file.equals(root)) throw new IllegalArgumentException("refusing to write outside " + root + ": " + name);
        return file;
    }
}
