#!/usr/bin/env bash
# Throughput of one URL of a running server, side by side with nginx serving the very
# same bytes as a static file on the same machine, in one run.
#
#   bench/vs-nginx.sh URL [rounds] [seconds-per-round] [connections] [extra wrk -H header]
#
# Prints one line per round and a last line:
#   ratio app/nginx median=R  app_rps=A nginx_rps=N app_p99_ms=P nginx_p99_ms=Q
# nginx serving a file is the practical ceiling for a page on this machine; a ratio near
# 1.0 means the application adds almost nothing on top of it. Needs nginx and wrk
# (Debian packages; installed here when missing). Loopback only.
set -euo pipefail
url=${1:?usage: vs-nginx.sh URL [rounds] [seconds] [connections] [header]}
rounds=${2:-3}; secs=${3:-5}; conns=${4:-50}; header=${5:-}
for tool in nginx wrk; do
  command -v "$tool" >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq nginx wrk >/dev/null; }
done
work=$(mktemp -d); port=$((20000 + RANDOM % 20000))
trap 'kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/root" "$work/tmp"
hdr=(); [ -n "$header" ] && hdr=(-H "$header")
curl -sf "${hdr[@]}" -o "$work/root/page" -D "$work/headers" "$url"
# Run as root, nginx's workers are 'nobody': without this they cannot read the page in the
# private temporary directory and would answer every request with a small 404.
chmod 755 "$work" "$work/root"; chmod 777 "$work/tmp"; chmod 644 "$work/root/page"
ctype=$(awk -F': ' 'tolower($1)=="content-type"{print $2}' "$work/headers" | tr -d '\r')
cenc=$(awk -F': ' 'tolower($1)=="content-encoding"{print $2}' "$work/headers" | tr -d '\r')
extra=""; [ -n "$cenc" ] && extra="add_header Content-Encoding $cenc;"
cat > "$work/nginx.conf" <<EOF
worker_processes 2; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 4096; }
http { access_log off; sendfile on; keepalive_requests 1000000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$port; root $work/root;
    location / { default_type "${ctype:-text/html}"; $extra try_files /page =404; } } }
EOF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5
got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/")
[ "$got" = "200 $(stat -c %s "$work/root/page")" ] || { echo "nginx does not serve the page ($got)" >&2; exit 1; }
rps() { wrk -t2 -c"$conns" -d"${secs}s" --latency "${hdr[@]}" "$1" | awk '/Requests\/sec/{r=$2} /^ *99%/{p=$2} END{print r, p}'; }
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v }'; }
rps "$url" >/dev/null; rps "$url" >/dev/null; rps "http://127.0.0.1:$port/" >/dev/null   # warm-up: the JIT needs a few seconds
ratios=(); apps=(); ngs=(); p99s=(); np99s=()
for i in $(seq "$rounds"); do
  read -r a ap <<<"$(rps "$url")"
  read -r n np <<<"$(rps "http://127.0.0.1:$port/")"
  r=$(awk -v a="$a" -v n="$n" 'BEGIN{printf "%.3f", a/n}')
  echo "round $i: app=$a rps (p99 $ap) nginx=$n rps (p99 $np) ratio=$r"
  ratios+=("$r"); apps+=("$a"); ngs+=("$n"); p99s+=("$(to_ms "$ap")"); np99s+=("$(to_ms "$np")")
done
med() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
echo "ratio app/nginx median=$(med "${ratios[@]}") app_rps=$(med "${apps[@]}") nginx_rps=$(med "${ngs[@]}") app_p99_ms=$(med "${p99s[@]}") nginx_p99_ms=$(med "${np99s[@]}") bytes=$(stat -c %s "$work/root/page")"
