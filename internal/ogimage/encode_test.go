package ogimage

import (
	"bytes"
	"compress/flate"
	"fmt"
	"hash/adler32"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestAppendPNGDecodesToTheSamePixels(t *testing.T) {
	t.Parallel()
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	card := func(c Card) func(*image.Paletted) {
		return func(img *image.Paletted) { paint(img, fs, c) }
	}
	pixels := func(at func(x, y int) uint8) func(*image.Paletted) {
		return func(img *image.Paletted) {
			for y := range Height {
				for x := range Width {
					img.SetColorIndex(x, y, at(x, y))
				}
			}
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name string
		draw func(*image.Paletted)
	}{
		{"a blank card", card(Card{})},
		{"a typical card", card(sample)},
		{"a 200-character title", card(Card{Site: "Renderwise", Title: longTitle, Kicker: "k", Tags: []string{"a", "b"}})},
		{"every palette index in turn", pixels(func(x, y int) uint8 { return uint8((x + y) % len(palette)) })},
		{"columns that repeat the row above", pixels(func(x, y int) uint8 { return uint8(x / 7 % 5) })},
		{"runs longer than a match", pixels(func(x, y int) uint8 { return uint8(y % 3) })},
		{"noise", pixels(func(x, y int) uint8 { return uint8(rnd.IntN(len(palette))) })},
	}
	for _, tt := range tests {
		cv := newCanvas()
		tt.draw(cv.img)
		out, _ := appendPNG(nil, cv.rows, nil)
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: decode: %v", tt.name, err)
		}
		got, ok := img.(*image.Paletted)
		if !ok {
			t.Fatalf("%s: decoded a %T, want *image.Paletted", tt.name, img)
		}
		if !slices.Equal(got.Palette, cv.img.Palette) {
			t.Errorf("%s: palette has %d colours, want the %d of palette", tt.name, len(got.Palette), len(palette))
		}
		if got.Bounds() != cv.img.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", tt.name, got.Bounds(), cv.img.Bounds())
		}
		for y := range Height {
			g, w := got.Pix[got.PixOffset(0, y):][:Width], cv.img.Pix[cv.img.PixOffset(0, y):][:Width]
			if !bytes.Equal(g, w) {
				x := 0
				for g[x] == w[x] {
					x++
				}
				t.Fatalf("%s: pixel (%d, %d) is index %d, want %d", tt.name, x, y, g[x], w[x])
			}
		}
	}
}

func TestAppendDeflateRoundTrips(t *testing.T) {
	t.Parallel()
	// Bytes 0, gap+1 and 255 in turn, never twice in a row: literals only,
	// whose code lengths have runs of gap and 253-gap unused symbols, so
	// the header codes every length of run.
	var tests [][]byte
	for gap := range 254 {
		tests = append(tests, bytes.Repeat([]byte{0, byte(gap + 1), 255}, 50))
	}
	row := make([]byte, rowLen)
	for i := range row {
		row[i] = byte(i % 200)
	}
	tests = append(tests,
		nil,
		[]byte("a"),
		bytes.Repeat([]byte{9}, 1000), // one literal, then runs
		bytes.Repeat(row, 3),          // literals, then matches of the row above
	)
	for _, data := range tests {
		z := appendDeflate(nil, tokenize(nil, data))
		got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("deflate of %d bytes starting %q: decoded %d bytes, %v; want the input back", len(data), data[:min(len(data), 3)], len(got), err)
		}
	}
}

func TestAdler32SumMatchesHashAdler32(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name string
		data []byte
	}{
		{"nothing", nil},
		{"one byte", []byte{7}},
		{"seven bytes", []byte("abcdefg")},
		{"a zero word then a tail", []byte("\x00\x00\x00\x00\x00\x00\x00\x00xyz")},
		{"all 0xff, the largest sums", bytes.Repeat([]byte{0xff}, 100_000)},
		{"a blank canvas", make([]byte, rowLen*Height)},
	}
	for _, density := range []int{1, 10, 100} {
		data := make([]byte, rowLen*Height)
		for i := range data {
			if rnd.IntN(density) == 0 {
				data[i] = byte(rnd.IntN(256))
			}
		}
		tests = append(tests, struct {
			name string
			data []byte
		}{fmt.Sprintf("a canvas with one byte in %d random", density), data})
	}
	for _, tt := range tests {
		if got, want := adler32Sum(tt.data), adler32.Checksum(tt.data); got != want {
			t.Errorf("adler32Sum(%s) = %#x, want %#x", tt.name, got, want)
		}
	}
}

func TestHuffmanLengthsAreCompleteAndLimited(t *testing.T) {
	t.Parallel()
	fib := make([]int, 30)
	fib[0], fib[1] = 1, 1
	for i := 2; i < len(fib); i++ {
		fib[i] = fib[i-1] + fib[i-2]
	}
	tests := []struct {
		name    string
		freq    []int
		maxBits int
	}{
		{"two symbols", []int{5, 0, 3}, 15},
		{"one symbol gets a partner", []int{0, 0, 9}, 15},
		{"no symbols gets two", make([]int, 5), 7},
		{"equal counts", slices.Repeat([]int{1}, numLitLen), 15},
		{"Fibonacci counts, 29 deep unlimited", fib, 15},
		{"Fibonacci counts in the code-length alphabet", fib[:numCodeLens], maxCLenBits},
	}
	for _, tt := range tests {
		lengths := make([]uint8, len(tt.freq))
		huffmanLengths(lengths, tt.freq, tt.maxBits)
		// A complete prefix code fills the code space exactly (Kraft).
		sum, used := 0, 0
		for s, l := range lengths {
			if int(l) > tt.maxBits {
				t.Errorf("%s: symbol %d has a %d-bit code, want at most %d", tt.name, s, l, tt.maxBits)
				continue
			}
			if tt.freq[s] > 0 && l == 0 {
				t.Errorf("%s: symbol %d is used but has no code", tt.name, s)
			}
			if l > 0 {
				sum += 1 << (tt.maxBits - int(l))
				used++
			}
		}
		if sum != 1<<tt.maxBits || used < 2 {
			t.Errorf("%s: lengths %v are not a complete code of two or more symbols", tt.name, lengths)
		}
	}
}
