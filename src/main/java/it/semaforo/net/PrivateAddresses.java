package it.semaforo.net;

import java.net.InetAddress;

/**
 * The one rule for the addresses Semaforo does not reach out to unless configured (webhooks'
 * endpoints, signals' upstreams and probes): nothing inside the comune's own network or this
 * machine, so that an address typed in the clerks' area (or a redirect, or a DNS answer that
 * changes) cannot make the server ask its neighbours. Imports no other package of ours.
 */
public final class PrivateAddresses {
    private PrivateAddresses() {
    }

    /**
     * Loopback, private (RFC 1918), link-local, unique-local (fc00::/7), carrier-grade NAT
     * (100.64/10), unspecified and "this network" (0/8), multicast. (Java reads an IPv4 address
     * mapped into IPv6, ::ffff:10.0.0.1, as the IPv4 address itself.)
     */
    public static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) return true;
        byte[] b = a.getAddress();
        if (b.length == 16 && (b[0] & 0xfe) == 0xfc) return true;   // IPv6 unique local fc00::/7
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) return true;   // carrier-grade NAT 100.64/10
        return b.length == 4 && (b[0] & 0xff) == 0;
    }
}
