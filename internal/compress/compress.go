// Package compress produces the gzip and brotli forms of a body once, so the
// server never compresses per request. Levels favour size: bodies are
// compressed once and served many times.
package compress

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// Levels used for every precompressed body.
const (
	GzipLevel   = gzip.BestCompression
	BrotliLevel = 9
)

// Bodies returns body compressed with gzip and with brotli.
func Bodies(body []byte) (gz, br []byte) {
	var g bytes.Buffer
	g.Grow(len(body) / 3)
	zw, _ := gzip.NewWriterLevel(&g, GzipLevel) // the level is valid
	zw.Write(body)
	zw.Close()

	var b bytes.Buffer
	b.Grow(len(body) / 3)
	bw := brotli.NewWriterLevel(&b, BrotliLevel)
	bw.Write(body)
	bw.Close()
	return g.Bytes(), b.Bytes()
}
