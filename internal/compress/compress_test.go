package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestBodiesRoundTrip(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "x", strings.Repeat("<p>hello, world</p>\n", 500)} {
		gz, br := Bodies([]byte(in))
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || string(got) != in {
			t.Errorf("gzip round trip of %d bytes: got %d bytes, err %v", len(in), len(got), err)
		}
		got, err = io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		if err != nil || string(got) != in {
			t.Errorf("brotli round trip of %d bytes: got %d bytes, err %v", len(in), len(got), err)
		}
		if len(in) > 1000 && (len(gz) >= len(in)/5 || len(br) >= len(gz)) {
			t.Errorf("sizes: body %d, gzip %d, brotli %d; want both much smaller and brotli smallest", len(in), len(gz), len(br))
		}
	}
}
