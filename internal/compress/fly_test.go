package compress

import (
	"compress/gzip"
	"io"
	"os"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// BenchmarkOnTheFly compares the gzip writers a page rendered per request
// (search, the lab) can be compressed with, at their fastest levels, on a
// real page of the site: the standard library's and klauspost/compress's.
func BenchmarkOnTheFly(b *testing.B) {
	page, err := os.ReadFile("testdata/search.html")
	if err != nil {
		b.Fatal(err)
	}
	std, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	fast, _ := kgzip.NewWriterLevel(io.Discard, kgzip.BestSpeed)
	for _, c := range []struct {
		name string
		w    interface {
			io.WriteCloser
			Reset(io.Writer)
		}
	}{{"stdlib", std}, {"klauspost", fast}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				c.w.Reset(io.Discard)
				c.w.Write(page)
				c.w.Close()
			}
		})
	}
}
