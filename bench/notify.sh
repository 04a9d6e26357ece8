#!/usr/bin/env bash
# Mail to residents at scale (issue 20): 10,000 confirmed subscribers, half of them following
# the service an avviso suspends; one publish; prints the publish latency and the time until
# the local SMTP server (GreenMail in the same JVM, on loopback) has accepted the last mail,
# with no rate limit. Target: the last mail within 60 s on a 2-core machine.
#   bench/notify.sh [SUBSCRIBERS]        default 10000
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=NotifyBench -Dexcluded.test.groups=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnotify.bench.subscribers="${1:-10000}" 2>&1 | grep -E "notify bench|FAIL|ERROR" || true
