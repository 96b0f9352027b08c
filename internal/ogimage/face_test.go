package ogimage

import (
	"bytes"
	"sync"
	"testing"

	"golang.org/x/image/font"
)

func TestMeasureMatchesFontMeasureString(t *testing.T) {
	t.Parallel()
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	// measure sums cached advances and leaves out kerning, which the Go
	// fonts do not have; font.MeasureString would add it.
	for _, s := range []string{
		sample.Title,
		"AVAVA To Wa Yo LT",
		"Ωμέγα и кириллица — “quotes” & <tags>",
		"日本語のタイトル",
	} {
		for _, f := range append([]*face{fs.site, fs.kicker, fs.tag}, fs.titles...) {
			got := measure(f, s)
			f.mu.Lock()
			want := font.MeasureString(f.ot, s).Ceil()
			f.mu.Unlock()
			if got != want {
				t.Errorf("measure(%q) at cap height %d = %d, want %d", s, f.capHeight, got, want)
			}
		}
	}
}

func TestMissingRunesShareOneGlyph(t *testing.T) {
	t.Parallel()
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	f := fs.titles[0]
	box := f.glyph(missingRune)
	for _, r := range "日本語" {
		if f.glyph(r) != box {
			t.Errorf("glyph(%q) is not the shared missing-glyph box", r)
		}
	}
	if f.glyph('A') == box {
		t.Errorf("glyph('A') is the missing-glyph box, want its own glyph")
	}
}

func TestRenderFillsTheGlyphCacheSafely(t *testing.T) {
	t.Parallel()
	// Letters no other test draws, so the goroutines race to rasterize
	// them; run with -race.
	c := Card{Site: "Ѐѓє", Title: "Ѕїљ њћќ ѝўџ", Kicker: "ҐґҒғ", Tags: []string{"ҔҕҖҗ"}}
	results := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i], _ = Render(c) })
	}
	wg.Wait()
	for i, b := range results[1:] {
		if !bytes.Equal(b, results[0]) {
			t.Errorf("render %d of the same card gave different bytes (%d, want %d)", i+2, len(b), len(results[0]))
		}
	}
}
