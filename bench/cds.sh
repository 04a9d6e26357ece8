#!/usr/bin/env bash
# Builds an AppCDS archive of Semaforo's classes with a training run: the server starts on a
# demo, answers a page of each kind, and stops (the archive is written at exit). The archive
# is tied to the JDK build and the jar: rebuild it after either changes; never commit it.
# Plain bash (no curl), so that the Dockerfile runs it in the runtime image too.
#   bench/cds.sh [JAR] [ARCHIVE]      defaults: target/semaforo.jar target/semaforo.jsa
# Then: java -XX:SharedArchiveFile=target/semaforo.jsa -jar target/semaforo.jar
set -euo pipefail
jar=${1:-target/semaforo.jar}; jsa=${2:-target/semaforo.jsa}
if [ $# -eq 0 ]; then cd "$(dirname "$0")/.."; [ -f "$jar" ] || mvn -q -B package -DskipTests; fi
work=$(mktemp -d); port=$((20000 + RANDOM % 20000)); trap 'rm -rf "$work"' EXIT
get() {   # GET over a plain socket: path, then optional header
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n' "$1" "${2:+$2$'\r\n'}" >&3
  cat <&3 >/dev/null; exec 3<&-
}
rm -f "$jsa"
SEMAFORO_DATA_DIR="$work/data" SEMAFORO_PORT=$port SEMAFORO_HOST=127.0.0.1 \
  java -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" >"$work/log" 2>&1 &
pid=$!
# up to 2 min: a container build on a loaded machine took over 30 s to start the demo
for _ in $(seq 600); do get /health 2>/dev/null && break; sleep 0.2; done
for path in / /en/ /servizi/stato-civile /avvisi "/avvisi?q=anagrafe" /feed.atom /feed.rss /api/v2/summary.json \
            /api/v2/status.json /embed/banner.js /embed/badge.svg /manutenzioni.ics /admin/login /nope; do
  get "$path"; get "$path" "Accept-Encoding: gzip"
done
kill "$pid"; wait "$pid" || true
[ $# -gt 0 ] || ls -l "$jsa"   # quiet when the build runs it
