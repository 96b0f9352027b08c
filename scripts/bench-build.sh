#!/usr/bin/env bash
# make bench-build: `renderwise build` beside Hugo on the same generated
# Markdown, at 1,000 and 10,000 articles (SIZES to change), on this machine.
#
# For each size it generates a corpus (go run ./internal/corpus, fixed seed),
# then times with /usr/bin/time -v (wall clock, CPU, peak resident memory):
#
#   renderwise  clean          into an empty folder
#   renderwise  unchanged      the same inputs again (everything reused)
#   renderwise  one edit       one article's body changed (incremental)
#   renderwise  new time       another SOURCE_DATE_EPOCH (every HTML page)
#   hugo        clean          bench/hugo: TOC, highlighting, tags, sitemap, RSS
#   hugo        one edit       Hugo has no incremental CLI build: a full one
#
# Hugo ignores the front-matter keys it does not know (render, revalidate,
# series, order, updated), so it reads the same files unchanged. Installs
# hugo and time from Debian if missing. Prints a Markdown table for
# docs/performance.md. WORK=DIR keeps the corpora and outputs there.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000"}
WORK=${WORK:-$(mktemp -d -t renderwise-bench-build.XXXXXX)}
mkdir -p "$WORK"
EPOCH=1795780800 # 2026-11-27 12:00:00 UTC
# No cache folder (on by default for --content): "clean" must stay clean,
# run after run. bench-scale.sh measures builds with a warm one.
export RENDERWISE_CACHE_DIR=none

need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ] || {
    echo "installing $2 (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  }
}
need hugo hugo
[ -x /usr/bin/time ] || need time time

echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory; $(go version | cut -d' ' -f3-); $(hugo version | cut -d' ' -f1-2)" >&2
go build -trimpath -o "$WORK/renderwise" ./cmd/renderwise

ROWS=()
RATIOS=()
# measure TOOL N SCENARIO PAGES_FROM COMMAND...: runs COMMAND under
# /usr/bin/time -v and records wall seconds, CPU seconds and peak RSS.
measure() {
  local tool=$1 n=$2 scenario=$3; shift 3
  local log="$WORK/time-$tool-$n-${scenario// /-}.txt"
  /usr/bin/time -v -o "$log" "$@" >"$log.out" 2>&1 || { cat "$log.out" "$log" >&2; exit 1; }
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  LAST_WALL=$wall
  ROWS+=("| $tool | $n | $scenario | $wall | $cpu | $rss |")
  printf '%-10s %6s  %-10s  %7ss wall  %7ss cpu  %6s MB peak\n' "$tool" "$n" "$scenario" "$wall" "$cpu" "$rss" >&2
}

for n in $SIZES; do
  corpus="$WORK/corpus-$n"
  rm -rf "$corpus"
  go run ./internal/corpus -n "$n" -out "$corpus"

  out="$WORK/rw-$n"
  rm -rf "$out"
  export SOURCE_DATE_EPOCH=$EPOCH
  measure renderwise "$n" clean "$WORK/renderwise" build --content "$corpus" --out "$out"
  rw_clean=$LAST_WALL
  pages=$(grep -o '[0-9]* pages (' "$WORK/time-renderwise-$n-clean.txt.out" | grep -o '^[0-9]*')
  echo "  renderwise: $pages pages, $(awk "BEGIN {printf \"%.0f\", $pages/$LAST_WALL}") pages/s clean" >&2
  measure renderwise "$n" unchanged "$WORK/renderwise" build --content "$corpus" --out "$out"
  edited=$(find "$corpus" -name '*.md' | sort | sed -n 2p)
  echo "One more sentence, added for the incremental benchmark." >>"$edited"
  measure renderwise "$n" "one edit" "$WORK/renderwise" build --content "$corpus" --out "$out"
  grep -h 'rendered,' "$WORK/time-renderwise-$n-one-edit.txt.out" >&2
  export SOURCE_DATE_EPOCH=$((EPOCH + 3600))
  measure renderwise "$n" "new time" "$WORK/renderwise" build --content "$corpus" --out "$out"

  # Clean builds (--out deleted) with the cache folder warm, like Hugo's
  # resources cache: at the build time the folder was made with, and at a
  # new one (every HTML page shows its build time, so each is rendered).
  cache="$WORK/cache-$n"
  rm -rf "$cache" "$out.c"
  export SOURCE_DATE_EPOCH=$EPOCH
  RENDERWISE_CACHE_DIR=$cache "$WORK/renderwise" build --content "$corpus" --out "$out.c" >/dev/null 2>&1
  rm -rf "$out.c"
  RENDERWISE_CACHE_DIR=$cache measure renderwise "$n" "clean, cache warm" "$WORK/renderwise" build --content "$corpus" --out "$out.c"
  rw_warm=$LAST_WALL
  rm -rf "$out.c"
  export SOURCE_DATE_EPOCH=$((EPOCH + 7200))
  RENDERWISE_CACHE_DIR=$cache measure renderwise "$n" "clean, cache warm, new time" "$WORK/renderwise" build --content "$corpus" --out "$out.c"
  rw_warm_new=$LAST_WALL
  rm -rf "$out.c" "$cache"
  unset SOURCE_DATE_EPOCH

  site="$WORK/hugo-$n"
  rm -rf "$site"
  mkdir -p "$site/content"
  cp -r bench/hugo/. "$site/"
  cp -r "$corpus" "$site/content/articles"
  export HUGO_CACHEDIR="$WORK/hugo-cache"
  measure hugo "$n" clean hugo --quiet --source "$site" --destination "$site/public"
  RATIOS+=("$n articles, clean build against Hugo's (DESIGN.md §6: at most 0.5×): no cache folder $(awk -v a="$rw_clean" -v b="$LAST_WALL" 'BEGIN {printf "%.2f", a/b}')×; cache folder warm $(awk -v a="$rw_warm" -v b="$LAST_WALL" 'BEGIN {printf "%.2f", a/b}')×; cache folder warm, new build time $(awk -v a="$rw_warm_new" -v b="$LAST_WALL" 'BEGIN {printf "%.2f", a/b}')×")
  hpages=$(find "$site/public" -name '*.html' | wc -l)
  echo "  hugo: $hpages HTML files, $(awk "BEGIN {printf \"%.0f\", $hpages/$LAST_WALL}") pages/s clean" >&2
  echo "One more sentence, added for the incremental benchmark." >>"$site/content/articles/${edited#"$corpus"/}"
  measure hugo "$n" "one edit" hugo --quiet --source "$site" --destination "$site/public"
done

echo
echo "| tool | articles | build | wall s | CPU s | peak RSS MB |"
echo "|---|---:|---|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${RATIOS[@]}"
echo
echo "(outputs and /usr/bin/time logs in $WORK)"
