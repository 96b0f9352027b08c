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

func TestWindow(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]int{0: 16, 1000: 16, 65536: 16, 65537: 17, 1 << 20: 20, 1 << 30: 24} {
		if got := window(n); got != want {
			t.Errorf("window(%d) = %d, want %d", n, got, want)
		}
	}
}

func BenchmarkBodies(b *testing.B) {
	body := []byte(strings.Repeat("<p class=\"prose\">Server-side rendering renders a page on every request.</p>\n", 400))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Bodies(body)
	}
}
