package search

import (
	"slices"
	"testing"
)

func TestScan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"Café Ünïcode façade Straße", []string{"cafe", "unicode", "facade", "strasse"}},
		{"cafe\u0301", []string{"cafe"}},
		{"Go's runtime’s GC", []string{"go", "runtime", "gc"}},
		{"don't", []string{"don", "t"}},
		{"node.js event-loop HTTP/2", []string{"node", "js", "event", "loop", "http", "2"}},
		{"ΑΘΗΝΑ мир", []string{"αθηνα", "мир"}},
		{"a\x00b\xffc", []string{"a", "b", "c"}},
		{"", nil},
		{"!!! ...", nil},
	}
	for _, tt := range tests {
		var got []string
		scan(tt.in, nil, func(_, _ int, folded []byte) bool { got = append(got, string(folded)); return true })
		if !slices.Equal(got, tt.want) {
			t.Errorf("scan(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScanRanges(t *testing.T) {
	t.Parallel()
	in := "  Café\u0301s, Go's"
	var got []string
	scan(in, nil, func(start, end int, _ []byte) bool { got = append(got, in[start:end]); return true })
	want := []string{"Café\u0301s", "Go"}
	if !slices.Equal(got, want) {
		t.Errorf("scan(%q) ranges = %q, want %q", in, got, want)
	}
}

// TestStem lists groups of words that must share a stem, and words that must
// not be changed.
func TestStem(t *testing.T) {
	t.Parallel()
	same := [][]string{
		{"render", "renders", "rendered", "rendering", "renderings"},
		{"stream", "streams", "streamed", "streaming"},
		{"cache", "caches", "cached", "caching"},
		{"library", "libraries"},
		{"query", "queries", "queried"},
		{"run", "running"},
		{"stop", "stopped", "stopping"},
		{"process", "processes", "processed"},
		{"box", "boxes"},
		{"match", "matches", "matched"},
		{"validate", "validation", "validations", "validated"},
		{"quick", "quickly"},
		{"add", "added", "adding"},
		{"speed", "speeds"},
		{"cafe", "cafes"},
	}
	for _, group := range same {
		want := string(stem([]byte(group[0])))
		for _, w := range group[1:] {
			if got := string(stem([]byte(w))); got != want {
				t.Errorf("stem(%q) = %q, want %q (the stem of %q)", w, got, want, group[0])
			}
		}
	}
	kept := []string{"class", "status", "analysis", "string", "thing", "this", "family", "supply", "station", "go", "http2", "naïve"}
	for _, w := range kept {
		if got := string(stem([]byte(w))); got != w {
			t.Errorf("stem(%q) = %q, want it unchanged", w, got)
		}
	}
}
