#!/usr/bin/env bash
# Two builds of Semaforo measured side by side: both run at once (ports 7081 and 7082, -Xmx64m unless XMX,
# the demo), and wrk alternates between them N times per address and encoding, so that the
# machine's drift (±10 % between two runs of the same server here) falls on both alike.
# Prints, per address, then for all together (bench/paired.py): the median requests per second of
# each, the median of the paired ratios B/A with its 95 % interval, and the servers' CPU per request
# (from /proc, during each run) with the median of its paired ratios B/A and their interval. The
# rounds alternate which side goes first.
#   bench/side-by-side.sh DIR_A DIR_B          each DIR has target/semaforo.jar (a worktree, built)
#   WRITES=1 bench/side-by-side.sh DIR_A DIR_B a clerk publishes an update every second on both,
#                                              after 100 to fill the feeds (bench/publish-every-second.sh)
#   N=5 SECS=3 (rounds, seconds per run); ADDRESSES="/ /feed.atom" for some; XMX=64m (the heap of both); JAVA_OPTS="-Xms64m" for both
#   RUNS=3: start both servers afresh that many times (a new pair of processes each run) and also
#          print, per address, the median of every paired B/A of every run: one JVM's JIT and heap
#          layout can favour it for its whole life, which rounds within one pair of processes
#          never average out
#   PIN=1: both servers on the first core, wrk and the clerks on the second (taskset), so that the
#          load generator does not take the servers' core; each JVM then sizes itself for one core
#          (G1 kept: on one core the JVM would otherwise choose the serial collector)
# Example, the event core against the commit before it:
#   git worktree add --detach /tmp/base 608aeeb && (cd /tmp/base && mvn -B -q package -DskipTests -Dcds.skip)
#   bench/side-by-side.sh /tmp/base .
set -euo pipefail
a=$(cd "${1:?DIR_A}" && pwd); b=$(cd "${2:?DIR_B}" && pwd)
n=${N:-5}; secs=${SECS:-3}; here=$(cd "$(dirname "$0")" && pwd)
server_cpu=(); load_cpu=(); pin_gc=
if [ -n "${PIN:-}" ]; then server_cpu=(taskset -c 0); load_cpu=(taskset -c 1); pin_gc=-XX:+UseG1GC; fi
work=$(mktemp -d)
# the servers and the publishers started here, by their ids (never by name: another run may be going on)
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
pids=(); servers=(); trap cleanup EXIT
start() { # name dir port
  rm -rf "${work:?}/$1"; mkdir -p "$work/$1"
  # no second factor for the bench's clerk (builds before the setting ignore it)
  SEMAFORO_DATA_DIR=$work/$1 SEMAFORO_PORT=$3 SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= ${server_cpu[@]+"${server_cpu[@]}"} java -Xmx"${XMX:-64m}" $pin_gc ${JAVA_OPTS:-} -jar "$2/target/semaforo.jar" >"$work/$1.log" 2>&1 &
  pids+=($!); servers+=($!)
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$3/health" && return; sleep 0.2; done
  echo "$1 did not start: $(tail -5 "$work/$1.log")" >&2; exit 1
}
. "$here/wrk-pair.sh"
measure() { # label round side [wrk header...]: side A is the first server (7081), B the second (7082)
  if [ "$3" = B ]; then wrk_pair "${servers[1]}" 7082 "$@"; else wrk_pair "${servers[0]}" 7081 "$@"; fi
}
one_run() {
  start a "$a" 7081; start b "$b" 7082
  if [ -n "${WRITES:-}" ]; then
    pass=ghiandola-torrente-quarzo-71
    for x in "a $a 7081" "b $b 7082"; do
      set -- $x
      printf '%s\n%s\n' $pass $pass | SEMAFORO_DATA_DIR=$work/$1 java -jar "$2/target/semaforo.jar" create-admin bench >/dev/null
      PAUSE=0 UPDATES=100 "$here/publish-every-second.sh" "http://127.0.0.1:$3" bench $pass 1 600 | tail -1
      ${load_cpu[@]+"${load_cpu[@]}"} "$here/publish-every-second.sh" "http://127.0.0.1:$3" bench $pass 1 3000 >"$work/$1-pub.log" 2>&1 &
      pids+=($!)
    done
  fi
  for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
    for enc in identity gzip; do
      h=(); [ $enc = gzip ] && h=(-H "Accept-Encoding: gzip")
      for port in 7081 7082; do ${load_cpu[@]+"${load_cpu[@]}"} wrk -t2 -c50 -d2s "${h[@]}" "http://127.0.0.1:$port$path" >/dev/null; done
      : >"$work/raw"
      for i in $(seq "$n"); do
        # A first in odd rounds, B first in even ones: neither side always follows the other
        if [ $((i % 2)) = 1 ]; then sides="A B"; else sides="B A"; fi
        for side in $sides; do measure "$path:$enc" "$run.$i" "$side" "${h[@]}" >>"$work/raw"; done
      done
      cat "$work/raw" >>"$work/all"
      python3 "$here/paired.py" "$work/raw" "$(getconf CLK_TCK)"
    done
  done
  # the heap's work during the run: at -Xmx64m a build with a larger footprint marks the old generation
  # again and again under writes (a concurrent cycle takes one of the two cores while it runs)
  if command -v jstat >/dev/null; then
    echo "GC during the run (young collections, concurrent cycles, old generation used KB): A $(jstat -gc "${servers[0]}" | awk 'NR==2{print $13, $17, $8}'), B $(jstat -gc "${servers[1]}" | awk 'NR==2{print $13, $17, $8}')"
  fi
  kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true
  pids=(); servers=()
}
: >"$work/all"
for run in $(seq "${RUNS:-1}"); do
  [ "${RUNS:-1}" = 1 ] || echo "== run $run of $RUNS"
  one_run
done
if [ "${RUNS:-1}" != 1 ]; then
  echo "== all runs"
  python3 "$here/paired.py" "$work/all" "$(getconf CLK_TCK)"
else
  echo "== all addresses"
  python3 "$here/paired.py" "$work/all" "$(getconf CLK_TCK)" | tail -1
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
