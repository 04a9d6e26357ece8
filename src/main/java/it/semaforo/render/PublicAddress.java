package it.semaforo.render;

import java.util.function.Supplier;

/**
 * One public address and how to render it, as a visitor without Accept-Language gets it: what
 * the static export writes. The supplier calls the very method the address's route calls, so a
 * static copy holds the bytes the server answers.
 */
public record PublicAddress(String path, Supplier<Rendered> render) {
}
