#!/usr/bin/env bash
# What one clerk's update costs the server, in figures a busy machine does not blur: its CPU
# time (utime + stime of /proc/PID/stat) and the bytes it allocates (bench/JvmProbe.java), per
# update, and the heap it holds (after a full collection) and the classes it has loaded.
# Each JAR runs alone, on a fresh demo (-Xmx64m unless XMX), one after the other:
#   bench/write-cost.sh JAR [JAR...]
# For each: the heap just started, 100 updates published to avviso 1 back to back (FILL), the
# heap again, then ROUNDS (3) of WRITES (100) updates through the clerks' area with nothing in
# between ("writes"), then the same with READS (default "/ /servizi/stato-civile /feed.atom
# /api/v2/summary.json") fetched with gzip after each update ("writes+reads": each update then
# renders those pages again before it is acknowledged). Sign-in is outside the measurement.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fill=${FILL:-100}; writes=${WRITES:-100}; rounds=${ROUNDS:-3}; port=${PORT:-7190}
reads=${READS:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}
pass=ghiandola-torrente-quarzo-71; base=http://127.0.0.1:$port
work=$(mktemp -d); server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
tck=$(getconf CLK_TCK)
cpu() { awk -v t="$tck" '{print ($14 + $15) * 1000 / t}' "/proc/$server/stat"; }   # ms
probe() { java "$here/JvmProbe.java" "$server" "$@"; }
update() {
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$work/jar" -b "$work/jar" --data-urlencode "csrf=$csrf" \
    --data-urlencode "body=Aggiornamento di prova numero $1." "$base/admin/avvisi/1/aggiornamenti")
  [ "$code" = 303 ] || { echo "update refused: $code" >&2; exit 1; }
}
measure() { # label with_reads
  for r in $(seq "$rounds"); do
    read -r a0 _ _ < <(probe); c0=$(cpu)
    for i in $(seq "$writes"); do
      update "$r.$i"
      if [ "$2" = 1 ]; then for p in $reads; do curl -s -o /dev/null -H 'Accept-Encoding: gzip' "$base$p"; done; fi
    done
    c1=$(cpu); read -r a1 _ _ < <(probe)
    awk -v l="$1" -v r="$r" -v n="$writes" -v c="$((${c1%.*} - ${c0%.*}))" -v a="$((a1 - a0))" \
      'BEGIN{printf "  %-13s round %d: %6.1f ms CPU, %7.0f KB allocated per update\n", l, r, c / n, a / n / 1024}'
  done
}
for jar in "$@"; do
  echo "$jar"
  rm -rf "$work/data"; mkdir -p "$work/data"
  SEMAFORO_DATA_DIR=$work/data SEMAFORO_PORT=$port SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= \
    java -Xmx"${XMX:-64m}" ${JAVA_OPTS:-} -jar "$jar" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do curl -sf -o /dev/null "$base/health" && break; sleep 0.2; done
  sleep 2
  read -r _ classes heap < <(probe gc)
  echo "  just started: heap $((heap / 1024)) KB after a full collection, $classes classes loaded"
  printf '%s\n%s\n' $pass $pass | SEMAFORO_DATA_DIR=$work/data java -jar "$jar" create-admin bench >/dev/null
  PAUSE=0 UPDATES=$fill "$here/publish-every-second.sh" "$base" bench $pass 1 600 | sed 's/^/  fill: /'
  for p in $reads; do curl -s -o /dev/null -H 'Accept-Encoding: gzip' "$base$p"; done
  read -r _ classes heap < <(probe gc)
  echo "  after the fill and one read of each page: heap $((heap / 1024)) KB after a full collection, $classes classes loaded"
  rm -f "$work/jar"
  token=$(curl -s -c "$work/jar" -b "$work/jar" "$base/admin/login" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -o /dev/null -c "$work/jar" -b "$work/jar" --data-urlencode "token=$token" --data-urlencode "username=bench" \
    --data-urlencode "password=$pass" "$base/admin/login"
  csrf=$(curl -s -c "$work/jar" -b "$work/jar" "$base/admin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//' || true)
  [ -n "$csrf" ] || { echo "login failed" >&2; exit 1; }
  measure writes 0
  measure writes+reads 1
  kill $server; wait $server 2>/dev/null || true; server=
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
