// Package compress produces the gzip and brotli forms of a body once, so the
// server never compresses per request. Levels favour size: bodies are
// compressed once and served many times.
//
// Brotli's window is sized to the body. Measured on a 33 KB article page
// (docs/performance.md): quality 9 with the default 4 MB window took 10 ms
// and allocated 34 MB per page; with a 64 KB window, 2.6 ms and 1.9 MB for
// the same 8.6 KB output. Quality 11 saves another 10% but costs 76 ms.
package compress

import (
	"bytes"
	"compress/gzip"
	"strings"

	"github.com/andybalholm/brotli"
)

// Levels used for every precompressed body. Measured on a 33 KB article
// page: gzip 9 instead of 6 saves 0.3% for twice the time, brotli 9 instead
// of 6 saves 0.6% for a third more; a static build compresses every page
// twice, so the faster levels win.
const (
	GzipLevel   = gzip.DefaultCompression
	BrotliLevel = 6
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
	bw := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: BrotliLevel, LGWin: window(len(body))})
	bw.Write(body)
	bw.Close()
	// Exact copies: the buffers' spare room would stay allocated for as
	// long as a server keeps the page (a third of its compressed size).
	return bytes.Clone(g.Bytes()), bytes.Clone(b.Bytes())
}

// window is the brotli window (log2 of its size) for a body of n bytes:
// just large enough to hold it, between brotli's limits 16 and 24.
func window(n int) int {
	w := 16
	for w < 24 && 1<<w < n {
		w++
	}
	return w
}

// Worth reports whether a body of the given media type is worth
// compressing: text, scripts, JSON and SVG. Images, audio, video and
// archives are compressed already. Assets and files exported beside the
// articles follow this one rule.
func Worth(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "javascript") ||
		strings.Contains(contentType, "json") || strings.Contains(contentType, "svg") || strings.Contains(contentType, "xml")
}
