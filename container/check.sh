#!/usr/bin/env bash
# Builds Semaforo's container image on this machine, without an image registry, runs it and
# checks it: /health answers ok, the home page 200, the server runs as a non-root user, the
# image's HEALTHCHECK passes, and an administrator created in one container signs in from a
# new container on the same volume. Containers and the volume are removed afterwards; the
# images stay (semaforo:check and the base), so a second run reuses their layers.
#
#   container/check.sh
#
# Steps (each printed with the seconds since the start):
#   1. installs podman, buildah, debootstrap, runc, uidmap, curl with apt-get when missing;
#   2. uses target/semaforo.jar, built with `mvn -B -q package -DskipTests -Dcds.skip` when it is
#      missing or older than the sources;
#   3. the base image: Debian bookworm minbase with openjdk-17-jre-headless, made by debootstrap
#      from the Debian mirror apt uses here (1.5 to 3 min), kept as a tarball in
#      ${XDG_CACHE_HOME:-~/.cache}/semaforo and made again when older than 7 days (security
#      updates), then `podman import`ed as localhost/semaforo-base:bookworm-jre17;
#   4. `podman build --isolation chroot` of the Dockerfile with RUNTIME_IMAGE set to that base
#      and --target prebuilt (no Maven image and no registry are needed);
#   5. runs it with runc on the host network (a bridge would route to private addresses) on a
#      free loopback port, with a named volume, and checks as above.
#
# Needs root (debootstrap and rootful podman); run as another user, it goes through sudo.
# Environment: SEMAFORO_DEBIAN_MIRROR overrides the mirror found in apt's sources;
# SEMAFORO_CACHE_DIR the cache directory. Exit status 0 when every check holds.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "container/check.sh: needs root (debootstrap, podman) and there is no sudo" >&2; exit 1; }
  exec sudo --preserve-env=SEMAFORO_DEBIAN_MIRROR,SEMAFORO_CACHE_DIR,XDG_CACHE_HOME "$0" "$@"
fi

PACKAGES=(podman buildah debootstrap runc uidmap curl)
SUITE=bookworm
BASE_PACKAGES=openjdk-17-jre-headless
BASE_IMAGE=localhost/semaforo-base:$SUITE-jre17
IMAGE=localhost/semaforo:check
CACHE=${SEMAFORO_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/semaforo}
BASE_TAR=$CACHE/base-$SUITE-jre17.tar.gz
BASE_MAX_AGE_DAYS=7
RUN_OPTS=(--network host --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

# runc: the default runtime, crun, fails on setrlimit in a sandbox like this one's. Podman
# schedules a HEALTHCHECK with a systemd timer and, without systemd (a sandbox, a CI container),
# says so at every start and removal: only those lines are dropped (the check runs it by hand).
pod() { podman --runtime runc "$@" 2> >(grep -v 'unable to get systemd connection' >&2 || true); }
step() { printf '[%4ds] %s\n' "$SECONDS" "$*"; }
fail() { printf '[%4ds] FAILED: %s\n' "$SECONDS" "$*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- 1. packages -------------------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get update -qq
  # waits for another apt/dpkg run to finish instead of failing on its lock
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
fi
step "$(podman --version), $(buildah --version | cut -d' ' -f1-3), runc $(runc --version | sed -n '1s/.*version //p'); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 2. the jar --------------------------------------------------------------------------
jar=target/semaforo.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src config static -newer "$jar" -print -quit)" ]; then
  step "building $jar (mvn package)"
  mvn -B -q package -DskipTests -Dcds.skip >"$work/mvn.log" 2>&1 || { tail -30 "$work/mvn.log" >&2; fail "mvn package"; }
fi
step "jar: $jar, $(du -h "$jar" | cut -f1)"

# --- 3. the base image -------------------------------------------------------------------
# The mirror apt uses here: the first source of the suite itself (not -updates or -security),
# in the deb822 .sources files or the one-line .list format.
debian_mirror() {
  if [ -n "${SEMAFORO_DEBIAN_MIRROR:-}" ]; then echo "$SEMAFORO_DEBIAN_MIRROR"; return; fi
  local f line types='' uris='' suites=''
  found() { [[ " $types " == *" deb "* && " $suites " == *" $SUITE "* && -n $uris ]]; }
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    types='' uris='' suites=''
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line//$'\t'/ }
      case $line in
        Types:*) types=${line#Types:} ;;
        URIs:*) uris=${line#URIs:}; uris=${uris# }; uris=${uris%% *} ;;
        Suites:*) suites=${line#Suites:} ;;
        '') if found; then echo "$uris"; return; fi; types='' uris='' suites='' ;;
      esac
    done <"$f"
    if found; then echo "$uris"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    sed -n -E "s/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([a-z+]+:\/\/[^[:space:]]+)[[:space:]]+$SUITE[[:space:]].*/\2/p" "$f"
  done | head -1 | grep . || echo http://deb.debian.org/debian
}

mkdir -p "$CACHE"
if [ -f "$BASE_TAR" ] && [ -n "$(find "$BASE_TAR" -mtime -"$BASE_MAX_AGE_DAYS")" ]; then
  step "base tarball cached: $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1), $(date -r "$BASE_TAR" -u '+%F %H:%M UTC'))"
else
  mirror=$(debian_mirror)
  step "debootstrap --variant=minbase --include=$BASE_PACKAGES $SUITE from $mirror"
  root=$(mktemp -d "$CACHE/root.XXXXXX")
  trap 'rm -rf "$root" "$work"' EXIT
  debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$root" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log" >&2; fail "debootstrap (log: $CACHE/debootstrap.log)"; }
  # what an image does not need: downloaded packages, package lists, logs
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/debootstrap
  step "packing the base tarball"
  # gzip -1: 147 MB from 349 MB in 9 s of CPU here; the default -6 took 20 s for 134 MB
  tar --numeric-owner -C "$root" --use-compress-program='gzip -1' -cf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf "$root"; trap 'rm -rf "$work"' EXIT
  step "base tarball made: $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1))"
fi
# imported again only when the tarball changed: the image carries the tarball's time as a label
stamp=$(date -r "$BASE_TAR" +%s)
if [ "$(podman image inspect -f '{{index .Labels "semaforo.base.tarball"}}' "$BASE_IMAGE" 2>/dev/null || true)" != "$stamp" ]; then
  step "podman import $BASE_TAR as $BASE_IMAGE"
  podman import --quiet --change "LABEL semaforo.base.tarball=$stamp" --change 'CMD ["/bin/bash"]' \
    "$BASE_TAR" "$BASE_IMAGE" >/dev/null
else
  step "base image up to date: $BASE_IMAGE"
fi

# --- 4. the image ------------------------------------------------------------------------
step "podman build --isolation chroot $IMAGE (RUNTIME_IMAGE=$BASE_IMAGE, --target prebuilt)"
# docker format: the OCI format has no HEALTHCHECK
podman build --isolation chroot --format docker --pull=never \
  --build-arg RUNTIME_IMAGE="$BASE_IMAGE" --target prebuilt \
  -t "$IMAGE" . >"$CACHE/build.log" 2>&1 \
  || { tail -30 "$CACHE/build.log" >&2; fail "podman build (log: $CACHE/build.log)"; }
# earlier builds' images that this one replaced
podman image prune -f --filter label=org.opencontainers.image.title=Semaforo >/dev/null
step "built $IMAGE: $(podman image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'), user $(podman image inspect -f '{{.Config.User}}' "$IMAGE")"

# --- 5. run and check ---------------------------------------------------------------------
run_id=semaforo-check-$$
volume=$run_id
containers=()
cleanup() {
  for c in ${containers[@]+"${containers[@]}"}; do pod rm -f -v -t 5 "$c" >/dev/null 2>&1 || true; done
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  fail "no free port"
}
port=$(free_port)
url=http://127.0.0.1:$port

start() {   # name: a new container on the volume; waits for /health
  local name=$1
  pod run -d --name "$name" "${RUN_OPTS[@]}" \
    -e SEMAFORO_PORT="$port" -e SEMAFORO_HOST=127.0.0.1 -e SEMAFORO_BASE_URL="$url" \
    -v "$volume:/app/data" "$IMAGE" >/dev/null
  containers+=("$name")
  local t0=$SECONDS
  until curl -sf -o /dev/null "$url/health"; do
    [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || { podman logs "$name" >&2; fail "$name stopped"; }
    [ $((SECONDS - t0)) -lt 180 ] || { podman logs "$name" >&2; fail "$name: no answer on $url/health in 180 s"; }
    sleep 0.5
  done
  step "$name answers on $url (after $((SECONDS - t0)) s)"
}

check_health() {
  local body
  body=$(curl -sS "$url/health")
  [[ $body == *'"status":"ok"'* ]] || fail "/health: $body"
  step "ok   /health: $body"
}

check_home() {
  local code
  code=$(curl -sS -o "$work/home.html" -w '%{http_code}' "$url/")
  [ "$code" = 200 ] || fail "home page: HTTP $code"
  step "ok   / : HTTP 200, $(wc -c <"$work/home.html") bytes, $(grep -o '<title>[^<]*' "$work/home.html" | head -1 | sed 's/<title>/title "/')\""
}

check_user() {   # container: the server process's user, seen from the host and inside
  local pid uid name
  pid=$(podman inspect -f '{{.State.Pid}}' "$1")
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
  name=$(podman exec "$1" id -un)
  [ "$uid" != 0 ] || fail "the server runs as root"
  step "ok   server process (host pid $pid) runs as uid $uid ($name), not root; command: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
}

check_healthcheck() {
  local t0=$SECONDS out
  out=$(podman healthcheck run "$1" 2>&1) || fail "HEALTHCHECK: $out"
  step "ok   the image's HEALTHCHECK passes: $(podman inspect -f '{{.State.Health.Status}}' "$1") ($((SECONDS - t0)) s)"
}

admin=controllo
password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 24)

sign_in() {   # 0 when the administrator's password is taken and leads to /admin or, for an
              # administrator without a second factor yet, to its enrolment (required by default)
  local jar=$work/cookies token code landing
  rm -f "$jar"
  token=$(curl -sS -c "$jar" "$url/admin/login" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' | head -1)
  [ -n "$token" ] || fail "no token in the login form"
  code=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -b "$jar" -c "$jar" \
    --data-urlencode "token=$token" --data-urlencode "username=$admin" --data-urlencode "password=$password" \
    "$url/admin/login")
  [[ $code == 303* ]] || return 1
  landing=${code#303 }
  landing=/${landing#*://*/}
  case $landing in /admin|/admin/sicurezza/totp) ;; *) return 1 ;; esac
  [ "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$url$landing")" = 200 ] || return 1
  signed_in_to=$landing
}

step "run 1: podman --runtime runc run ${RUN_OPTS[*]} -v $volume:/app/data"
podman volume create "$volume" >/dev/null
start "$run_id-1"
check_health
check_home
check_user "$run_id-1"
check_healthcheck "$run_id-1"
sign_in && fail "$admin signs in before it exists"
printf '%s\n' "$password" | podman exec -i "$run_id-1" java -Xshare:auto -XX:TieredStopAtLevel=1 -jar /app/semaforo.jar create-admin "$admin" >"$work/create.txt" 2>&1 \
  || { cat "$work/create.txt" >&2; fail "create-admin"; }
sign_in || fail "$admin does not sign in after create-admin"
step "ok   create-admin $admin in the container: $(cat "$work/create.txt"); signs in, led to $signed_in_to"

pod stop -t 20 "$run_id-1" >/dev/null
pod rm -v "$run_id-1" >/dev/null
step "run 1 stopped and removed; run 2: a new container on the same volume"
start "$run_id-2"
check_health
sign_in || fail "$admin is gone after the restart: the data did not survive on the volume"
step "ok   $admin still signs in: the data survived on the volume $volume ($(podman volume inspect -f '{{.Mountpoint}}' "$volume"))"
pod stop -t 20 "$run_id-2" >/dev/null

step "all checks passed; containers and volume removed, images kept ($IMAGE, $BASE_IMAGE)"
