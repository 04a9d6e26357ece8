#!/usr/bin/env bash
# What the packaged jar leaves out, checked against the jar itself (the tests run on Maven's
# test class path, which has more in it: mock-oauth2-server brings Bouncy Castle, for one).
#   bench/jar-check.sh [JAR]      default target/semaforo.jar (mvn -B -q package -DskipTests -Dcds.skip)
# 1. jdeps lists every class of the jar that refers to a class the jar lacks; those that refer
#    to Bouncy Castle (no longer in the jar: DKIM is signed with the JDK, notify.Dkim) must be
#    only webauthn4j's ML-DSA seed expander (post-quantum keys), which needs classes that the Bouncy
#    Castle once shaded in (1.78) did not have either, and Nimbus's entry points that need it by
#    their documentation (a key built from an X.509 certificate or PEM, self-signed certificates,
#    its provider singleton), which single sign-on does not call. The mirror's S3 client and
#    passkeys refer to none of it.
#    And the jar's zip directory, which the JVM keeps on the heap as one array, stays under
#    2,097,136 bytes: at -Xmx64m (1 MB G1 regions) it then takes two regions, not three.
# 2. What single sign-on does with Nimbus works from the jar (bench/JwkCheck.java): a JWK set
#    with EC and RSA keys and an x5c chain parsed, ES256 and RS256 signatures verified.
# 3. The jar runs with smtp.dkim.* set, sends a mail to a local SMTP server (python3-aiosmtpd,
#    as the tests use), and that mail's DKIM-Signature verifies with the public key
#    (dkimpy, Debian's python3-dkim, as a receiver checks it).
# 4. The same server serves the home page and every asset it links (Bootstrap Italia's CSS, fonts
#    and sprites, which the jar keeps alone of its webjar: see the shade filter in pom.xml).
# Exit status 0 when all four hold.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${1:-target/semaforo.jar}; port=${PORT:-7193}
[ -f "$jar" ] || { echo "no $jar: mvn -B -q package -DskipTests -Dcds.skip first" >&2; exit 1; }
work=$(mktemp -d); server=; smtp=
trap '[ -n "$server" ] && kill $server 2>/dev/null; [ -n "$smtp" ] && kill $smtp 2>/dev/null; exec 7>&- || true; rm -rf "$work"' EXIT

echo "jar: $jar, $(unzip -Z1 "$jar" | wc -l) entries"
jdeps --multi-release 17 --missing-deps "$jar" >"$work/missing.txt" 2>&1 || true
grep -- '-> org\.bouncycastle' "$work/missing.txt" | awk '{print $1}' | sed 's|^[0-9]*/||' | sort -u >"$work/bc.txt" || true
unexpected=$(grep -v -x -e 'com.webauthn4j.data.attestation.authenticator.internal.MLDSASeedExpander' \
  -e 'com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton' \
  -e 'com.nimbusds.jose.jwk.ECKey' -e 'com.nimbusds.jose.jwk.PEMEncodedKeyParser' -e 'com.nimbusds.jose.util.X509CertChainUtils' \
  -e 'com.nimbusds.oauth2.sdk.util.X509CertificateUtils' "$work/bc.txt" || true)
if [ -n "$unexpected" ]; then echo "FAILED: classes of the jar that need Bouncy Castle:" >&2; echo "$unexpected" >&2; exit 1; fi
cen=$(/usr/bin/python3 -c 'import sys, zipfile
print(sum(46 + len(i.orig_filename.encode()) + len(i.extra) + len(i.comment) for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$jar")
[ "$cen" -lt 2097136 ] || { echo "FAILED: the zip directory is $cen bytes, three heap regions at -Xmx64m (docs/performance.md)" >&2; exit 1; }
echo "1. Bouncy Castle: $(unzip -Z1 "$jar" | grep -c '^org/bouncycastle/' || true) entries in the jar; referred to only by the $(wc -l <"$work/bc.txt") classes allowed; zip directory $cen bytes (< 2,097,136)"

keytool -genkeypair -alias k -keyalg EC -groupname secp256r1 -dname CN=check -validity 2 -storetype PKCS12 \
  -keystore "$work/ec.p12" -storepass changeit >/dev/null 2>&1
printf '2. '
java -cp "$jar" bench/JwkCheck.java "$work/ec.p12"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/dkim.pem" 2>/dev/null
openssl pkey -in "$work/dkim.pem" -pubout -outform DER -out "$work/dkim.pub.der"
mkfifo "$work/smtp.in"
/usr/bin/python3 src/test/resources/smtp/aiosmtpd-server.py <"$work/smtp.in" >"$work/smtp.out" &
smtp=$!
exec 7>"$work/smtp.in"
for _ in $(seq 50); do grep -q '^PORT ' "$work/smtp.out" 2>/dev/null && break; sleep 0.2; done
smtp_port=$(sed -n 's/^PORT //p' "$work/smtp.out")
[ -n "$smtp_port" ] || { echo "the SMTP server did not start: apt-get install python3-aiosmtpd" >&2; exit 1; }
SEMAFORO_SMTP_HOST=127.0.0.1 SEMAFORO_SMTP_PORT="$smtp_port" SEMAFORO_SMTP_SECURITY=none \
  SEMAFORO_SMTP_FROM="Comune <avvisi@comune.example>" SEMAFORO_NOTIFY_RATE_PER_MINUTE=0 \
  SEMAFORO_SMTP_DKIM_DOMAIN=comune.example SEMAFORO_SMTP_DKIM_SELECTOR=check SEMAFORO_SMTP_DKIM_KEY_FILE="$work/dkim.pem" \
  SEMAFORO_DATA_DIR=$work/data SEMAFORO_PORT=$port SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= \
  java -Xmx64m -jar "$jar" >"$work/server.log" 2>&1 &
server=$!
base=http://127.0.0.1:$port
for _ in $(seq 300); do curl -sf -o /dev/null "$base/health" && break; sleep 0.2; done
form=$(curl -s -c "$work/jar" -b "$work/jar" "$base/iscrizione" | grep -o 'name="form" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$form" ] || { tail -20 "$work/server.log" >&2; echo "FAILED: no subscription form" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$work/jar" -b "$work/jar" --data-urlencode "form=$form" \
  --data-urlencode "email=maria@example.org" --data-urlencode "consent=1" "$base/iscrizione")
[ "$code" = 200 ] || { echo "FAILED: the subscription answered $code" >&2; exit 1; }
for _ in $(seq 150); do [ "$(wc -l <"$work/smtp.out")" -ge 2 ] && break; sleep 0.2; done
[ "$(wc -l <"$work/smtp.out")" -ge 2 ] || { tail -20 "$work/server.log" >&2; echo "FAILED: no mail reached the SMTP server" >&2; exit 1; }
sed -n 2p "$work/smtp.out" | /usr/bin/python3 -c 'import sys, json, base64; sys.stdout.buffer.write(base64.b64decode(json.load(sys.stdin)["data"]))' >"$work/mail.eml"
printf '3. '
/usr/bin/python3 - "$work/mail.eml" "v=DKIM1; k=rsa; p=$(base64 -w0 "$work/dkim.pub.der")" <<'PY'
import sys, dkim
record = sys.argv[2].encode()
ok = dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=lambda name, timeout=5: record)
print("dkim (dkimpy): " + ("pass" if ok else "FAIL")); sys.exit(0 if ok else 1)
PY
code=$(curl -s -o "$work/home.html" -w '%{http_code}' "$base/")
[ "$code" = 200 ] || { echo "FAILED: the home page answered $code" >&2; exit 1; }
assets=$(grep -o '/assets/[^"#)]*' "$work/home.html" | sort -u)
n=0
for a in $assets; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$a")
  [ "$code" = 200 ] || { echo "FAILED: $a answered $code" >&2; exit 1; }
  n=$((n + 1))
done
[ "$n" -ge 3 ] || { echo "FAILED: only $n assets linked from the home page" >&2; exit 1; }
echo "4. home page and its $n assets: 200"
