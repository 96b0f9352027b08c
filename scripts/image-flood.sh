#!/usr/bin/env bash
# Image flood: twenty concurrent /_img requests (every width and quality)
# for dense 16-bit PNGs — one just inside the decoding memory limit, one
# inside the pixel limit but over the memory limit — and the server's peak
# resident memory (VmHWM) afterwards. The server process is stopped by its
# PID on exit.
#
#   scripts/image-flood.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/renderwise" ./cmd/renderwise
mkdir -p "$tmp/content"
printf -- '---\ntitle: Flood\ndescription: Large images.\ndate: 2026-12-01\n---\n![inside](inside.png)\n\n![over](over.png)\n' >"$tmp/content/flood.md"
go run ./scripts/imageflood 3900 3900 "$tmp/content/inside.png" # 15.2 MP × 8 B = 122 MB decoded
go run ./scripts/imageflood 6000 6000 "$tmp/content/over.png"   # 36 MP × 8 B = 288 MB decoded
ls -l "$tmp/content"/*.png | awk '{print $5, $9}'

ADDR=127.0.0.1:18193
"$tmp/renderwise" serve --addr "$ADDR" --content "$tmp/content" --quiet-access >"$tmp/server.log" 2>&1 &
pid=$!; pids+=("$pid")
for _ in $(seq 100); do curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "ready: VmHWM $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"

for img in over inside; do
  start=$(date +%s.%N)
  for w in 320 640 960 1280 1920; do
    for q in 50 75 90 50; do
      curl -s -o /dev/null -w "%{http_code}\n" "http://$ADDR/_img/articles/$img.png?w=$w&q=$q" >>"$tmp/$img.codes" &
    done
  done
  wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  end=$(date +%s.%N)
  echo "$img.png: $(sort "$tmp/$img.codes" | uniq -c | tr '\n' ' ')in $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f s", b-a}'); VmHWM $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
done
