#!/usr/bin/env bash
# bench/throughput.sh while a clerk publishes a numbered update every second through the
# clerks' area. Each address gets a fresh demo (its own data directory and server, -Xmx64m)
# with the clerk publishing for the whole of its measurement, so that what is measured is the
# demo under writes, not a feed grown by the updates of the addresses measured before it.
#   bench/throughput-writes.sh [rounds] [seconds]      (after mvn package; ADDRESSES="/feed.atom" for one)
#
# FILL=100 (the default) publishes that many updates to the avviso before measuring: a long
# outage has many (Massa's was updated for weeks), and the feeds, which show the newest 100
# entries, are then as long as they stay while the clerk goes on; vs-nginx.sh gives nginx the
# bytes of the first request, so with FILL=0 the feed grows from 40 to 165 KB during the
# measurement and the app serves a page four times the size of nginx's copy.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; secs=${2:-5}; port=7170; pass=ghiandola-torrente-quarzo-71
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
  rm -rf "$work/data"
  # the publisher signs in with a password alone: no second factor required of its administrator
  SEMAFORO_DATA_DIR=$work/data SEMAFORO_PORT=$port SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= java -Xmx64m -jar target/semaforo.jar >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
  printf '%s\n%s\n' "$pass" "$pass" | SEMAFORO_DATA_DIR=$work/data java -jar target/semaforo.jar create-admin bench >/dev/null
  if [ "${FILL:-100}" -gt 0 ]; then
    PAUSE=0 UPDATES=${FILL:-100} bench/publish-every-second.sh "http://127.0.0.1:$port" bench "$pass" 1 600 >"$work/fill.log" 2>&1
    echo "  filled: $(tail -1 "$work/fill.log")"
  fi
  # the publisher outlasts both measurements (each: three warm-up runs, then rounds of app and nginx)
  bench/publish-every-second.sh "http://127.0.0.1:$port" bench "$pass" 1 $(( (rounds * 2 + 3) * secs * 2 + 10 )) >"$work/pub.log" 2>&1 &
  publisher=$!
  sleep 2
  ADDRESSES=$path bench/throughput.sh "http://127.0.0.1:$port" "$rounds" "$secs" | grep -v '^load average'
  wait $publisher || true
  echo "  clerk: $(tail -1 "$work/pub.log")"
  kill $server; wait $server 2>/dev/null || true
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
