package compress

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCRCCombine(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 64, 1000, 70_000} {
		a, b := make([]byte, r.IntN(5000)), make([]byte, n)
		for i := range a {
			a[i] = byte(r.Uint32())
		}
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		got := crcCombine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), crcShift(int64(len(b))))
		if want := crc32.ChecksumIEEE(append(a, b...)); got != want {
			t.Errorf("combined CRC of %d+%d bytes = %08x, want %08x", len(a), len(b), got, want)
		}
	}
}

// TestStitchedGzipIsOneMember: pieces compressed once and holes compressed
// per request make one gzip member that the standard decoder reads back
// byte for byte, with the right CRC and size in its trailer.
func TestStitchedGzipIsOneMember(t *testing.T) {
	t.Parallel()
	shell := []string{
		"<!doctype html><html><head><title>Partial prerendering</title></head><body><main>" + strings.Repeat("<p>Static text of the article.</p>", 300),
		"</section>" + strings.Repeat("<p>More static text after the first hole.</p>", 200),
		"</footer></body></html>",
	}
	holes := []string{"<section>Rendered for you at 12:00:00.123 UTC</section>", "<footer>" + strings.Repeat("slow data ", 50)}
	pieces := make([]Piece, len(shell))
	for i, s := range shell {
		pieces[i] = NewPiece([]byte(s))
	}
	for _, tt := range []struct {
		name  string
		holes []string
	}{
		{"with holes", holes}, // stored: under storeBelow
		{"with empty holes", []string{"", ""}},
		{"with a large hole", []string{strings.Repeat("<p>A large hole, compressed.</p>", 400), "x"}}, // deflated
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			s := NewStitcher(&out)
			var want strings.Builder
			for i, p := range pieces {
				if err := s.Piece(p); err != nil {
					t.Fatal(err)
				}
				want.WriteString(shell[i])
				if i < len(tt.holes) {
					io.WriteString(s, tt.holes[i][:len(tt.holes[i])/2])
					s.Flush()
					io.WriteString(s, tt.holes[i][len(tt.holes[i])/2:])
					want.WriteString(tt.holes[i])
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(out.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			zr.Multistream(false) // one member, not several in a row
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("decoding the stitched body: %v", err)
			}
			if string(got) != want.String() {
				t.Errorf("decoded %d bytes, want the %d bytes written", len(got), want.Len())
			}
		})
	}
}

// BenchmarkStitch: a 30 KB shell in three pieces and two small holes, the
// per-request cost of a partially prerendered page's gzip body.
func BenchmarkStitch(b *testing.B) {
	shell := strings.Repeat("<p>Static text of the article, with some words.</p>", 200)
	pieces := []Piece{NewPiece([]byte(shell)), NewPiece([]byte(shell)), NewPiece([]byte(shell))}
	hole := []byte("<section>Rendered for you at 12:00:00.123 UTC in 0.2 ms</section>")
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		s := NewStitcher(&out)
		for i, p := range pieces {
			s.Piece(p)
			if i < 2 {
				s.Write(hole)
			}
		}
		s.Close()
	}
}
