#!/usr/bin/env bash
# Bounded soak: the real server (demo comune, fresh data directory) on loopback under wrk for
# DURATION (default 10m) with CONNECTIONS (default 16) keep-alive connections on 2 threads,
# reading the pages, feeds and API in turn (bench/soak.lua); every 10 s a heap sample
# (jstat). Passes when wrk saw no error and no 4xx/5xx and the heap after a full GC at the
# end is within 20 % (+8 MB) of the heap after a full GC at the start.
#   bench/soak.sh [DURATION] [CONNECTIONS]        e.g. bench/soak.sh 10m 16
# WRITES=1: a clerk also publishes an update every second for the whole run (the check then also
# needs every update accepted). HEAP=64m (default 256m) for the -Xmx of the server.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10m}
CONNECTIONS=${2:-16}
PORT=${SOAK_PORT:-7099}
OUT=target/soak
mkdir -p "$OUT"
if [ ! -f target/soak-classpath.txt ]; then
  mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/soak-classpath.txt -Dmdep.includeScope=runtime
fi
DATA=$(mktemp -d)
# the publisher signs in with a password alone: no second factor required of its administrator
SEMAFORO_DATA_DIR="$DATA" SEMAFORO_PORT=$PORT SEMAFORO_HOST=127.0.0.1 SEMAFORO_DEMO_ENABLED=true SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= \
  java -Xmx"${HEAP:-256m}" -cp "target/classes:$(cat target/soak-classpath.txt)" it.semaforo.app.Main serve > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
# warm up, then the reference heap after a full GC
wrk -t2 -c"$CONNECTIONS" -d10s -s bench/soak.lua "http://127.0.0.1:$PORT" >/dev/null
heap_after_gc() { jcmd "$1" GC.run >/dev/null; sleep 1; jstat -gc "$1" | awk 'NR==2 {printf "%.0f", ($3+$4+$6+$8)/1024}'; }
START_MB=$(heap_after_gc $PID)
PUBLISHER=
if [ "${WRITES:-0}" = 1 ]; then
  pass=ghiandola-torrente-quarzo-71
  printf '%s\n%s\n' "$pass" "$pass" | SEMAFORO_DATA_DIR="$DATA" \
    java -cp "target/classes:$(cat target/soak-classpath.txt)" it.semaforo.app.Main create-admin soak >/dev/null
  secs=$(( $(echo "$DURATION" | sed 's/m$/*60/; s/s$//' | bc) ))
  bench/publish-every-second.sh "http://127.0.0.1:$PORT" soak "$pass" 1 "$secs" > "$OUT/publisher.txt" 2>&1 &
  PUBLISHER=$!
fi
( while kill -0 $PID 2>/dev/null; do
    jstat -gc $PID | awk -v t="$(date +%s)" 'NR==2 {printf "%s %.1f %.1f\n", t, ($3+$4+$6+$8)/1024, $8/1024}'
    sleep 10
  done ) > "$OUT/heap.txt" &
SAMPLER=$!
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/soak.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"
kill $SAMPLER 2>/dev/null || true
REFUSED=0
if [ -n "$PUBLISHER" ]; then
  wait $PUBLISHER || true
  echo "clerk: $(tail -1 "$OUT/publisher.txt")"
  REFUSED=$(tail -1 "$OUT/publisher.txt" | sed -n 's/.*refused: \([0-9]*\).*/\1/p'); REFUSED=${REFUSED:-1}
fi
END_MB=$(heap_after_gc $PID)
echo "heap samples (epoch s, used MB, old gen MB): $OUT/heap.txt; max used $(awk 'm<$2{m=$2} END{print m}' "$OUT/heap.txt") MB"
echo "heap after full GC: start ${START_MB} MB, end ${END_MB} MB"
LINE=$(grep '^SOAK' "$OUT/wrk.txt")
ERRORS=$(echo "$LINE" | tr ' ' '\n' | grep '^errors_' | cut -d= -f2 | paste -sd+ | bc)
BAD=$(grep -c 'Non-2xx' "$OUT/wrk.txt" || true)
if [ "$ERRORS" -ne 0 ] || [ "$BAD" -ne 0 ] || [ "$REFUSED" -ne 0 ] || [ "$END_MB" -gt $(( START_MB * 12 / 10 + 8 )) ]; then
  echo "SOAK FAILED: errors=$ERRORS non-2xx-lines=$BAD refused-updates=$REFUSED heap ${START_MB} -> ${END_MB} MB"; exit 1
fi
echo "SOAK OK"
