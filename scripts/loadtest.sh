#!/usr/bin/env bash
# Load test: Renderwise and a bare baseline server side by side, in one run,
# on this machine. The server is pinned to core 0 and wrk to core 1; 64
# connections; a warm-up, then 3 runs of 10 s per URL. Loopback only; every
# process started here is stopped by its PID on exit.
#
#   scripts/loadtest.sh [duration-seconds]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
CONNS=64
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v taskset >/dev/null || { echo "taskset (util-linux) is required" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/renderwise" ./cmd/renderwise
go build -o "$tmp/baseline" ./bench/baseline

RW=127.0.0.1:18080
BASE=127.0.0.1:18090
taskset -c 0 "$tmp/renderwise" serve --addr "$RW" --base-url "http://$RW" >"$tmp/rw.log" 2>&1 &
rwpid=$!; pids+=("$rwpid")
for _ in $(seq 100); do curl -fs "http://$RW/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://$RW/readyz" >/dev/null

QUIET=127.0.0.1:18081
taskset -c 0 "$tmp/renderwise" serve --addr "$QUIET" --base-url "http://$QUIET" --quiet-access >"$tmp/quiet.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do curl -fs "http://$QUIET/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

SSG=/articles/rendering/ssg
taskset -c 0 "$tmp/baseline" -addr "$BASE" -from "http://$RW$SSG" >"$tmp/base.log" 2>&1 &
pids+=("$!")
for _ in $(seq 50); do curl -fs "http://$BASE/" >/dev/null 2>&1 && break; sleep 0.1; done
# The same bytes with every header of the page too (DESIGN.md §6's baseline).
BASEH=127.0.0.1:18091
taskset -c 0 "$tmp/baseline" -addr "$BASEH" -headers -from "http://$RW$SSG" >"$tmp/baseh.log" 2>&1 &
pids+=("$!")
for _ in $(seq 50); do curl -fs "http://$BASEH/" >/dev/null 2>&1 && break; sleep 0.1; done

rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# run LABEL URL: warm-up, then 3 runs; prints the median run.
run() {
  local label=$1 url=$2 out reqs=() lines=()
  taskset -c 1 wrk -t1 -c"$CONNS" -d2s -H 'Accept-Encoding: gzip' "$url" >/dev/null
  for i in 1 2 3; do
    out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"${DUR}s" --latency -H 'Accept-Encoding: gzip' "$url")
    if grep -q 'Non-2xx' <<<"$out"; then echo "non-2xx answers for $url" >&2; grep 'Non-2xx' <<<"$out" >&2; exit 1; fi
    lines+=("$(awk '
      /Requests\/sec/ {rps=$2}
      $1=="50%" {p50=$2} $1=="99%" {p99=$2}
      END {printf "%.0f %s %s", rps, p50, p99}' <<<"$out")")
  done
  printf '%s\n' "${lines[@]}" | sort -n | sed -n 2p | {
    read -r r p50 p99
    printf '%-22s %10s %10s %10s %8s MB' "$label" "$r" "$p50" "$p99" "$(rss "$rwpid")"
    if [ -n "${BASELINE_RPS:-}" ]; then awk -v r="$r" -v b="$BASELINE_RPS" 'BEGIN {printf " %7.2f×", r/b}'; fi
    if [ -n "${HEADERS_RPS:-}" ]; then awk -v r="$r" -v b="$HEADERS_RPS" 'BEGIN {printf " %8.2f×", r/b}'; fi
    echo
    echo "$r" >"$tmp/last_rps"
  }
}

echo "# $(date -u +%FT%TZ) · $(nproc) cores · $(go version | cut -d' ' -f3) · wrk -t1 -c$CONNS -d${DUR}s, median of 3, gzip"
printf '%-22s %10s %10s %10s %11s %8s %8s\n' "target" "req/s" "p50" "p99" "server RSS" "vs base" "vs base+h"
run "baseline (bare Go)" "http://$BASE/"
BASELINE_RPS=$(cat "$tmp/last_rps")
export BASELINE_RPS
run "baseline, same headers" "http://$BASEH/"
HEADERS_RPS=$(cat "$tmp/last_rps")
export HEADERS_RPS
run "SSG article" "http://$RW$SSG"
SSG_RPS=$(cat "$tmp/last_rps")
run "PPR article" "http://$RW/articles/rendering/ppr"
awk -v r="$(cat "$tmp/last_rps")" -v s="$SSG_RPS" 'BEGIN {printf "%-22s %10.2f× the SSG article (DESIGN.md §6: at least 0.5×)\n", "  PPR vs SSG", r/s}'
run "ISR article (hit)" "http://$RW/articles/rendering/isr"
run "SSG, --quiet-access" "http://$QUIET$SSG"
run "ISR hit, --quiet-access" "http://$QUIET/articles/rendering/isr"
run "home (ISR)" "http://$RW/"
run "SSR article" "http://$RW/articles/rendering/ssr"
run "search" "http://$RW/search?q=render"
run "/api/articles" "http://$RW/api/articles"
IMG="/_img/articles/nextjs/preview-card.png?w=640"
curl -fs -o /dev/null "http://$RW$IMG"
run "/_img (cached)" "http://$RW$IMG"
