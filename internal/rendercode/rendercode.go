// Package rendercode says which rendering code a binary holds: the code that
// decides what an export holds, as opposed to the server and CLI around it.
// An export, and the parse cache kept in it, is reused only by a binary with
// the same [Version]; a binary that differs elsewhere, or was only built
// another way (`go run`, `go build`, `make build` with -trimpath), keeps it.
//
// The hash is generated from the source (source.go, written by
// `make generate`; see internal/rendercode/gen for what it covers), so an
// edit to rendering code must be followed by `make generate` before it
// reaches an export built with `go run`; CI fails when source.go is stale,
// and `make build` and `make build-site` regenerate it first.
package rendercode

import "runtime"

// Version identifies the rendering code: the hash of its source and of the
// versions of the modules it uses, and the Go version this binary was built
// with, since the standard library (PNG, gzip, HTML escaping) renders too.
func Version() string { return source + " " + runtime.Version() }
