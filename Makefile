# Renderwise — common tasks. `make run` and `make test` need only Go.
GO ?= go

.PHONY: run dev test generate rendercode build lint check

run: ## serve the embedded articles on :8080
	@echo "compiling renderwise (a minute or two on a fresh machine, while Go fetches and builds the modules; seconds after that)…"
	$(GO) run ./cmd/renderwise serve

dev: ## serve ./articles from disk, rebuild on change, reload open tabs
	$(GO) run ./cmd/renderwise serve --dev --content articles --static static

test: ## all tests, with the race detector
	$(GO) test -race ./...

generate: ## templ components, the code-highlighting stylesheet and the rendering code's hash
	$(GO) tool templ generate
	$(GO) run ./internal/chromacss static/code.css
	$(GO) run ./internal/rendercode/gen internal/rendercode/source.go

# The hash of the code that renders (internal/rendercode; generate writes it
# too, after templ): an export is reused only by a binary with the same hash,
# so what make builds is never stamped with a stale one.
rendercode: ## the rendering code's hash alone
	$(GO) run ./internal/rendercode/gen internal/rendercode/source.go

build: rendercode ## the binary, in bin/
	CGO_ENABLED=0 $(GO) build -trimpath -tags nodynamic -o bin/renderwise ./cmd/renderwise

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

check: ## validate the embedded articles
	$(GO) run ./cmd/renderwise check

.PHONY: build-site bench-build

# The build time pages show: the last commit's, so that the same commit
# always gives the same export and rebuilds are incremental.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

build-site: rendercode ## static export of the embedded articles into dist/ (incremental when dist/ exists)
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(GO) run ./cmd/renderwise build --out dist

bench-build: ## renderwise build vs Hugo at 1,000 and 10,000 generated articles (installs hugo and time if missing)
	bash scripts/bench-build.sh

.PHONY: bench loadtest soak fuzz

bench: ## Go benchmarks of the hot paths
	$(GO) test -run '^$$' -bench . -benchmem ./...

loadtest: ## wrk against the server and a bare baseline, side by side
	scripts/loadtest.sh

soak: ## several minutes of mixed load; checks errors, memory, goroutines, ISR
	scripts/soak.sh

FUZZTIME ?= 60s
fuzz: ## every fuzz target for FUZZTIME each (CI uses 10s)
	$(GO) test -run '^$$' -fuzz '^FuzzFrontMatter$$' -fuzztime $(FUZZTIME) ./internal/content
	$(GO) test -run '^$$' -fuzz '^FuzzSettings$$' -fuzztime $(FUZZTIME) ./internal/content
	$(GO) test -run '^$$' -fuzz '^FuzzExtractText$$' -fuzztime $(FUZZTIME) ./internal/search
	$(GO) test -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzRequestPath$$' -fuzztime $(FUZZTIME) ./internal/server
	$(GO) test -run '^$$' -fuzz '^FuzzSearch$$' -fuzztime $(FUZZTIME) ./internal/search
	$(GO) test -run '^$$' -fuzz '^FuzzInspect$$' -fuzztime $(FUZZTIME) ./internal/images
	$(GO) test -run '^$$' -fuzz '^FuzzResize$$' -fuzztime $(FUZZTIME) ./internal/images

.PHONY: e2e lighthouse

# The browser checks' tooling (axe-core, html-validate, Lighthouse), pinned in
# .ci/package-lock.json; installed again only when the lockfile changes.
.ci/node_modules/.package-lock.json: .ci/package.json .ci/package-lock.json
	npm ci --prefix .ci --no-audit --no-fund

e2e: .ci/node_modules/.package-lock.json ## browser tests in Chromium: journeys, axe-core, html-validate, screenshots (needs chromium)
	$(GO) test -tags e2e -race -count=1 ./e2e/

lighthouse: build .ci/node_modules/.package-lock.json ## Lighthouse budgets on the built binary, mobile and desktop (needs chromium)
	node .ci/lighthouse.mjs --bin bin/renderwise

.PHONY: bench-scale
bench-scale: ## serving 1,000 and 10,000 articles: readiness, memory, crawl, build
	scripts/bench-scale.sh
