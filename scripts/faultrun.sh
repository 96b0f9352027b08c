#!/usr/bin/env bash
# Fault run: mixed load against one server sharing a Redis (--redis), while
# content files are made unreadable, broken, deleted and replaced, and Redis
# is killed and restarted. Checks that nothing served changes for the worse
# (no 5xx, no socket errors, each faulty article keeps its last good page or
# answers 404 once deleted) and that the server recovers by itself (a fixed
# file shows again; ISR regenerates again once Redis is back). The server
# runs as an unprivileged user, so that a file with mode 000 is unreadable
# to it. Every process started here is stopped by its PID on exit.
#
#   scripts/faultrun.sh [seconds]   (default 60; the faults need at least 50)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-60}
[ "$DUR" -ge 50 ] || { echo "faultrun: needs at least 50 seconds, not $DUR"; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }

tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/renderwise" ./cmd/renderwise
cp -r articles "$tmp/content"
rm -f "$tmp/content"/*.go
C=$tmp/content
# Short ISR intervals, so faults are seen by regenerations during the run.
for f in rendering/isr.md; do sed -i 's/^revalidate: .*/revalidate: 2s/' "$C/$f"; done
chown -R 65534:65534 "$C"

REDIS_PORT=16391
start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$tmp/redis.log" 2>&1 &
  redis_pid=$!; pids+=("$redis_pid")
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis did not start"; exit 1
}
start_redis

ADDR=127.0.0.1:18190
setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/renderwise" serve --addr "$ADDR" --content "$C" \
  --base-url "http://$ADDR" --redis "redis://127.0.0.1:$REDIS_PORT/0" --log-format json >"$tmp/server.log" 2>&1 &
pid=$!; pids+=("$pid")
for _ in $(seq 100); do curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://$ADDR/readyz" >/dev/null

cat >"$tmp/mix.lua" <<'LUA'
local paths = {
  "/articles/rendering/ssg", "/articles/node/event-loop", "/articles/rendering/isr",
  "/articles/rendering/isr", "/articles/rendering/ssr", "/", "/tags", "/search?q=render",
  "/api/articles", "/articles/node/streams", "/articles/nextjs/seo",
}
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Accept-Encoding"] = "gzip"})
end
-- Each wrk thread has its own Lua state: count there, add up in done.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
s5, s4 = 0, 0
response = function(status)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1 end
end
done = function(summary)
  local s5, s4 = 0, 0
  for _, t in ipairs(threads) do s5 = s5 + t:get("s5"); s4 = s4 + t:get("s4") end
  io.write(string.format("result %d %d %d %d %d %d\n", summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, s5, s4))
end
LUA

# What a reader sees: status and a phrase of the page.
status() { curl -s -o /dev/null -w '%{http_code}' "http://$ADDR$1"; }
has() { local body; body=$(curl -s "http://$ADDR$1"); [[ $body == *"$2"* ]]; }
generated() { curl -s -D - -o /dev/null "http://$ADDR$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}'; }
fail=0
check() { # check "what should hold" command...
  local what=$1; shift
  if "$@"; then echo "  ok: $what"; else echo "  FAIL: $what ($*)"; fail=1; fi
}
at() { # wait until second $1 of the run
  while [ $(( $(date +%s) - start )) -lt "$1" ]; do sleep 0.2; done
  echo "t=$1s: $2"
}

echo "# fault run $(date -u +%FT%TZ) · ${DUR}s · 64 connections · $(nproc) cores"
start=$(date +%s)
wrk -t2 -c64 -d"${DUR}s" --timeout 5s -s "$tmp/mix.lua" "http://$ADDR" >"$tmp/wrk.out" 2>&1 &
wrkpid=$!; pids+=("$wrkpid")

isr=/articles/rendering/isr
at 3 "the ISR article made unreadable (mode 000)"
cp -p "$C/rendering/isr.md" "$tmp/isr.good"
chmod 000 "$C/rendering/isr.md"
touch "$C/rendering/isr.md" # a new mtime, so the next regeneration reads it
sleep 5
check "the ISR article still answers 200" test "$(status $isr)" = 200
check "it is the last good page" has $isr "Incremental"

at 10 "the ISR article readable again, then replaced by a broken file"
chmod 644 "$C/rendering/isr.md"
printf -- '---\ntitle: [broken\n---\n' >"$C/rendering/isr.md"
sleep 5
check "a broken ISR article keeps its last good page" test "$(status $isr)" = 200
check "with its text" has $isr "Incremental"

at 17 "the ISR article replaced atomically by a good new version"
sed 's/^title: .*/title: Incremental Static Regeneration, replaced/' "$tmp/isr.good" >"$C/rendering/.isr.new"
chown 65534:65534 "$C/rendering/.isr.new"
mv "$C/rendering/.isr.new" "$C/rendering/isr.md"
sleep 5
check "the replacement shows without a restart" has $isr "replaced"

at 24 "Redis killed (SIGKILL)"
kill -9 "$redis_pid"
before=$(generated $isr)
sleep 6
check "with Redis gone the ISR article still answers 200" test "$(status $isr)" = 200
check "and the home page too" test "$(status /)" = 200

at 32 "Redis restarted (empty: it kept nothing)"
start_redis
sleep 8
after=$(generated $isr)
check "ISR regenerates again (ETag $before → $after)" test "$before" != "$after"

at 42 "an SSG article deleted; the ISR article deleted"
rm "$C/node/streams.md"
rm "$C/rendering/isr.md"
sleep 5
check "a deleted ISR article is 404 after its next regeneration" test "$(status $isr)" = 404
check "a deleted SSG article is served until a rebuild (DESIGN.md §4)" test "$(status /articles/node/streams)" = 200

wait "$wrkpid" || true
grep -E 'Requests/sec|requests in|Latency' "$tmp/wrk.out" || true
read -r _ c r w to s5 s4 < <(grep '^result' "$tmp/wrk.out")
echo "socket errors: connect $c read $r write $w timeout $to; 5xx: $s5; 4xx: $s4 (the deleted ISR article)"
[ "$c$r$w$to$s5" = "00000" ] || { echo "FAIL: errors or 5xx during the fault run"; fail=1; }
kill -0 "$pid" 2>/dev/null && curl -fs "http://$ADDR/readyz" >/dev/null || { echo "FAIL: the server is not ready after the run"; fail=1; }
echo "log lines by level: $(grep -o '"level":"[A-Z]*"' "$tmp/server.log" | sort | uniq -c | tr '\n' ' ')"
{ grep -E '"level":"(ERROR|WARN)"' "$tmp/server.log" || true; } | sed -e 's/.*"msg":"\([^"]*\)".*"err":"\([^"]*\)".*/\1: \2/' | sort | uniq -c | sort -rn | head -8
cp "$tmp/server.log" /tmp/faultrun-server.log
[ $fail = 0 ] && echo "PASS" || echo "FAIL"
exit $fail
