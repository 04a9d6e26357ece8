#!/usr/bin/env bash
# AgID's validator (pa-website-validator-ng, comuni model) and Lighthouse (mobile) on the public
# pages of a fresh demo, inside a network namespace with loopback only: whatever the tools try
# to reach outside (the comune's site, form.agid.gov.it, Google) fails at once and nothing leaves
# the machine. See docs/public-pages.md for the figures of record and how to read them.
# Usage (as root, for unshare -n): PAV_DIR=... LH_BIN=... bench/page-audits.sh [report-dir]
#   PAV_DIR: the validator built from its public repository (no npm package is published):
#     PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts && npx tsc \
#       && npx copyfiles -u 1 "src/**/*.{ejs,json,scss,css,map}" dist/
#     (--ignore-scripts: its "prepare" downloads a Chrome; Debian's chromium is used instead)
#   LH_BIN: a Lighthouse 12 command line (npm i -E lighthouse@12.2.3 in a scratch directory).
#   Either may be empty to skip that tool. PORT (default 18490).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(readlink -f target/semaforo.jar)
[ -f "$jar" ] || mvn -q -B package -DskipTests -Dcds.skip
out=${1:-$(mktemp -d)}; mkdir -p "$out"; out=$(cd "$out" && pwd); echo "reports in $out"
export PAV_DIR=${PAV_DIR:-} LH_BIN=${LH_BIN:-} OUT=$out JAR=$jar PORT=${PORT:-18490}
export PUPPETEER_EXECUTABLE_PATH=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium} CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
exec unshare -n bash -c '
  set -u
  ip link set lo up
  data=$(mktemp -d); trap "rm -rf $data" EXIT
  base=http://127.0.0.1:$PORT
  SEMAFORO_PORT=$PORT SEMAFORO_DATA_DIR=$data SEMAFORO_BASE_URL=$base SEMAFORO_HOST=127.0.0.1 \
    SEMAFORO_SMTP_HOST=127.0.0.1 SEMAFORO_SMTP_PORT=2525 SEMAFORO_SMTP_SECURITY=none \
    SEMAFORO_SMTP_FROM=stato@comune.example.it java -jar "$JAR" >"$OUT/server.log" 2>&1 &
  pid=$!
  for i in $(seq 1 180); do curl -sf -o /dev/null "$base/health" && break; sleep 1; done
  avviso=$(curl -s "$base/sitemap/avvisi-1.xml" | grep -o "$base/avvisi/[0-9][^<]*" | head -1)
  service=$(curl -s "$base/sitemap/pagine.xml" | grep -o "$base/servizi/[^<]*" | head -1)
  pages=("$base/" "$service" "$avviso" "$base/avvisi" "$base/avvisi/anno/$(date +%Y)" "$base/avvisi?q=pagamenti" "$base/iscrizione")
  name() { printf "%s" "$1" | sed -E "s#^https?://[^/]+##; s#[^A-Za-z0-9]+#_#g; s#^_##; s#_\$##"; }
  if [ -n "$PAV_DIR" ]; then
    # no single-page mode: each page is given as if it were the home page; scope online, since
    # local leaves out the rating, menu and second-level audits (and lists them unexamined)
    for url in "$base/" "$service" "$avviso" "$base/avvisi"; do
      n=$(name "$url"); n=agid-${n:-home}
      (cd "$PAV_DIR" && timeout 900 node dist --type municipality --destination "$OUT" --report "$n" \
        --website "$url" --scope online --view false --accuracy min --timeout 30000 --concurrentPages 1) >"$OUT/$n.log" 2>&1
      echo "== AgID $url"
      [ -f "$OUT/$n.json" ] && node -e "
        const r = require(process.argv[1]);
        for (const [id, a] of Object.entries(r.audits || {})) {
          const s = a.specificScore, v = s === 1 ? \"PASS\" : s === 0 ? \"FAIL\" : s === -1 ? \"ERROR\" : \"info\";
          const own = [];  // the row for the audited page itself, when the audit gives one
          for (const k of [\"wrongPages\", \"tolerancePages\", \"correctPages\"]) for (const p of (a[k] && a[k].pages) || [])
            if (String(p.link).startsWith(process.argv[2])) own.push(k.replace(\"Pages\", \"\"));
          console.log(\"   \" + v.padEnd(5) + \" \" + (a.code || id) + (own.length ? \"  (this page: \" + own.join(\", \") + \")\" : \"\"));
        }" "$OUT/$n.json" "$base"
    done
  fi
  if [ -n "$LH_BIN" ]; then
    echo "== Lighthouse (mobile): CLS, SEO, meta description"
    for url in "${pages[@]}"; do
      n=$(name "$url"); n=lh-${n:-home}
      "$LH_BIN" "$url" --quiet --form-factor=mobile --only-categories=accessibility,best-practices,seo,performance \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --lang=it" --locale=it \
        --output=json --output-path="$OUT/$n.json" >"$OUT/$n.log" 2>&1 || { echo "   failed on $url (see $OUT/$n.log)"; continue; }
      node -e "
        const r = require(process.argv[1]), a = r.audits, c = r.categories;
        console.log(\"   \" + r.finalDisplayedUrl + \": CLS \" + a[\"cumulative-layout-shift\"].numericValue.toFixed(4)
          + \", SEO \" + Math.round(c.seo.score * 100) + \", meta description \" + (a[\"meta-description\"].score === 1 ? \"yes\" : \"NO\")
          + \", accessibility \" + Math.round(c.accessibility.score * 100));" "$OUT/$n.json"
    done
  fi
  kill $pid; wait $pid 2>/dev/null || true'
