#!/usr/bin/env bash
# Residents under a hostile client (issue 18). The real server (demo comune, fresh data
# directory, production logging) on loopback; wrk reads the home page with CONNECTIONS
# keep-alive connections for DURATION seconds, first alone (the quiet run), then while
# bench/HostileClient.java, bounded to 4 workers and 2 slowloris connections, loops over the
# hostile cases for the same DURATION (broken bodies pipelined before health checks and cached
# pages, smuggling shapes, HTTP/0.9 and unknown versions, oversized request lines and headers,
# 2,000 headers, NUL in a header, 5,000 parts, declared 10 GB, a real 25 MB body now and then,
# slow headers and slow bodies). Reports residents' throughput and p99 in both runs, the
# server's CPU in each second after both stop, and how much the log grew during the hostile run.
# Targets: p99 under attack within 2 x the quiet one, CPU idle (< 5 % of a core) within 5 s of
# the end, log growth under 1 MB; the hostile client must see no hanging connection and no 5xx.
# Exits 1 when a target is missed. Loopback only; every loop ends by itself.
#   bench/hostile-load.sh [DURATION_SECONDS] [CONNECTIONS]     default 300 16
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-300}
CONNECTIONS=${2:-16}
PORT=${HOSTILE_PORT:-7098}
OUT=target/hostile-load
mkdir -p "$OUT"
if [ ! -f target/soak-classpath.txt ]; then
  mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/soak-classpath.txt -Dmdep.includeScope=runtime
fi
[ -d target/classes/it ] || mvn -q -B compile
DATA=$(mktemp -d)
SEMAFORO_DATA_DIR="$DATA" SEMAFORO_PORT=$PORT SEMAFORO_HOST=127.0.0.1 SEMAFORO_DEMO_ENABLED=true \
  java -Xmx"${HEAP:-256m}" -cp "target/classes:$(cat target/soak-classpath.txt)" it.semaforo.app.Main serve > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
URL="http://127.0.0.1:$PORT/"
wrk -t2 -c"$CONNECTIONS" -d10s "$URL" >/dev/null   # warm-up

# wrk's requests/s and p99 in ms
rate() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
          if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000; printf "%.2f", v }' "$1"; }

echo "quiet run: wrk -t2 -c$CONNECTIONS -d${DURATION}s on /"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" > "$OUT/quiet.txt"

LOG_BEFORE=$(stat -c %s "$OUT/server.log")
echo "hostile run: the same, with bench/HostileClient.java for ${DURATION} s"
java bench/HostileClient.java "$PORT" "$DURATION" 4 2 > "$OUT/hostile-client.txt" 2>&1 &
HOSTILE=$!
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" > "$OUT/hostile-wrk.txt"
HOSTILE_OK=1
wait $HOSTILE || HOSTILE_OK=0
LOG_AFTER=$(stat -c %s "$OUT/server.log")

# the server's CPU, second by second, now that nobody sends anything
TICKS=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
IDLE_AFTER=
: > "$OUT/cpu-after.txt"
for s in $(seq 1 10); do
  a=$(cpu); sleep 1; b=$(cpu)
  pct=$(( (b - a) * 100 / TICKS ))
  echo "$s $pct" >> "$OUT/cpu-after.txt"
  if [ -z "$IDLE_AFTER" ] && [ "$pct" -lt 5 ]; then IDLE_AFTER=$s; fi
done

Q_RATE=$(rate "$OUT/quiet.txt"); Q_P99=$(p99 "$OUT/quiet.txt")
H_RATE=$(rate "$OUT/hostile-wrk.txt"); H_P99=$(p99 "$OUT/hostile-wrk.txt")
GROWTH=$(( LOG_AFTER - LOG_BEFORE ))
echo
echo "residents, quiet:   ${Q_RATE} requests/s, p99 ${Q_P99} ms"
echo "residents, hostile: ${H_RATE} requests/s, p99 ${H_P99} ms"
sed -n '1p' "$OUT/hostile-client.txt"
echo "server CPU in each second after the end (% of a core): $(awk '{printf "%s%s", sep, $2; sep=", "}' "$OUT/cpu-after.txt")"
echo "server log grew ${GROWTH} bytes during the hostile run ($OUT/server.log)"
MISSED=
awk -v h="$H_P99" -v q="$Q_P99" 'BEGIN { exit !(h <= 2 * q) }' || MISSED="$MISSED p99(${H_P99} > 2 x ${Q_P99})"
{ [ -n "$IDLE_AFTER" ] && [ "$IDLE_AFTER" -le 5 ]; } || MISSED="$MISSED cpu-not-idle-within-5s"
[ "$GROWTH" -lt 1048576 ] || MISSED="$MISSED log-grew-${GROWTH}-bytes"
[ "$HOSTILE_OK" = 1 ] || MISSED="$MISSED hostile-client-saw-hangs-or-5xx"
if [ -n "$MISSED" ]; then echo "HOSTILE LOAD: MISSED:$MISSED"; exit 1; fi
echo "HOSTILE LOAD OK: p99 within 2 x quiet, CPU idle ${IDLE_AFTER} s after the end, log +${GROWTH} bytes"
