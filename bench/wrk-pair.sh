# Sourced by bench/side-by-side.sh and bench/signals.sh: one wrk run against one server, as the
# line bench/paired.py reads, with the server's CPU ticks (utime + stime of /proc/PID/stat) around it.
#   wrk_pair PID PORT LABEL ROUND SIDE [wrk header...] -> "LABEL ROUND SIDE req/s requests CPU-ticks"
# LABEL is PATH:ENCODING; the caller's $secs is the run's length, its load_cpu array (optional) the
# taskset that keeps wrk off the servers' core.
wrk_pair() {
  local pid=$1 port=$2 label=$3 round=$4 side=$5 before out after; shift 5
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(${load_cpu[@]+"${load_cpu[@]}"} wrk -t2 -c50 -d"${secs}s" "$@" "http://127.0.0.1:$port${label%:*}")
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  echo "$label $round $side $(awk '/^Requests\/sec/ {print $2}' <<<"$out") $(awk '/requests in/ {print $1}' <<<"$out") $((after - before))"
}
