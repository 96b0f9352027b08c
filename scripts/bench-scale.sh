#!/usr/bin/env bash
# make bench-scale: Renderwise serving 1,000 and 10,000 generated articles
# (SIZES to change) on this machine: time from start to /readyz 200, cold,
# with --prebuilt and from a warm --cache-dir; resident memory after start
# and after a crawl of every URL in the sitemap; build time and peak memory
# (clean, after one edit, and clean again with the cache folder warm).
# "cold" and "clean" run with --cache-dir none. Loopback only; every
# process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000"}
WORK=${WORK:-$(mktemp -d -t renderwise-bench-scale.XXXXXX)}
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

go build -trimpath -o "$WORK/renderwise" ./cmd/renderwise
RW=$WORK/renderwise
ADDR=127.0.0.1:18280
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
now() { date +%s.%N; }

# ready ARGS...: starts serve, sets $took to the seconds until /readyz is
# 200 and $pid to the server's PID.
ready() {
  local t0
  if curl -fs -o /dev/null "http://$ADDR/healthz" 2>/dev/null; then echo "something already listens on $ADDR" >&2; exit 1; fi
  t0=$(now)
  "$RW" serve --addr "$ADDR" --base-url "http://$ADDR" --log-format json "$@" >"$WORK/serve.log" 2>&1 &
  pid=$!; pids+=("$pid")
  until curl -fs "http://$ADDR/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "serve exited:" >&2; tail -5 "$WORK/serve.log" >&2; exit 1; }
    sleep 0.05
  done
  took=$(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.2f", b-a}')
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

# crawl: every URL of the sitemap(s), 4 at a time; prints the count.
crawl() {
  curl -fs "http://$ADDR/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed -e 's/<[^>]*>//g' >"$WORK/urls"
  if grep -q '/sitemaps/' "$WORK/urls"; then
    for s in $(cat "$WORK/urls"); do curl -fs "$s"; done | grep -o '<loc>[^<]*</loc>' | sed -e 's/<[^>]*>//g' >"$WORK/urls.all"
    mv "$WORK/urls.all" "$WORK/urls"
  fi
  xargs -P4 -n1 curl -fs -o /dev/null -H "Accept-Encoding: gzip, br" <"$WORK/urls"
  wc -l <"$WORK/urls"
}

echo "# $(date -u +%FT%TZ) · $(nproc) cores · $(free -h | awk '/^Mem:/ {print $2}') · $(go version | cut -d' ' -f3)"
# timed LABEL ARGS...: renderwise ARGS under /usr/bin/time; sets $timed to
# "wall, peak".
timed() {
  local label=$1; shift
  SOURCE_DATE_EPOCH=1795780800 /usr/bin/time -v "$RW" "$@" >/dev/null 2>"$WORK/time.$label"
  timed=$(awk -F': ' '/Elapsed/ {w=$2} /Maximum resident/ {m=$2} END {printf "%s, %.0f MB", w, m/1024}' "$WORK/time.$label")
}

printf '| articles | ready (cold) | RSS after start | RSS after crawl (URLs) | ready (--prebuilt) | RSS (--prebuilt) | ready (warm --cache-dir) | RSS (warm --cache-dir) | build clean: wall, peak | build one edit: wall, peak | build clean, warm --cache-dir: wall, peak |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for n in $SIZES; do
  corpus=$WORK/corpus-$n
  [ -d "$corpus" ] || go run ./internal/corpus -n "$n" -out "$corpus" >/dev/null
  cache=$WORK/cache-$n; rm -rf "$cache"
  ready --content "$corpus" --cache-dir none; cold=$took; rss_start=$(rss "$pid")
  urls=$(crawl); rss_crawl=$(rss "$pid"); stop

  out=$WORK/dist-$n; rm -rf "$out"
  timed clean build --content "$corpus" --out "$out" --base-url "http://$ADDR" --cache-dir none; clean=$timed
  first=$(find "$corpus" -name '*.md' | sort | sed -n 1p)
  echo "Edited for the incremental build." >>"$first"
  timed edit build --content "$corpus" --out "$out" --base-url "http://$ADDR" --cache-dir none; edit=$timed

  ready --content "$corpus" --prebuilt "$out"; pre=$took; rss_pre=$(rss "$pid"); stop

  # The cache folder: a cold start writes it once ready (wait for that),
  # the next start is warm; then a clean build writes its export there too,
  # and a clean build after rm -rf takes everything from it.
  ready --content "$corpus" --cache-dir "$cache"
  until grep -q 'cache folder written\|cache folder was not written' "$WORK/serve.log"; do sleep 0.2; done
  stop
  ready --content "$corpus" --cache-dir "$cache"; warm=$took; rss_warm=$(rss "$pid"); stop
  rm -rf "$out"
  timed keep build --content "$corpus" --out "$out" --base-url "http://$ADDR" --cache-dir "$cache"
  rm -rf "$out"
  timed warm build --content "$corpus" --out "$out" --base-url "http://$ADDR" --cache-dir "$cache"; warmbuild=$timed
  printf '| %s | %s s | %s MB | %s MB (%s) | %s s | %s MB | %s s | %s MB | %s | %s | %s |\n' "$n" "$cold" "$rss_start" "$rss_crawl" "$urls" "$pre" "$rss_pre" "$warm" "$rss_warm" "$clean" "$edit" "$warmbuild"
done
