package it.semaforo.http;

import io.javalin.http.Context;

/**
 * The client's address, for throttling: X-Forwarded-For counts only when the configuration says
 * a proxy of ours is in front (proxy.trusted), and then only its last entry, the one our proxy
 * appended; otherwise the connection's own address.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String of(Context ctx, boolean trustProxy) {
        if (trustProxy) {
            String forwarded = ctx.header("X-Forwarded-For");
            if (forwarded != null) {
                String[] hops = forwarded.split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty() && last.length() <= 64 && last.matches("[0-9A-Fa-f:.\\[\\]]+")) return last;
            }
        }
        String remote = ctx.req().getRemoteAddr();
        return remote == null ? "" : remote;
    }
}
