# Renderwise — common tasks. `make run` and `make test` need only Go.
GO ?= go

.PHONY: run dev test generate build lint check

run: ## serve the embedded articles on :8080
	$(GO) run ./cmd/renderwise serve

dev: ## serve ./articles from disk, rebuild on change, reload open tabs
	$(GO) run ./cmd/renderwise serve --dev --content articles --static static

test: ## all tests, with the race detector
	$(GO) test -race ./...

generate: ## templ components and the code-highlighting stylesheet
	$(GO) tool templ generate
	$(GO) run ./internal/chromacss static/code.css

build: ## the binary, in bin/
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/renderwise ./cmd/renderwise

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

check: ## validate the embedded articles
	$(GO) run ./cmd/renderwise check

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
	$(GO) test -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzRequestPath$$' -fuzztime $(FUZZTIME) ./internal/server
	$(GO) test -run '^$$' -fuzz '^FuzzSearch$$' -fuzztime $(FUZZTIME) ./internal/search
