#!/usr/bin/env bash
# Builds a base whose home page carries the very bytes of this build's, so that bench/side-by-side.sh
# compares the serving of the page rather than its size: the home page grew after the base (the
# first screen, the rating form, the social-card metadata: 33 KB against 22 KB), and a response half
# as large again costs the server and wrk more whatever the code that serves it.
#   bench/same-bytes-base.sh DIR [COMMIT] [URL]
# DIR: where the base's worktree goes (git worktree add --detach; COMMIT defaults to 608aeeb, the
# commit before the event core). URL: a running build of this repository to take the page from
# (default: this repository's jar started for the purpose on the demo). The base's home template is
# replaced by one that writes the bytes of DIR/same-bytes-home.html; everything else about how the
# base caches, compresses and serves the page is its own. Then:
#   bench/side-by-side.sh DIR .
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?DIR}; commit=${2:-608aeeb}; url=${3:-}
[ -e "$dir" ] || git worktree add --detach "$dir" "$commit"
dir=$(cd "$dir" && pwd)
if [ -z "$url" ]; then
  [ -f target/semaforo.jar ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
  data=$(mktemp -d); port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  SEMAFORO_DATA_DIR=$data SEMAFORO_PORT=$port SEMAFORO_HOST=127.0.0.1 java -jar target/semaforo.jar >"$data/server.log" 2>&1 &
  server=$!; trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
  url=http://127.0.0.1:$port/
  for _ in $(seq 300); do curl -sf -o /dev/null "${url}health" && break; sleep 0.2; done
fi
curl -sf -o "$dir/same-bytes-home.html" "$url"
mkdir -p "$dir/src/main/java/it/semaforo/web"
cat >"$dir/src/main/java/it/semaforo/web/SameBytes.java" <<EOF
package it.semaforo.web;

/** bench/same-bytes-base.sh: the home page's bytes are another build's, read once. */
public final class SameBytes {
    private static final String HOME = read();

    private static String read() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("$dir/same-bytes-home.html"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static String home() {
        return HOME;
    }
}
EOF
printf '@param it.semaforo.web.Pages.Home page\n$unsafe{it.semaforo.web.SameBytes.home()}' >"$dir/src/main/jte/home.jte"
(cd "$dir" && mvn -B -q package -DskipTests -Dcds.skip)
echo "$dir/target/semaforo.jar: its home page is $(wc -c <"$dir/same-bytes-home.html") bytes, from $url"
