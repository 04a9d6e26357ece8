#!/usr/bin/env bash
# Retakes the README's screenshots from a running demo (java -jar target/semaforo.jar on an
# empty data directory) with Debian's headless Chromium, in Italian, then shrinks them.
# Usage: docs/screenshots/take.sh [base URL, default http://localhost:7070]
set -euo pipefail
base="${1:-http://localhost:7070}"
dir="$(cd "$(dirname "$0")" && pwd)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

shot() {   # name width,height path
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --lang=it-IT --window-size="$2" --screenshot="$dir/$1.png" "$base$3" 2>/dev/null
  if command -v pngquant >/dev/null; then pngquant --force --skip-if-larger --quality 60-85 --output "$dir/$1.png" "$dir/$1.png" || true; fi
}

avviso="$(curl -fsS "$base/it/" | grep -o 'href="/it/avvisi/[0-9]*-servizi-online-sospesi[^"]*"' | head -1 | cut -d'"' -f2)"
shot home-desktop 1280,1500 /it/
shot home-phone 390,1600 /it/
shot avviso 1280,1900 "$avviso"
ls -l "$dir"/*.png
