#!/usr/bin/env bash
# The image's HEALTHCHECK: exit 0 when the server in this container answers /health with 200.
# Plain bash (no curl in a minimal image, and no JVM started every 30 s beside the server, which
# took over 10 s on a loaded machine). The port is SEMAFORO_PORT's, as the server's (7070).
exec 3<>"/dev/tcp/127.0.0.1/${SEMAFORO_PORT:-7070}" || exit 1
printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
read -r -t 5 _ status _ <&3 || exit 1
echo "/health: HTTP $status"
[ "$status" = 200 ]
