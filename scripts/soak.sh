#!/usr/bin/env bash
# Soak test: several minutes of mixed load (SSG, ISR with a short interval
# and edits during the run, SSR, search, JSON, images) with 256 connections
# against a server on 127.0.0.1, then checks: no errors and no non-2xx/3xx
# answers, memory flat after warm-up, goroutines back to their baseline, and
# ISR regenerated once per interval. Every process started here is stopped
# by its PID on exit.
#
#   scripts/soak.sh [seconds]   (default 180)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-180}
INTERVAL=5
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/renderwise" ./cmd/renderwise
cp -r articles "$tmp/content"
rm -f "$tmp/content"/*.go
sed -i "s/^revalidate: .*/revalidate: ${INTERVAL}s/" "$tmp/content/rendering/isr.md"

ADDR=127.0.0.1:18180
"$tmp/renderwise" serve --addr "$ADDR" --content "$tmp/content" --base-url "http://$ADDR" --log-format json >"$tmp/server.log" 2>&1 &
pid=$!; pids+=("$pid")
for _ in $(seq 100); do curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://$ADDR/readyz" >/dev/null

metric() { curl -fs "http://$ADDR/metrics" | awk -v m="$1" '$1==m {print $2}'; }
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }

cat >"$tmp/mix.lua" <<'LUA'
local paths = {
  "/articles/rendering/ssg", "/articles/node/event-loop", "/articles/node-vs-nextjs",
  "/articles/rendering/isr", "/articles/rendering/isr", "/", "/tags",
  "/articles/rendering/ssr", "/search?q=render", "/search?q=event%20loop",
  "/api/articles", "/api/search?q=stream", "/static/missing.css", "/og/articles/rendering/isr.png",
}
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Accept-Encoding"] = "gzip, br"})
end
-- Each wrk thread has its own Lua state: count there, add up in done
-- (a table filled in response() would be empty in done's state).
local threads = {}
setup = function(thread) table.insert(threads, thread) end
bad = 0
response = function(status) if status >= 400 and status ~= 404 then bad = bad + 1 end end
done = function(summary)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("bad") end
  io.write(string.format("errors %d %d %d %d bad %d\n", summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, bad))
end
LUA

goroutines_before=$(metric go_goroutines)
isr_before=$(metric 'renderwise_regenerations_total{result="ok"}'); isr_before=${isr_before:-0}
echo "# soak $(date -u +%FT%TZ) · ${DUR}s · 256 connections · $(nproc) cores · ISR interval ${INTERVAL}s"
echo "baseline: goroutines $goroutines_before, rss $(rss) MB"

wrk -t2 -c256 -d"${DUR}s" --timeout 5s -s "$tmp/mix.lua" "http://$ADDR" >"$tmp/wrk.out" 2>&1 &
wrkpid=$!; pids+=("$wrkpid")

# Edit the ISR article during the run, and sample memory.
printf '%6s %10s %10s %10s\n' "t(s)" "heap MB" "rss MB" "goroutines"
samples=()
for ((t = 10; t <= DUR; t += 10)); do
  sleep 10
  echo "Edited at ${t}s." >>"$tmp/content/rendering/isr.md"
  heap=$(metric go_memstats_heap_alloc_bytes | awk '{printf "%.1f", $1/1048576}')
  printf '%6s %10s %10s %10s\n' "$t" "$heap" "$(rss)" "$(metric go_goroutines)"
  samples+=("$heap")
done
wait "$wrkpid" || true
cat "$tmp/wrk.out" | grep -E 'Requests/sec|Latency|requests in|errors|Non-2xx' || true

sleep 2
goroutines_after=$(metric go_goroutines)
isr_after=$(metric 'renderwise_regenerations_total{result="ok"}')
fail=0
read -r _ c r w to _ bad < <(grep '^errors' "$tmp/wrk.out")
echo "socket errors: connect $c read $r write $w timeout $to; 5xx/4xx other than 404: $bad"
[ "$c$r$w$to$bad" = "00000" ] || { echo "FAIL: errors during the soak"; fail=1; }
# Memory flat: the highest heap sample of the last third of the run may not
# exceed the highest of the first third (after a 20 s warm-up) by more than
# 25%. Single samples swing with the garbage collector; the last sample,
# taken as the load stops, is left out.
n=${#samples[@]}; third=$(( (n - 1) / 3 ))
early=$(printf '%s\n' "${samples[@]:2:$third}" | sort -n | tail -1)
late=$(printf '%s\n' "${samples[@]:$(( n - 1 - third )):$third}" | sort -n | tail -1)
awk -v w="$early" -v l="$late" 'BEGIN { exit !(l <= w * 1.25 + 2) }' && echo "heap: at most ${early} MB early in the run, at most ${late} MB late: flat" || { echo "FAIL: heap grew from ${early} MB to ${late} MB"; fail=1; }
echo "goroutines: $goroutines_before before, $goroutines_after after"
[ "$goroutines_after" -le $((goroutines_before + 5)) ] || { echo "FAIL: goroutines did not return to baseline"; fail=1; }
regens=$(awk -v a="$isr_after" -v b="$isr_before" 'BEGIN {print a-b}')
# The ISR article every INTERVAL, /, /tags, /feed-less mix every 60 s.
expected=$(awk -v d="$DUR" -v i="$INTERVAL" 'BEGIN {printf "%d", d/i + 2*d/60}')
echo "ISR regenerations: $regens, expected about $expected (one per interval per requested ISR page)"
awk -v n="$regens" -v e="$expected" 'BEGIN { exit !(n >= e-4 && n <= e+4) }' || { echo "FAIL: regenerations off by more than 4"; fail=1; }
echo "error log lines: $(grep -c '"level":"ERROR"' "$tmp/server.log" || true)"
{ grep '"level":"ERROR"' "$tmp/server.log" || true; } | sed -e 's/.*"msg":"\([^"]*\)".*"err":"\([^"]*\)".*/\1: \2/' | sort | uniq -c | sort -rn | head -5
exit $fail
