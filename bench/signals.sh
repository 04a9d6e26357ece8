#!/usr/bin/env bash
# Signals in at scale (issue 22): the demo comune with 200 Statuspage sources and 200 probes on
# loopback upstreams at the default interval (60 s). Prints the CPU time of the poller's threads
# and of its HTTP client per interval, the heap in use, the home page's sequential throughput
# before and while polling, and the time from an upstream change (and from a probe target going
# down: three failed checks) to the clerks' dashboard showing it. Target for an upstream change:
# within one interval plus 2 s. Takes about 5 minutes; run it on a quiet machine.
#   bench/signals.sh [SOURCES] [PROBES] [INTERVAL]      default 200 200 60
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=SignalsBench -Dexcluded.test.groups=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsignals.bench.sources="${1:-200}" -Dsignals.bench.probes="${2:-200}" -Dsignals.bench.interval="${3:-60}" 2>&1 \
  | grep -E "signals bench|FAIL|ERROR" || true
