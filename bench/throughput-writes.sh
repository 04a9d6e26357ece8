#!/usr/bin/env bash
# bench/throughput.sh while a clerk publishes a numbered update every second through the
# clerks' area. Each address gets a fresh demo (its own data directory and server, -Xmx64m)
# with the clerk publishing for the whole of its measurement, so that what is measured is the
# demo under writes, not a feed grown by the updates of the addresses measured before it.
#   bench/throughput-writes.sh [rounds] [seconds]      (after mvn package; ADDRESSES="/feed.atom" for one)
#
# FILL=100 (the default) publishes that many updates to the avviso before measuring: a long
# outage has many (Massa's was updated for weeks), and the feeds, which show the newest 100
# entries, are then as long as they stay while the clerk goes on; vs-nginx.sh gives nginx the
# bytes of the first request, so with FILL=0 the feed grows from 40 to 165 KB during the
# measurement and the app serves a page four times the size of nginx's copy.
#
# MAIL_SUBSCRIBERS=10000 measures the same while a mailing goes out (issue 20): a local SMTP
# server (python3-aiosmtpd, src/test/resources/smtp/aiosmtpd-server.py) on loopback, no rate
# limit, that many confirmed subscribers following everything added after the fill, and one
# update with "notify subscribers" ticked just before the measurement: every subscriber is due
# a mail while the pages are measured (the clerk's other updates are corrections). It prints how
# many mails the SMTP server accepted during the measurement and how many were still due after
# it; both sides of the comparison with bench/notify.sh pages.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; secs=${2:-5}; port=7170; pass=ghiandola-torrente-quarzo-71
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; exec 7>&- || true; rm -rf "$work"' EXIT
mail=${MAIL_SUBSCRIBERS:-0}; smtp_env=()
if [ "$mail" -gt 0 ]; then
  # the SMTP server reads its standard input from a pipe held open on fd 7: closing it stops it
  mkfifo "$work/smtp.in"
  /usr/bin/python3 src/test/resources/smtp/aiosmtpd-server.py --no-data <"$work/smtp.in" >"$work/smtp.out" &
  exec 7>"$work/smtp.in"
  for _ in $(seq 50); do grep -q '^PORT ' "$work/smtp.out" 2>/dev/null && break; sleep 0.2; done
  smtp_port=$(sed -n 's/^PORT //p' "$work/smtp.out")
  [ -n "$smtp_port" ] || { echo "the SMTP server did not start: apt-get install python3-aiosmtpd" >&2; exit 1; }
  smtp_env=(SEMAFORO_SMTP_HOST=127.0.0.1 SEMAFORO_SMTP_PORT="$smtp_port" SEMAFORO_SMTP_SECURITY=none
    SEMAFORO_SMTP_FROM="Comune <avvisi@comune.example>" SEMAFORO_NOTIFY_RATE_PER_MINUTE=0)
  echo "mailing: $mail subscribers, SMTP server on 127.0.0.1:$smtp_port"
fi
accepted() { echo $(( $(wc -l <"$work/smtp.out") - 1 )); }
due() {
  /usr/bin/python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30)
print(c.execute("SELECT COUNT(*) FROM notify_outbox WHERE state IN (\x27pending\x27, \x27sending\x27)").fetchone()[0])' "$work/data/semaforo.db"
}
for path in ${ADDRESSES:-/ /servizi/stato-civile /feed.atom /api/v2/summary.json}; do
  rm -rf "$work/data"
  # the publisher signs in with a password alone: no second factor required of its administrator
  env ${smtp_env[@]+"${smtp_env[@]}"} SEMAFORO_DATA_DIR=$work/data SEMAFORO_PORT=$port SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= java -Xmx64m -jar target/semaforo.jar >"$work/server.log" 2>&1 &
  server=$!
  # up to a minute: a busy machine starts the server slowly
  for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
  printf '%s\n%s\n' "$pass" "$pass" | SEMAFORO_DATA_DIR=$work/data java -jar target/semaforo.jar create-admin bench >/dev/null
  if [ "${FILL:-100}" -gt 0 ]; then
    PAUSE=0 UPDATES=${FILL:-100} bench/publish-every-second.sh "http://127.0.0.1:$port" bench "$pass" 1 600 >"$work/fill.log" 2>&1
    echo "  filled: $(tail -1 "$work/fill.log")"
  fi
  if [ "$mail" -gt 0 ]; then
    /usr/bin/python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30)
c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO notify_subscriber"
          "(email, language, everything, consent_at, confirmed_at) SELECT \x27r\x27 || i || \x27@example.org\x27,"
          " \x27it\x27, 1, 1, 2 FROM n", (int(sys.argv[2]),)); c.commit()' "$work/data/semaforo.db" "$mail"
    NOTIFY=1 PAUSE=0 UPDATES=1 bench/publish-every-second.sh "http://127.0.0.1:$port" bench "$pass" 1 60 >"$work/notify.log" 2>&1
    mails_before=$(accepted)
  fi
  # the publisher outlasts both measurements (each: three warm-up runs, then rounds of app and nginx)
  bench/publish-every-second.sh "http://127.0.0.1:$port" bench "$pass" 1 $(( (rounds * 2 + 3) * secs * 2 + 10 )) >"$work/pub.log" 2>&1 &
  publisher=$!
  sleep 2
  ADDRESSES=$path bench/throughput.sh "http://127.0.0.1:$port" "$rounds" "$secs" | grep -v '^load average'
  wait $publisher || true
  echo "  clerk: $(tail -1 "$work/pub.log")"
  if [ "$mail" -gt 0 ]; then
    echo "  mail: $(( $(accepted) - mails_before )) accepted by the SMTP server from the update to the end of the measurement, $(due) still due then"
    # the outbox rows of a mailing are written in one transaction with SQLite's one writer: writes waiting for it
    echo "  writes that waited over 10 s for the database writer: $(grep -c 'Connection is not available' "$work/server.log" || true)"
  fi
  kill $server; wait $server 2>/dev/null || true
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
