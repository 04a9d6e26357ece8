#!/usr/bin/env bash
# What a mailing costs the server in CPU (issue 20): the packaged server (-Xmx64m, as in
# bench/throughput-writes.sh) and a local SMTP server (python3-aiosmtpd, --no-data) on loopback,
# N confirmed subscribers following everything, one update with "notify subscribers" ticked;
# prints the CPU seconds (utime + stime from /proc) the server, its sending thread and the SMTP
# server used from the update until the SMTP server has accepted the last mail, per 1,000 mails,
# and the time that took. CPU time does not depend much on what else the machine runs; the
# elapsed time does.
#   bench/mail-cpu.sh [SUBSCRIBERS]      default 5000 (after mvn package)
# JFR=1 records the server with Java Flight Recorder (profile "profile") into target/mail-cpu.jfr.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000}; port=7171; pass=ghiandola-torrente-quarzo-71
jar=${JAR:-target/semaforo.jar}
[ -f "$jar" ] || { echo "no $jar: mvn -B -q package -DskipTests first" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; exec 7>&- || true; rm -rf "$work"' EXIT
mkfifo "$work/smtp.in"
/usr/bin/python3 src/test/resources/smtp/aiosmtpd-server.py --no-data <"$work/smtp.in" >"$work/smtp.out" &
smtp=$!
exec 7>"$work/smtp.in"
for _ in $(seq 50); do grep -q '^PORT ' "$work/smtp.out" 2>/dev/null && break; sleep 0.2; done
smtp_port=$(sed -n 's/^PORT //p' "$work/smtp.out")
[ -n "$smtp_port" ] || { echo "the SMTP server did not start: apt-get install python3-aiosmtpd" >&2; exit 1; }
jfr=(); [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=settings=profile,filename=$PWD/target/mail-cpu.jfr,dumponexit=true")
SEMAFORO_SMTP_HOST=127.0.0.1 SEMAFORO_SMTP_PORT="$smtp_port" SEMAFORO_SMTP_SECURITY=none \
  SEMAFORO_SMTP_FROM="Comune <avvisi@comune.example>" SEMAFORO_NOTIFY_RATE_PER_MINUTE=0 \
  SEMAFORO_DATA_DIR=$work/data SEMAFORO_PORT=$port SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= \
  java -Xmx64m ${jfr[@]+"${jfr[@]}"} -jar "$jar" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
printf '%s\n%s\n' "$pass" "$pass" | SEMAFORO_DATA_DIR=$work/data java -jar "$jar" create-admin bench >/dev/null
/usr/bin/python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30)
c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO notify_subscriber"
          "(email, language, everything, consent_at, confirmed_at) SELECT \x27r\x27 || i || \x27@example.org\x27,"
          " \x27it\x27, 1, 1, 2 FROM n", (int(sys.argv[2]),)); c.commit()' "$work/data/semaforo.db" "$n"
accepted() { echo $(( $(wc -l <"$work/smtp.out") - 1 )); }
# clock ticks of a process (utime + stime), or of one of its threads by name
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
thread_ticks() {
  local t sum=0
  for t in /proc/$1/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ] && sum=$((sum + $(awk '{print $14 + $15}' "$t/stat")))
  done
  echo $sum
}
hz=$(getconf CLK_TCK)
sleep 3   # the server's start-up and the clerk's sign-in settle
threads() { for t in /proc/$1/task/*; do echo "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null) $(basename "$t") $(cat "$t/comm" 2>/dev/null | tr ' ' _)"; done; }
[ "${THREADS:-0}" = 1 ] && threads $server >"$work/threads0"
s0=$(ticks $server); m0=$(thread_ticks $server semaforo-mail); q0=$(ticks $smtp); a0=$(accepted); t0=$(date +%s.%N)
NOTIFY=1 PAUSE=0 UPDATES=1 bench/publish-every-second.sh "http://127.0.0.1:$port" bench "$pass" 1 60 >/dev/null
end=$((SECONDS + 300))
while [ "$(accepted)" -lt $((a0 + n)) ] && [ $SECONDS -lt $end ]; do sleep 0.1; done
t1=$(date +%s.%N); s1=$(ticks $server); m1=$(thread_ticks $server semaforo-mail); q1=$(ticks $smtp); sent=$(( $(accepted) - a0 ))
awk -v n="$sent" -v s=$((s1 - s0)) -v m=$((m1 - m0)) -v q=$((q1 - q0)) -v hz="$hz" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN {
  k = n / 1000
  printf "mail cpu: %d mails in %.1f s; CPU s per 1,000 mails: server %.2f (its sending thread %.2f), SMTP server %.2f\n",
    n, t, s / hz / k, m / hz / k, q / hz / k }'
if [ "${THREADS:-0}" = 1 ]; then
  threads $server >"$work/threads1"
  echo "threads with most CPU during the mailing (s):"
  awk 'NR == FNR { a[$2] = $1; next } { d = $1 - a[$2]; if (d > 0) s[$3] += d } END { for (k in s) printf "  %6.2f %s\n", s[k] / '"$hz"', k }' \
    "$work/threads0" "$work/threads1" | sort -rn | head -12
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
