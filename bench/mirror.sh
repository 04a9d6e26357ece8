#!/usr/bin/env bash
# The mirror on the large comune (LargeComune: 300 services, 20,000 avvisi): how long from a
# clerk's publication (the POST that publishes, through the clerks' area) until the changed
# files are in place in mirror.dir, and how long the full export takes.
#   bench/mirror.sh [PUBLICATIONS]        (default 20; needs target/semaforo.jar: mvn -B -q package -DskipTests,
#                                          or JAR=path/to/semaforo.jar)
# For each publication it reports two times:
#   first  - the avviso's page in the five addresses of its languages, the home page and /feed.atom
#            hold it (what a resident looks at first);
#   all    - /health says the mirror is "ok": every file the change altered (the archive's pages
#            included: a publication shifts every page of every list it is in) is written and the
#            manifest after them; measured for the first ALL_FOR publications (default 3), with
#            the number of files the publication wrote (manifest included: its index and the parts
#            the change reached) and the bytes of manifest among them.
# BEFORE_JAR=path/to/other/semaforo.jar also times that jar's export, for a before/after figure (LIKE_JAR a third);
# EXPORT_RUNS=N times each jar's export N times, alternating which goes first, and prints the medians.
# WORK=dir keeps the generated comune between runs (generating it takes a few minutes).
# SKIP_EXPORT=1 measures the mirror alone, SKIP_MIRROR=1 the export alone; WAIT_FULL=0 publishes while the mirror's first full pass
# (every address compared at start-up) is still under way: a change's files go before it.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
jar=${JAR:-target/semaforo.jar}
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work=${WORK:-/tmp/semaforo-mirror-bench}
mkdir -p "$work"
if [ ! -f "$work/large/semaforo.db" ]; then
  echo "generating the large comune in $work/large ..."
  SEMAFORO_DATA_DIR=$work/large SEMAFORO_DEMO_ENABLED=false java -jar "$jar" generate-large >/dev/null
fi
now_ms() { date +%s%3N; }

# ---- the full export, before (BEFORE_JAR) and after ------------------------------------------
# Each export writes into a directory of its own, after a sync (not timed), and the outputs are
# deleted only when all exports are done. On ext4 without a journal (this machine's disk) the
# kernel skips, while allocating an inode, every inode freed in the last minutes whose table
# block is dirty (ialloc.c, recently_deleted): an export started right after deleting the one
# before spent up to half its system time scanning them (perf: find_inode_bit), the more the
# larger the deleted copy. Needs disk for every copy of every round: on the large comune about
# 5.3 GB for this jar's, 2.2 GB for 608aeeb's and 3 GB for a like-for-like one.
# LIKE_JAR=path/to/jar adds a third export to each round (a build that writes the base's addresses,
# for a like-for-like figure). With BEFORE_JAR, EXPORT_RUNS rounds (default 1) alternate which
# jar goes first; the median of each jar's runs is printed at the end.
exports=()
export_once() {   # label jar datadir -> prints one line, appends the ms to $work/export-<label>.ms
  local label=$1 jar=$2 data=$3 t0 t1 files cpu out TIMEFORMAT='user %U s, system %S s'
  out=$work/out-$label-${#exports[@]}; exports+=("$out"); sync; t0=$(now_ms)   # out-* were removed before the rounds
  # the CPU too: it varies less than the wall time from run to run
  { time SEMAFORO_DATA_DIR=$data SEMAFORO_DEMO_ENABLED=false java -jar "$jar" export "$out" \
      >"$work/export-$label.log" 2>&1; } 2>"$work/export-$label.cpu"
  t1=$(now_ms); files=$(find "$out" -type f | wc -l); cpu=$(cat "$work/export-$label.cpu")
  echo "export ($label, $jar): $(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 )) s, $files files ($cpu)"
  echo $((t1 - t0)) >>"$work/export-$label.ms"
}
median() { sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f s", m / 1000}'; }
if [ -z "${SKIP_EXPORT:-}" ]; then
  rm -f "$work"/export-*.ms
  rm -rf "$work"/out-* "$work/before" "$work/like"
  if [ -n "${BEFORE_JAR:-}" ]; then cp -r "$work/large" "$work/before"; fi   # its migrations may differ: a copy of its own
  if [ -n "${LIKE_JAR:-}" ]; then cp -r "$work/large" "$work/like"; fi
  for r in $(seq "${EXPORT_RUNS:-1}"); do
    if [ -n "${BEFORE_JAR:-}" ] && [ $((r % 2)) = 1 ]; then export_once before "$BEFORE_JAR" "$work/before"; fi
    if [ -n "${LIKE_JAR:-}" ] && [ $((r % 2)) = 1 ]; then export_once like "$LIKE_JAR" "$work/like"; fi
    export_once this "$jar" "$work/large"
    if [ -n "${LIKE_JAR:-}" ] && [ $((r % 2)) = 0 ]; then export_once like "$LIKE_JAR" "$work/like"; fi
    if [ -n "${BEFORE_JAR:-}" ] && [ $((r % 2)) = 0 ]; then export_once before "$BEFORE_JAR" "$work/before"; fi
  done
  printf 'export, median of %s: this jar %s' "${EXPORT_RUNS:-1}" "$(median <"$work/export-this.ms")"
  [ -z "${BEFORE_JAR:-}" ] || printf ', before %s' "$(median <"$work/export-before.ms")"
  [ -z "${LIKE_JAR:-}" ] || printf ', like for like %s' "$(median <"$work/export-like.ms")"
  echo
  rm -rf "${exports[@]}" "$work/before" "$work/like"
fi

[ -z "${SKIP_MIRROR:-}" ] || exit 0

# ---- the mirror -----------------------------------------------------------------------------
data=$work/run; rm -rf "$data" "$work/mirror"; cp -r "$work/large" "$data"
pass=$(head -c 18 /dev/urandom | base64 | tr -d "/+=")Zq7!
printf '%s\n%s\n' "$pass" "$pass" | SEMAFORO_DATA_DIR=$data SEMAFORO_ADMIN_PASSWORD_BCRYPT_COST=4 java -jar "$jar" create-admin bench >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# the bench's clerk signs in with a password alone (administrators need a second factor by default)
SEMAFORO_DATA_DIR=$data SEMAFORO_DEMO_ENABLED=false SEMAFORO_PORT=$port SEMAFORO_HOST=127.0.0.1 \
  SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= SEMAFORO_MIRROR_DIR=$work/mirror java -Xmx1g -jar "$jar" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
mirror_ok() { curl -s "$base/health" | grep -q '"state":"ok"'; }
t0=$(now_ms)
if [ "${WAIT_FULL:-1}" = 1 ]; then
# the manifest is written once the full pass is done (before it is queued, /health says ok already)
until [ -f "$work/mirror/manifest.json" ] && mirror_ok; do sleep 0.5; done
echo "first full pass of the mirror (every address compared and written): $(( ($(now_ms) - t0) / 1000 )) s, $(find "$work/mirror" -type f | wc -l) files"
else
  until [ -f "$work/mirror/index.html" ]; do sleep 0.2; done   # the full pass is queued and under way
fi

jar_c=$(mktemp); trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -f "$jar_c"' EXIT
token=$(curl -s -c "$jar_c" -b "$jar_c" "$base/admin/login" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$jar_c" -b "$jar_c" --data-urlencode "token=$token" --data-urlencode "username=bench" \
  --data-urlencode "password=$pass" "$base/admin/login"
csrf=$(curl -s -c "$jar_c" -b "$jar_c" "$base/admin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$csrf" ] || { echo "login failed" >&2; exit 1; }

firsts=(); alls=()
for i in $(seq "$n"); do
  title="Avviso di misura $i $RANDOM"
  loc=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$jar_c" -b "$jar_c" --data-urlencode "csrf=$csrf" \
    --data-urlencode "title=$title" --data-urlencode "kind=informazione" --data-urlencode "summary=Misura del mirror." \
    --data-urlencode "body=Testo dell'avviso $i." --data-urlencode "publish=now" --data-urlencode "action=preview" "$base/admin/avvisi")
  id=$(echo "$loc" | sed -E 's#.*/admin/avvisi/([0-9]+).*#\1#')
  touch "$work/published"; sleep 0.01
  t0=$(now_ms)
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar_c" -b "$jar_c" --data-urlencode "csrf=$csrf" "$base/admin/avvisi/$id/pubblica")
  [ "$code" = 303 ] || { echo "publication $i answered $code" >&2; exit 1; }
  until compgen -G "$work/mirror/avvisi/$id-*/index.html" >/dev/null \
      && [ "$(ls "$work"/mirror/{,it/,en/,de/,ja/}avvisi/"$id"-*/index.html 2>/dev/null | wc -l)" = 5 ] \
      && grep -qF "$title" "$work/mirror/index.html" && grep -qF "$title" "$work/mirror/feed.atom"; do
    sleep 0.02
  done
  t1=$(now_ms)
  firsts+=($((t1 - t0)))
  if [ "$i" -le "${ALL_FOR:-3}" ]; then
    until mirror_ok; do sleep 0.05; done
    t2=$(now_ms)
    alls+=($((t2 - t0)))
    written=$(find "$work/mirror" -type f -newer "$work/published" | wc -l)
    manifest=$(find "$work/mirror/manifest.json" "$work/mirror/manifest" -type f -newer "$work/published" -printf '%s\n' \
      | awk '{s += $1; n++} END {printf "%d files, %.1f MB", n, s / 1e6}')
    echo "publication $i: first files $((t1 - t0)) ms, all $((t2 - t0)) ms, $written files written (manifest: $manifest)"
  else
    echo "publication $i: first files $((t1 - t0)) ms"
  fi
  sleep 1
done
pct() {   # percentile p of the numbers on stdin (nearest rank)
  sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((p/100)*NR+0.999999); if (i<1) i=1; print a[i]}'
}
echo "first files in place: p50 $(printf '%s\n' "${firsts[@]}" | pct 50) ms, p95 $(printf '%s\n' "${firsts[@]}" | pct 95) ms, max $(printf '%s\n' "${firsts[@]}" | pct 100) ms ($n publications)"
echo "all changed files and the manifest: $(printf '%s ms ' "${alls[@]}")(first ${ALL_FOR:-3} publications)"
