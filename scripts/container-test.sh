#!/usr/bin/env bash
# The container image, built and run as an operator would: CI's last step.
#
# It starts its own Docker engine (dockerd, from Debian's docker.io) in a
# temporary folder, makes local stand-ins for the Dockerfile's two base
# images (scripts/container-images.sh: no registry is needed), builds the
# real Dockerfile with the network off, and checks the image:
#
#   - it runs as a non-root user (65532), with a read-only root filesystem
#   - its HEALTHCHECK reports healthy, also on another port set with
#     RENDERWISE_ADDR (and with another RENDERWISE_BASE_URL than the build's)
#   - its SSG pages, feed and sitemap are byte for byte what the binary
#     serves outside the container from an export made with the same
#     SOURCE_DATE_EPOCH, in every encoding, with the same ETag
#   - `docker stop` under keep-alive load fails no request
#     (scripts/drainload), and the server exits 0 before docker's timeout
#
# One PASS or FAIL line per check, the time of each phase, exit 1 if any
# check failed. Everything it starts (dockerd, its containers, a server) is
# stopped by PID or name on exit, and its folder removed: nothing is kept
# for the next run.
#
# Needs root, docker.io and debootstrap (.ci/run installs them), Go, curl.
set -euo pipefail
cd "$(dirname "$0")/.."

docker=${DOCKER:-/usr/bin/docker}   # the client that comes with this dockerd
for tool in dockerd "$docker" debootstrap go curl; do
  command -v "$tool" >/dev/null || { echo "FAIL setup: $tool is not installed (apt-get install docker.io debootstrap)"; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "FAIL setup: dockerd needs root"; exit 1; }

work=$(mktemp -d /tmp/renderwise-container.XXXXXX)
export DOCKER_HOST="unix://$work/docker.sock"
image=renderwise:ci
main=rw-ci-main
other=rw-ci-port
dockerd_pid=""
host_pid=""
# Its own bridge, so that it shares no docker0 (and no addresses) with an
# engine the machine already runs.
bridge=rwci0
bridge_cidr=${CONTAINER_TEST_BRIDGE:-10.213.47.1/24}
made_bridge=no

failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; failures=$((failures + 1)); }

declare -a phases=()
phase_name="" phase_start=0
phase() {   # phase NAME: ends the phase before, if any, and starts NAME
  local now; now=$(date +%s.%N)
  if [ -n "$phase_name" ]; then
    local took; took=$(awk -v a="$phase_start" -v b="$now" 'BEGIN { printf "%.1f", b - a }')
    echo "time: $phase_name ${took}s"
    phases+=("$phase_name ${took}s")
  fi
  phase_name=$1 phase_start=$now
  [ -z "$1" ] || echo "--- container: $1"
}
t0=$(date +%s.%N)

cleanup() {
  local rc=$?
  set +e
  if [ -n "$host_pid" ]; then kill "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null; fi
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    "$docker" rm -f "$main" "$other" >/dev/null 2>&1
    kill "$dockerd_pid"
    for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$dockerd_pid" 2>/dev/null; then echo "dockerd did not stop in 30 s; killing it"; kill -9 "$dockerd_pid"; fi
    wait "$dockerd_pid" 2>/dev/null
  fi
  # Mounts dockerd left (it unmounts its own when it stops cleanly).
  findmnt -rn -o TARGET | grep "^$work/" | sort -r | xargs -r -n1 umount -l
  [ "$made_bridge" = no ] || ip link delete "$bridge" 2>/dev/null
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_healthy NAME: until docker reports the container healthy (60 s at most).
wait_healthy() {
  local status=""
  for _ in $(seq 120); do
    status=$("$docker" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}/{{.State.Status}}' "$1" 2>/dev/null || echo "gone/gone")
    case $status in
      healthy/*) return 0 ;;
      */exited|*/dead|gone/*) break ;;
    esac
    sleep 0.5
  done
  echo "container $1: $status"
  "$docker" inspect -f '{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}' "$1" 2>/dev/null | tail -5
  "$docker" logs "$1" 2>&1 | tail -10
  return 1
}

# run_container NAME ARGS...: docker run -d, hardened as docs/deploy.md runs
# it. Its warning that IPv4 forwarding is off is expected (the engine runs
# with --ip-forward=false: the container only answers this host) and is
# shown only if the container does not start.
run_container() {
  local name=$1; shift
  "$docker" run -d --name "$name" --read-only --cap-drop ALL --security-opt no-new-privileges \
    "$@" "$image" >/dev/null 2>"$work/run.err" || { cat "$work/run.err"; return 1; }
}

# ---------------------------------------------------------------------------
phase "start dockerd"
# Its own data, state, socket and bridge, so it shares nothing with another
# engine on the machine and leaves nothing behind. No iptables rules and no
# ip_forward change: the checks reach containers over the bridge from this
# host and through published ports (docker-proxy); nothing goes out.
if ip link show "$bridge" >/dev/null 2>&1 || ip -o addr | grep -q " ${bridge_cidr%.*}\."; then
  fail "dockerd starts" "bridge $bridge or addresses ${bridge_cidr%.*}.x are taken (another run? set CONTAINER_TEST_BRIDGE=a.b.c.1/24)"; exit 1
fi
ip link add "$bridge" type bridge && made_bridge=yes
ip addr add "$bridge_cidr" dev "$bridge"
ip link set "$bridge" up
dockerd --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
  -H "$DOCKER_HOST" --bridge "$bridge" --iptables=false --ip-forward=false >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 60); do "$docker" version >/dev/null 2>&1 && break; sleep 0.5; done
if ! "$docker" version >/dev/null 2>&1; then
  tail -20 "$work/dockerd.log"; fail "dockerd starts" "not answering after 30 s"; exit 1
fi
pass "dockerd starts ($("$docker" version -f '{{.Server.Version}}'), storage $("$docker" info -f '{{.Driver}}'))"

# ---------------------------------------------------------------------------
phase "base image stand-ins (debootstrap, Go, modules)"
bases=$(DOCKER="$docker" scripts/container-images.sh "$work/images")
go_image=$(sed -n 1p <<<"$bases") standin_runtime=$(sed -n 2p <<<"$bases")
size_of() { "$docker" image inspect -f '{{.Size}}' "$1" | awk -v u="$2" '{ printf "%.0f %sB", $1 / (u == "M" ? 1e6 : 1e3), u }'; }
pass "stand-ins $go_image ($(size_of "$go_image" M)) and $standin_runtime ($(size_of "$standin_runtime" k))"
# CONTAINER_TEST_RUNTIME_IMAGE=scratch bash scripts/container-test.sh runs the same checks
# on an empty runtime base (the numeric USER needs no /etc/passwd).
runtime_image=${CONTAINER_TEST_RUNTIME_IMAGE:-$standin_runtime}
echo "runtime base: $runtime_image"

# ---------------------------------------------------------------------------
phase "docker build"
# The commit time: a fixed SOURCE_DATE_EPOCH, as docs/deploy.md recommends.
sde=$(git log -1 --format=%ct 2>/dev/null || echo 1764547200)
base_url=http://localhost:8080
# --network none: the stand-in has the modules, and nothing else is fetched.
if DOCKER_BUILDKIT=0 timeout 1200 "$docker" build --network none \
    --build-arg GO_IMAGE="$go_image" --build-arg RUNTIME_IMAGE="$runtime_image" \
    --build-arg BASE_URL="$base_url" --build-arg SOURCE_DATE_EPOCH="$sde" \
    -t "$image" . >"$work/build.log" 2>&1; then
  grep -E '^(built|[0-9]+ articles)' "$work/build.log" || true
  pass "docker build of the Dockerfile (stand-in bases, no network)"
else
  tail -30 "$work/build.log"; fail "docker build of the Dockerfile"; exit 1
fi
size=$("$docker" image inspect -f '{{.Size}}' "$image")
echo "image size: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f MB", s/1e6 }'))"

# ---------------------------------------------------------------------------
phase "image and container checks"
user=$("$docker" image inspect -f '{{.Config.User}}' "$image")
case $user in
  ""|0|0:*|root|root:*) fail "image user is not root" "USER is '$user'" ;;
  *) pass "image user is not root ($user)" ;;
esac
hc=$("$docker" image inspect -f '{{join .Config.Healthcheck.Test " "}}' "$image")
if [[ $hc == *8080* ]]; then fail "HEALTHCHECK names no port" "$hc"; else pass "HEALTHCHECK names no port ($hc)"; fi

# As docs/deploy.md runs it; --health-interval shortens the wait for the
# first check (docker runs it one interval after the start), not the check.
run_container "$main" -p 127.0.0.1::8080 --health-interval 1s
if wait_healthy "$main"; then pass "HEALTHCHECK reports healthy (read-only root, no capabilities)"; else fail "HEALTHCHECK reports healthy"; fi
pid=$("$docker" inspect -f '{{.State.Pid}}' "$main")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo "?")
if [ "$uid" = 65532 ]; then pass "server process runs as uid 65532"; else fail "server process runs as uid 65532" "uid $uid"; fi
ro=$("$docker" inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$main")
if [ "$ro" = true ]; then pass "root filesystem is read-only"; else fail "root filesystem is read-only" "ReadonlyRootfs=$ro"; fi
cport=$("$docker" port "$main" 8080/tcp | head -1)
cip=$("$docker" inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$main")
echo "container $main: published at $cport, bridge address $cip"

# Another port and another base URL than the image was built with (the
# README says the server then renders every page at start).
run_container "$other" -e RENDERWISE_ADDR=:9000 -e RENDERWISE_BASE_URL=https://renderwise.example \
  -p 127.0.0.1::9000 --health-interval 1s
oport=$("$docker" port "$other" 9000/tcp | head -1)
if wait_healthy "$other" && curl -fsS -o /dev/null "http://$oport/healthz"; then
  pass "HEALTHCHECK follows RENDERWISE_ADDR=:9000"
else
  fail "HEALTHCHECK follows RENDERWISE_ADDR=:9000"
fi
# Read the page whole before looking in it: with pipefail, grep -q leaving
# early would fail curl (exit 23) and the check with it.
home=$(curl -fsS "http://$oport/" || true)
if grep -q 'href="https://renderwise.example/' <<<"$home"; then
  pass "another RENDERWISE_BASE_URL than the build's is served"
else
  fail "another RENDERWISE_BASE_URL than the build's is served" "the home page does not link https://renderwise.example/"
fi
"$docker" rm -f "$other" >/dev/null

# ---------------------------------------------------------------------------
phase "same bytes as the binary outside the container"
CGO_ENABLED=0 go build -trimpath -tags nodynamic -o "$work/renderwise" ./cmd/renderwise
SOURCE_DATE_EPOCH=$sde "$work/renderwise" build --out "$work/dist" --base-url "$base_url" >/dev/null
"$work/renderwise" serve --prebuilt "$work/dist" --addr 127.0.0.1:0 --base-url "$base_url" >"$work/host.log" 2>&1 &
host_pid=$!
haddr=""
for _ in $(seq 100); do
  haddr=$(grep -o '"msg":"serving","addr":"[^"]*"' "$work/host.log" | sed 's/.*"addr":"//; s/"$//' || true)
  [ -n "$haddr" ] && curl -fs -o /dev/null "http://$haddr/readyz" && break
  sleep 0.1
done
[ -n "$haddr" ] || { cat "$work/host.log"; fail "the binary serves the export outside the container"; exit 1; }

# Every SSG page of the sitemap, plus the feed, the sitemap and robots.txt;
# ISR pages are left out: the two servers regenerate them at their own time.
# Each in identity, gzip and br; the body and the ETag must be equal.
mapfile -t paths < <(curl -fsS "http://$haddr/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed "s#<loc>$base_url##; s#</loc>##")
compared=0 differ=0
fetch() { # fetch BASE PATH ENCODING FILE: prints the ETag and X-Render-Mode
  curl -fsS -H "Accept-Encoding: $3" -o "$4" -D "$4.h" "$1$2" || return 1
  awk -F': ' 'tolower($1)=="etag" || tolower($1)=="x-render-mode" { gsub("\r",""); printf "%s=%s ", tolower($1), $2 }' "$4.h"
}
for p in "${paths[@]}" /feed.xml /sitemap.xml /robots.txt; do
  mode=$(curl -fsS -o /dev/null -D - "http://$haddr$p" | awk -F': ' 'tolower($1)=="x-render-mode" { gsub("\r",""); print $2 }')
  case $p in /feed.xml|/sitemap.xml|/robots.txt) ;; *) [ "$mode" = ssg ] || continue ;; esac
  for enc in identity gzip br; do
    h=$(fetch "http://$haddr" "$p" "$enc" "$work/h.body") || { differ=$((differ + 1)); echo "  $p ($enc): outside: request failed"; continue; }
    c=$(fetch "http://$cport" "$p" "$enc" "$work/c.body") || { differ=$((differ + 1)); echo "  $p ($enc): container: request failed"; continue; }
    compared=$((compared + 1))
    if ! cmp -s "$work/h.body" "$work/c.body" || [ "$h" != "$c" ]; then
      differ=$((differ + 1))
      echo "  $p ($enc) differs: outside $h$(sha256sum <"$work/h.body" | cut -c1-12), container $c$(sha256sum <"$work/c.body" | cut -c1-12)"
    fi
  done
done
if [ "$compared" -ge 30 ] && [ "$differ" = 0 ]; then
  pass "same bytes and ETags as outside the container ($compared responses: $(( compared / 3 )) paths × 3 encodings, SOURCE_DATE_EPOCH=$sde)"
else
  fail "same bytes and ETags as outside the container" "$differ of $((compared + differ)) differ or failed (need at least 30 compared)"
fi
kill "$host_pid"; wait "$host_pid" 2>/dev/null || true; host_pid=""

# ---------------------------------------------------------------------------
phase "docker stop under keep-alive load"
go build -o "$work/drainload" ./scripts/drainload
page=$(for p in "${paths[@]}"; do case $p in /articles/*) echo "$p"; break ;; esac; done)
# Straight to the container's address, not through docker-proxy, which
# would accept connections for a server that has stopped listening.
if "$work/drainload" -url "http://$cip:8080$page" -conns 16 -before 3s -max 40s -- "$docker" stop -t 20 "$main"; then
  pass "docker stop under load fails no request"
else
  fail "docker stop under load fails no request" "see the drainload lines above"
fi
state=$("$docker" inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}}' "$main")
if [ "$state" = "0 false" ]; then pass "server exits 0 on docker stop"; else fail "server exits 0 on docker stop" "exit code, OOM killed: $state"; fi
"$docker" logs "$main" 2>&1 | grep -E '"msg":"(shutting down|stopped)"' | cut -c1-160 || true
logs=$("$docker" logs "$main" 2>&1 || true)
if grep -q '"level":"ERROR"' <<<"$logs"; then
  fail "no errors in the container's log" "$("$docker" logs "$main" 2>&1 | grep '"level":"ERROR"' | head -3)"
else
  pass "no errors in the container's log"
fi

# ---------------------------------------------------------------------------
phase ""
total=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
echo "container: image $size bytes; phases: $(IFS=';'; echo "${phases[*]}"); total ${total}s"
if [ "$failures" -gt 0 ]; then
  echo "FAIL container: $failures check(s) failed"
  exit 1
fi
echo "PASS container: every check"
