#!/usr/bin/env bash
# Assembles a Renderwise content folder from the READMEs of the npm packages
# CI installs (.ci/node_modules, pinned by .ci/package-lock.json) and checks
# it: real Markdown nobody here wrote — raw HTML, badges, tables, odd
# headings. See docs/corpus.md.
#
#   scripts/corpus-readmes.sh [OUT]     # OUT: an empty folder outside the repository; default a temp dir
#   CHECK=0 scripts/corpus-readmes.sh   # assemble only
#
# Exits with check's status, so a corpus with problems exits 1; that is the
# point of the exercise, not a failure of the script.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d .ci/node_modules ]; then
	npm ci --prefix .ci --no-audit --no-fund
fi
out=$(go run scripts/corpus-readmes.go -modules .ci/node_modules "${1:-}")
echo "corpus: $out" >&2
if [ "${CHECK:-1}" != 0 ]; then
	go run ./cmd/renderwise check --content "$out"
fi
