#!/usr/bin/env bash
# A clerk who publishes a numbered update every second, through the real clerks' area (login,
# CSRF token, form post), for the throughput-under-writes measurement. Each update drops the
# response cache, so readers measure re-rendering too.
#   bench/publish-every-second.sh BASE_URL USER PASSWORD NOTICE_ID SECONDS
# The user signs in with a password alone: an editor, or an administrator of a server started
# with SEMAFORO_ADMIN_SECOND_FACTOR_ROLES= (empty) who has not enrolled a second factor.
# PAUSE=0 UPDATES=100 (environment) publish 100 updates back to back instead, to fill the feeds.
# The updates are corrections (subscribers not mailed) unless NOTIFY=1: the form's box ticked.
set -euo pipefail
base=${1:?base url}; user=${2:?user}; pass=${3:?password}; notice=${4:-1}; secs=${5:-30}
jar=$(mktemp); trap 'rm -f "$jar"' EXIT
token=$(curl -s -c "$jar" -b "$jar" "$base/admin/login" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "token=$token" --data-urlencode "username=$user" \
  --data-urlencode "password=$pass" "$base/admin/login"
# (|| true: a refused login must reach the message below, not end the script silently under pipefail)
csrf=$(curl -s -c "$jar" -b "$jar" "$base/admin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//' || true)
[ -n "$csrf" ] || { echo "login failed" >&2; exit 1; }
ok=0; fail=0; pause=${PAUSE:-1}; updates=${UPDATES:-0}
notify=(); [ "${NOTIFY:-0}" = 1 ] && notify=(--data-urlencode notify=on)
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ] && { [ "$updates" = 0 ] || [ $((ok + fail)) -lt "$updates" ]; }; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" ${notify[@]+"${notify[@]}"} \
    --data-urlencode "body=Aggiornamento di prova delle $(date +%H:%M:%S)." "$base/admin/avvisi/$notice/aggiornamenti")
  if [ "$code" = 303 ]; then ok=$((ok+1)); else fail=$((fail+1)); fi
  sleep "$pause"
done
echo "updates published: $ok, refused: $fail"
