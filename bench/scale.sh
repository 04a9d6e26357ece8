#!/usr/bin/env bash
# Scale harness: JMH over a generated large comune (300 services, 20,000 avvisi, 60,000
# updates): archive search/filters and an uncached home page, percentiles in ms.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main \
  -rf text -rff target/scale-bench.txt "ScaleBenchmark" "$@"
