#!/usr/bin/env bash
# Start of the process to the first 200 on /, median of N runs, on a demo data directory
# that is seeded by the first run. Usage: bench/startup.sh [runs] [extra java options]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
jar=target/semaforo.jar
[ -f "$jar" ] || mvn -q -B package -DskipTests
dir=$(mktemp -d); port=$((20000 + RANDOM % 20000))
trap 'rm -rf "$dir"' EXIT
times=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  SEMAFORO_DATA_DIR="$dir" SEMAFORO_PORT=$port java "$@" -jar "$jar" >"$dir/log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.01; done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=($(( (end - start) / 1000000 )))
  echo "run $i: $(( (end - start) / 1000000 )) ms"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END{print "start to first 200: median=" v[int((NR+1)/2)] " ms over " NR " runs"}'
