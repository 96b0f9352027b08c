package ogimage

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"
)

// sample is a typical card.
var sample = Card{
	Site:   "Renderwise",
	Title:  "Incremental Static Regeneration: stale pages, fresh data",
	Kicker: "The course · part 3",
	Tags:   []string{"rendering", "nextjs", "isr"},
}

// longTitle is 200 characters of words, and longWord 200 characters with no
// space to break at.
var (
	longTitle = strings.Repeat("Rendering modes explained ", 8)[:200]
	longWord  = strings.Repeat("W", 200)
)

func render(t testing.TB, c Card) []byte {
	t.Helper()
	b, err := Render(c)
	if err != nil {
		t.Fatalf("Render(%+v) error: %v", c, err)
	}
	return b
}

func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return img
}

func TestRenderIsA1200By630PNG(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		card Card
	}{
		{"a typical card", sample},
		{"an empty card", Card{}},
		{"a card with only a title", Card{Title: "Hello"}},
		{"a card with odd text", Card{Site: "a\tb", Title: "Line one\nline two\x00 — “quotes” & <tags>", Kicker: "\n", Tags: []string{"", "#go", "two words"}}},
		{"a card in another script", Card{Title: "日本語のタイトル", Tags: []string{"日本"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := render(t, tt.card)
			if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
				t.Fatalf("Render(%+v) does not start with the PNG signature", tt.card)
			}
			got := decode(t, b).Bounds()
			if want := image.Rect(0, 0, 1200, 630); got != want {
				t.Errorf("Render(%+v) bounds = %v, want %v", tt.card, got, want)
			}
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	t.Parallel()
	first := render(t, sample)
	// Render from several goroutines at once too: faces are per call.
	var wg sync.WaitGroup
	results := make([][]byte, 8)
	for i := range results {
		wg.Go(func() { results[i], _ = Render(sample) })
	}
	wg.Wait()
	for i, b := range results {
		if !bytes.Equal(b, first) {
			t.Errorf("render %d of the same card gave different bytes (%d, want %d)", i+2, len(b), len(first))
		}
	}
}

func TestRenderDiffersWithTheTitle(t *testing.T) {
	t.Parallel()
	other := sample
	other.Title = "Server-Side Rendering"
	if bytes.Equal(render(t, sample), render(t, other)) {
		t.Errorf("Render(%q) and Render(%q) gave the same bytes", sample.Title, other.Title)
	}
}

func TestRenderKeepsTextInsideTheMargins(t *testing.T) {
	t.Parallel()
	const edge = 40
	long := func(s string) Card {
		return Card{
			Site:   strings.Repeat("Renderwise ", 20),
			Title:  s,
			Kicker: strings.Repeat("The course · part 3 ", 10),
			Tags:   []string{"rendering", "nextjs", "isr", "ssg", "ssr", "performance", "caching", "javascript", "react", strings.Repeat("x", 90)},
		}
	}
	tests := []struct {
		name string
		card Card
	}{
		{"a 200-character title of words", long(longTitle)},
		{"a 200-character title without spaces", long(longWord)},
		{"a 600-character title", long(strings.Repeat(longTitle, 3))},
		{"a single tag wider than a line", Card{Title: longTitle, Tags: []string{strings.Repeat("m", 200)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img := decode(t, render(t, tt.card))
			bg := color.RGBAModel.Convert(background)
			leaks := 0
			for y := range Height {
				if y >= Height-stripeHeight {
					break // the accent stripe is allowed to touch the edge
				}
				for x := range Width {
					if x >= edge && x < Width-edge && y >= edge && y < Height-edge {
						continue
					}
					if got := color.RGBAModel.Convert(img.At(x, y)); got != bg {
						if leaks < 5 {
							t.Errorf("pixel (%d, %d) = %v, want the background %v", x, y, got, bg)
						}
						leaks++
					}
				}
			}
			if leaks > 0 {
				t.Errorf("%d pixels within %dpx of the edges are not background", leaks, edge)
			}
		})
	}
}

func TestWrapFitsAndKeepsEveryWord(t *testing.T) {
	t.Parallel()
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	f := fs.titles[0]
	tests := []struct {
		name, in string
	}{
		{"a short title stays on one line", "Hello, world"},
		{"a long title wraps at spaces", longTitle},
		{"a long word breaks inside", longWord},
		{"an empty title has no lines", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := wrap(f, tt.in, contentWidth)
			for i, l := range lines {
				if w := measure(f, l); w > contentWidth {
					t.Errorf("wrap(%q) line %d %q is %dpx, want at most %d", tt.in, i, l, w, contentWidth)
				}
			}
			got := strings.ReplaceAll(strings.Join(lines, ""), " ", "")
			if want := strings.ReplaceAll(tt.in, " ", ""); got != want {
				t.Errorf("wrap(%q) lost text: got %q, want %q", tt.in, got, want)
			}
		})
	}
}

func TestCutEndsWithAnEllipsisAndFits(t *testing.T) {
	t.Parallel()
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	f := fs.kicker
	tests := []struct {
		name, in string
		width    int
		want     string
	}{
		{"punctuation before the cut is dropped", "Hello, world", measure(f, "Hello,…"), "Hello…"},
		{"a space before the cut is dropped", "ab cd", measure(f, "ab …"), "ab…"},
		{"no room leaves only the ellipsis", "abc", 1, "…"},
		{"a cut inside a word ends at the space before it", "Rendering modes explained", measure(f, "Rendering modes expl…"), "Rendering modes…"},
		{"a cut far from a space stays inside the word", "a Renderingmodesexplained", measure(f, "a Renderingmodes…"), "a Renderingmodes…"},
		{"a cut on a space keeps the whole word", "Rendering modes explained", measure(f, "Rendering modes…"), "Rendering modes…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cut(f, tt.in, tt.width); got != tt.want {
				t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
		})
	}
}

func BenchmarkRender(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(sample); err != nil {
			b.Fatal(err)
		}
	}
}
