#!/usr/bin/env bash
# Mail to residents at scale (issue 20): 10,000 confirmed subscribers, half of them following
# the service an avviso suspends; one publish; prints the publish latency and the time until
# the local SMTP server (GreenMail in the same JVM, on loopback) has accepted the last mail,
# with no rate limit. Target: the last mail within 60 s on a 2-core machine.
#   bench/notify.sh [SUBSCRIBERS]        default 10000
#
# The pages while the mail goes out (the issue: throughput-writes' figures unchanged):
#   bench/notify.sh pages [SUBSCRIBERS] [rounds] [seconds]     (after mvn package)
# runs bench/throughput-writes.sh twice, without and then with a mailing to SUBSCRIBERS
# (default 10000) in progress (MAIL_SUBSCRIBERS there), and prints both. ADDRESSES and FILL
# pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = pages ]; then
  n=${2:-10000}; rounds=${3:-3}; secs=${4:-5}
  [ -f target/semaforo.jar ] || { echo "no target/semaforo.jar: mvn -B -q package -DskipTests first" >&2; exit 1; }
  echo "== pages under writes, no mail"
  MAIL_SUBSCRIBERS=0 bench/throughput-writes.sh "$rounds" "$secs"
  echo "== pages under writes, a mailing to $n subscribers in progress"
  MAIL_SUBSCRIBERS=$n bench/throughput-writes.sh "$rounds" "$secs"
  exit 0
fi
mvn -B -q test -Dtest=NotifyBench -Dexcluded.test.groups=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnotify.bench.subscribers="${1:-10000}" 2>&1 | grep -E "notify bench|FAIL|ERROR" || true
