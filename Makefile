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
