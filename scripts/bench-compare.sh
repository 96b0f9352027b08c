#!/usr/bin/env bash
# Two revisions of Renderwise side by side on one generated corpus: clean
# build, unchanged rebuild and one edited article (the figures of
# docs/performance.md that a refactor must not worsen), each revision in
# turn, alternating, REPEAT times. For the serving figures run
# scripts/loadtest.sh in a checkout of each revision.
#
#   scripts/bench-compare.sh OLD_REV NEW_REV [ARTICLES] [REPEAT]   (default 10000, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench-compare.sh OLD_REV NEW_REV [ARTICLES] [REPEAT]}
new=${2:?usage: bench-compare.sh OLD_REV NEW_REV [ARTICLES] [REPEAT]}
n=${3:-10000}
repeat=${4:-2}
export RENDERWISE_CACHE_DIR=none # every clean build clean, run after run
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
tmp=$(mktemp -d)
cleanup() {
  for r in old new; do git worktree remove --force "$tmp/src-$r" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

for r in old new; do
  rev=$old; [ $r = new ] && rev=$new
  git worktree add --detach "$tmp/src-$r" "$rev" >/dev/null 2>&1
  (cd "$tmp/src-$r" && go build -trimpath -o "$tmp/$r" ./cmd/renderwise)
done
go run ./internal/corpus -n "$n" -out "$tmp/corpus" >/dev/null
export SOURCE_DATE_EPOCH=1795780800
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
echo "# $(date -u +%FT%TZ) · $n articles · $(nproc) cores · old $old ($(git rev-parse --short "$old")) · new $new ($(git rev-parse --short "$new"))"
printf '%-4s %-3s %10s %10s %10s %12s\n' rev run "clean s" "unchanged s" "one edit s" "clean RSS MB"
for i in $(seq "$repeat"); do
  for r in old new; do
    out="$tmp/out-$r"; rm -rf "$out" "$tmp/.out-$r".*
    cp -r "$tmp/corpus" "$tmp/c-$r"
    /usr/bin/time -v -o "$tmp/t1" "$tmp/$r" build --content "$tmp/c-$r" --out "$out" >/dev/null
    /usr/bin/time -v -o "$tmp/t2" "$tmp/$r" build --content "$tmp/c-$r" --out "$out" >/dev/null
    edited=$(find "$tmp/c-$r" -name '*.md' | sort | sed -n 2p)
    echo "One more sentence, added for the incremental benchmark." >>"$edited"
    /usr/bin/time -v -o "$tmp/t3" "$tmp/$r" build --content "$tmp/c-$r" --out "$out" >/dev/null
    printf '%-4s %-3s %10s %10s %10s %12s\n' "$r" "$i" "$(wall "$tmp/t1")" "$(wall "$tmp/t2")" "$(wall "$tmp/t3")" "$(rss "$tmp/t1")"
    rm -rf "$tmp/c-$r"
  done
done
