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
# without polling, side by side: two servers of the same jar (target/semaforo.jar, -Xmx64m, the
# demo), B with SOURCES Statuspage sources and PROBES probes polling an nginx on loopback (static
# summary.json and a page, with ETags: most polls are 304s, as against a real status page), A
# with none. Each round measures A with B frozen (SIGSTOP: the machine as without polling) and
# B polling (A idle), for every address and encoding, A first in odd rounds and B first in even
# ones; after each thaw B is left SETTLE seconds (default 2) to catch up on the polls that fell
# due while it was frozen (SETTLE=0: measured at once, if anything pessimistic). Prints the median requests per second of
# each, the median of the paired ratios B/A, and as a control A measured again while B polls
# behind it (what polling costs the machine rather than B's own pages): "unchanged" is a ratio
# near 1 (this machine
# drifts about ±5 % between two runs of one server). N=5 SECS=5 rounds and seconds per run;
# ADDRESSES="/ /feed.atom" for some. Needs wrk and nginx (as bench/vs-nginx.sh). The sources are
# written into B's database directly (no clerk, no audit: a bench). Takes about 2 + N × 4.5 ×
# addresses × SECS/60 minutes (default: about 10).
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
work=$(mktemp -d); pa=$((20000 + RANDOM % 10000)); pb=$((pa + 1)); pu=$((pa + 2))
pids=()
cleanup() {
  kill -CONT "${pids[@]}" 2>/dev/null || true
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
nginx -c "$work/nginx.conf" -p "$work"

start() { # name port
  mkdir -p "$work/$1"
  SEMAFORO_DATA_DIR=$work/$1 SEMAFORO_PORT=$2 SEMAFORO_SIGNALS_ALLOW_PRIVATE=true \
    SEMAFORO_SIGNALS_INTERVAL_SECONDS=$interval java -Xmx64m -jar target/semaforo.jar >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$2/health" && return; sleep 0.2; done
  echo "$1 did not start: $(tail -5 "$work/$1.log")" >&2; exit 1
}
start a "$pa"; start b "$pb"
pid_b=${pids[1]}

# B's sources and probes, straight into its database (the poller reads the list every second)
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
} | sqlite3 -cmd ".timeout 10000" "$work/b/semaforo.db"
echo "B: $(sqlite3 "$work/b/semaforo.db" "SELECT count(*) FROM signal_source") sources and probes every $interval s"

# one first round of every source, and the JIT and caches warm on both
for port in "$pa" "$pb"; do
  for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
    wrk -t2 -c50 -d2s "http://127.0.0.1:$port$path" >/dev/null
  done
done
sleep $((interval + 5))
polled=$(sqlite3 "$work/b/semaforo.db" "SELECT count(*) FROM signal_source WHERE last_success_at IS NOT NULL")
echo "B: $polled of $((sources + probes)) polled at least once before the measurement"

rps() { # url header -> requests per second
  local hdr=(); [ -n "$2" ] && hdr=(-H "$2")
  wrk -t2 -c50 -d"${secs}s" "${hdr[@]}" "$1" | awk '/^Requests\/sec/ {print $2}'
}
settle=${SETTLE:-2}
cpu_b0=$(awk '{print $14 + $15}' "/proc/$pid_b/stat")
t0=$(date +%s)
for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
  for enc in identity gzip; do
    header=""; [ "$enc" = gzip ] && header="Accept-Encoding: gzip"
    as=(); bs=(); cs=(); ratios=()
    for round in $(seq "$n"); do
      # A first in odd rounds, B first in even ones, so that neither always follows the other;
      # after a thaw B is left SETTLE s to catch up on the polls that fell due while it was frozen
      if [ $((round % 2)) = 1 ]; then
        kill -STOP "$pid_b"; a=$(rps "http://127.0.0.1:$pa$path" "$header"); kill -CONT "$pid_b"; sleep "$settle"
        b=$(rps "http://127.0.0.1:$pb$path" "$header")
      else
        b=$(rps "http://127.0.0.1:$pb$path" "$header")
        kill -STOP "$pid_b"; a=$(rps "http://127.0.0.1:$pa$path" "$header"); kill -CONT "$pid_b"; sleep "$settle"
      fi
      # a control: A again while B polls behind it (what polling costs the machine, not B's own pages)
      cs+=("$(rps "http://127.0.0.1:$pa$path" "$header")")
      as+=("$a"); bs+=("$b"); ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')")
    done
    med() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
    echo "$path $enc: without polling (A) median=$(med "${as[@]}") req/s; polling (B) median=$(med "${bs[@]}") req/s;" \
      "paired B/A median=$(med "${ratios[@]}") (rounds: ${ratios[*]}); control, A while B polls: median=$(med "${cs[@]}") req/s"
  done
done
cpu_b=$(( $(awk '{print $14 + $15}' "/proc/$pid_b/stat") - cpu_b0 ))
echo "B's process CPU during the measurement (pages served and polling): $((cpu_b / $(getconf CLK_TCK))) s in $(( $(date +%s) - t0 )) s"
echo "B: $(sqlite3 "$work/b/semaforo.db" "SELECT count(*) FROM signal_source WHERE last_success_at IS NOT NULL") of" \
  "$((sources + probes)) polled successfully; $(sqlite3 "$work/b/semaforo.db" "SELECT count(*) FROM probe_result") probe measurements"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
