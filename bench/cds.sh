#!/usr/bin/env bash
# Builds an AppCDS archive of Semaforo's classes (target/semaforo.jsa) with a training run:
# the static export starts the server and renders every public page once. The archive is
# tied to this JDK build and this jar: rebuild it after either changes; never commit it.
# Then: java -XX:SharedArchiveFile=target/semaforo.jsa -jar target/semaforo.jar
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/semaforo.jar ] || mvn -q -B package -DskipTests
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
SEMAFORO_DATA_DIR="$work/data" java -XX:ArchiveClassesAtExit=target/semaforo.jsa -jar target/semaforo.jar \
  export "$work/site" >/dev/null 2>&1
ls -l target/semaforo.jsa
