#!/usr/bin/env bash
# Signals in at scale (issue 22), in two modes.
#
#   bench/signals.sh [SOURCES] [PROBES] [INTERVAL]             default 200 200 60
# The demo comune with 200 Statuspage sources and 200 probes on loopback upstreams at the default
# interval (60 s), in the test JVM (SignalsBench). Prints the CPU time of the poller's threads
# and of its HTTP client per interval, the heap in use after a GC before the sources and while
# polling (the difference: polling's share), the home page's sequential throughput before and
# while polling, the time from an upstream change to the clerks' dashboard showing it, and from a
# probe target going down to its failed check on the probe's page and to the signal on the
# dashboard (three failed checks by design). Target for an upstream change and for a probe's
# failed check to be seen: within one interval plus 2 s. Takes about 5 minutes.
#
#   bench/signals.sh throughput [SOURCES] [PROBES] [INTERVAL]  default 200 200 60
# The public pages' throughput as bench/throughput.sh measures it (wrk, 50 connections), with and
# without polling, in one server (target/semaforo.jar, -Xmx64m, the demo, SOURCES Statuspage
# sources and PROBES probes polling an nginx on loopback: static summary.json and a page, with
# ETags, so most polls are 304s, as against a real status page). Polling is switched off and on
# by pausing every source in the database (the poller reads the pauses each second), so that
# both sides of each pair are the same process with the same JIT-compiled code: two processes of
# one jar differ by more than polling costs. Each round measures "off" and "on" for every address
# and encoding, "off" first in odd rounds and "on" first in even ones; after switching on, SETTLE
# seconds (default 2) let the polls that fell due while paused go out, so "on" is the steady state.
# Prints, per address and for all together (bench/paired.py; A is polling off, B on), the median
# requests per second of each, the median of the paired ratios on/off with its 95 % interval
# ("unchanged": near 1), the server's CPU per request off and on (polling's own CPU included when
# on) with the median of its paired ratios, the server's CPU, how many measurements were made.
# N=5 SECS=5 rounds and seconds per run; ADDRESSES="/ /feed.atom" for some; PIN=1 runs the server
# on the first core and wrk and the upstream nginx on the second (taskset). Needs wrk, nginx and
# sqlite3. Takes about 1.5 + N × 2 × addresses × 2 × (SECS + 2) / 60 minutes (default: about 12).
#
# Run either on a quiet machine: figures taken among other work are only an order of magnitude.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != throughput ]; then
  mvn -B -q test -Dtest=SignalsBench -Dexcluded.test.groups=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsignals.bench.sources="${1:-200}" -Dsignals.bench.probes="${2:-200}" -Dsignals.bench.interval="${3:-60}" 2>&1 \
    | grep -E "signals bench|FAIL|ERROR" || true
  exit 0
fi

shift
sources=${1:-200}; probes=${2:-200}; interval=${3:-60}
n=${N:-5}; secs=${SECS:-5}
for tool in nginx wrk sqlite3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: nginx wrk sqlite3)" >&2; exit 1; }
done
[ -f target/semaforo.jar ] || mvn -B -q package -DskipTests -Dcds.skip
work=$(mktemp -d); port=$((20000 + RANDOM % 10000)); pu=$((port + 2))
server_cpu=(); load_cpu=()
if [ -n "${PIN:-}" ]; then server_cpu=(taskset -c 0); load_cpu=(taskset -c 1); fi
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# the upstreams: every /sp/N/api/v2/summary.json is one Statuspage summary, every /probe/N one page
mkdir -p "$work/up" "$work/tmp"
sed 's/"major_outage"/"operational"/' src/test/resources/signals/summary.json > "$work/up/summary.json"
echo '<!DOCTYPE html><title>Portale</title><h1>Portale dei servizi</h1>' > "$work/up/probe.html"
chmod 755 "$work" "$work/up"; chmod 777 "$work/tmp"; chmod 644 "$work/up/"*
cat > "$work/nginx.conf" <<CONF
worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$pu; root $work/up;
    location /sp/ { default_type application/json; try_files /summary.json =404; }
    location /probe/ { default_type text/html; try_files /probe.html =404; } } }
CONF
${load_cpu[@]+"${load_cpu[@]}"} nginx -c "$work/nginx.conf" -p "$work"

mkdir -p "$work/s"
SEMAFORO_DATA_DIR=$work/s SEMAFORO_PORT=$port SEMAFORO_SIGNALS_ALLOW_PRIVATE=true SEMAFORO_SIGNALS_INTERVAL_SECONDS=$interval \
  ${server_cpu[@]+"${server_cpu[@]}"} java -Xmx64m ${PIN:+-XX:+UseG1GC} -jar target/semaforo.jar >"$work/s.log" 2>&1 &
pid=$!; pids+=($pid)
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$port/health" || { echo "the server did not start: $(tail -5 "$work/s.log")" >&2; exit 1; }
db=$work/s/semaforo.db
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }

# the sources and probes, straight into the database (the poller reads the list every second)
now=$(($(date +%s) * 1000))
{
  echo "BEGIN;"
  for i in $(seq 0 $((sources - 1))); do
    echo "INSERT INTO signal_source(kind, name, url, provider_id, selector, proposed_state, interval_seconds, timeout_ms, created_at)
          SELECT 'statuspage', 'Fonte $i', 'http://127.0.0.1:$pu/sp/$i/api/v2/summary.json', id, 'ANPR gateway', 'degraded',
                 $interval, 10000, $now FROM provider ORDER BY id LIMIT 1 OFFSET ($i % (SELECT count(*) FROM provider));"
  done
  for i in $(seq 0 $((probes - 1))); do
    echo "INSERT INTO signal_source(kind, name, url, service_id, selector, proposed_state, interval_seconds, timeout_ms, created_at)
          SELECT 'probe', 'Controllo $i', 'http://127.0.0.1:$pu/probe/$i', id, 'Portale', 'suspended',
                 $interval, 10000, $now FROM service ORDER BY id LIMIT 1 OFFSET ($i % (SELECT count(*) FROM service));"
  done
  echo "COMMIT;"
} | sqlite3 -cmd ".timeout 10000" "$db"
echo "$(sql "SELECT count(*) FROM signal_source") sources and probes every $interval s"

# one first round of every source, and the JIT and caches warm
for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
  for h in "Accept-Encoding: identity" "Accept-Encoding: gzip"; do
    ${load_cpu[@]+"${load_cpu[@]}"} wrk -t2 -c50 -d3s -H "$h" "http://127.0.0.1:$port$path" >/dev/null
  done
done
sleep $((interval + 5))
echo "$(sql "SELECT count(*) FROM signal_source WHERE last_success_at IS NOT NULL") of $((sources + probes)) polled at least once before the measurement"

. bench/wrk-pair.sh
measure() { wrk_pair "$pid" "$port" "$@"; }   # label round side [wrk header...]
settle=${SETTLE:-2}
off() { sql "UPDATE signal_source SET enabled = 0"; sleep 1; }   # a poll under way ends
on() { sql "UPDATE signal_source SET enabled = 1"; sleep "$settle"; }
cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); m0=$(sql "SELECT count(*) FROM probe_result"); t0=$(date +%s)
: >"$work/all"
echo "A: polling off, B: polling on"
for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
  for enc in identity gzip; do
    h=(); [ "$enc" = gzip ] && h=(-H "Accept-Encoding: gzip")
    : >"$work/raw"
    for round in $(seq "$n"); do
      if [ $((round % 2)) = 1 ]; then
        off; measure "$path:$enc" "$round" A "${h[@]}" >>"$work/raw"; on; measure "$path:$enc" "$round" B "${h[@]}" >>"$work/raw"
      else
        on; measure "$path:$enc" "$round" B "${h[@]}" >>"$work/raw"; off; measure "$path:$enc" "$round" A "${h[@]}" >>"$work/raw"
      fi
    done
    cat "$work/raw" >>"$work/all"
    python3 bench/paired.py "$work/raw" "$(getconf CLK_TCK)"
  done
done
python3 bench/paired.py "$work/all" "$(getconf CLK_TCK)" | tail -1
on
cpu=$(( $(awk '{print $14 + $15}' "/proc/$pid/stat") - cpu0 ))
echo "the server's CPU during the measurement (pages served and polling): $((cpu / $(getconf CLK_TCK))) s in $(( $(date +%s) - t0 )) s;" \
  "$(( $(sql "SELECT count(*) FROM probe_result") - m0 )) probe measurements made during it"
echo "$(sql "SELECT count(*) FROM signal_source WHERE last_success_at IS NOT NULL") of $((sources + probes)) polled successfully"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
