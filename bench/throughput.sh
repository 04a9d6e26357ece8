#!/usr/bin/env bash
# Throughput and p99 of the four addresses the performance issue names, each without and with
# gzip, against nginx serving the same bytes (bench/vs-nginx.sh), in one batch.
#   bench/throughput.sh [BASE_URL] [rounds] [seconds]
# Start the demo first: java -Xmx64m -jar target/semaforo.jar
set -euo pipefail
base=${1:-http://127.0.0.1:7070}; rounds=${2:-3}; secs=${3:-5}
vs=${VS_NGINX:-$(dirname "$0")/vs-nginx.sh}
# As root, the script's nginx workers (user nobody) cannot read the page in its private
# temporary directory and answer every request with a 404 of a few hundred bytes: the
# comparison is then with nginx serving an error page. Run it as an unprivileged user.
run=("$vs"); [ "$(id -u)" = 0 ] && run=(runuser -u nobody -- "$vs")
for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
  for enc in identity gzip; do
    header=""; [ "$enc" = gzip ] && header="Accept-Encoding: gzip"
    echo "$path $enc: $("${run[@]}" "$base$path" "$rounds" "$secs" 50 "$header" | tail -1)"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
