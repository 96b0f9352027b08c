package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// join renders fragments for comparison: matches in [brackets].
func join(frags []Fragment) string {
	var b strings.Builder
	for _, f := range frags {
		if f.Match {
			fmt.Fprintf(&b, "[%s]", f.Text)
		} else {
			b.WriteString(f.Text)
		}
	}
	return b.String()
}

// words returns a body of n numbered words: "w0 w1 w2 …".
func words(n int) []string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("w%d", i)
	}
	return w
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	long := words(100)
	long[50] = "Target"
	long[52] = "OTHER"
	long[90] = "target"
	tests := []struct {
		name  string
		body  string
		query string
		want  string
	}{
		{
			name:  "a short body is whole, with the match marked in its own casing",
			body:  "Rendering on the  server\n\tis fast.",
			query: "render",
			want:  "[Rendering] on the server is fast.",
		},
		{
			name:  "raw text such as <script> stays as it is for the caller to escape",
			body:  "Never copy <script> tags & such.",
			query: "<script>",
			want:  "Never copy <[script]> tags & such.",
		},
		{
			name:  "the window with the most distinct words wins and both ends are cut",
			body:  strings.Join(long, " "),
			query: "target other",
			want:  "…w37 w38 w39 w40 w41 w42 w43 w44 w45 w46 w47 w48 w49 [Target] w51 [OTHER] w53 w54 w55 w56 w57 w58 w59 w60 w61 w62 w63 w64 w65 w66…",
		},
		{
			name:  "a body without matches gives its beginning",
			body:  strings.Join(words(40), " ") + ".",
			query: "missing",
			want:  "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29…",
		},
		{
			name:  "a window at the end keeps the closing punctuation",
			body:  strings.Join(words(40), " ") + " target.",
			query: "target",
			want:  "…w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39 [target].",
		},
		{
			name:  "a cut end keeps punctuation that closes its last word",
			body:  "Target " + strings.Join(words(28), " ") + " last). more words here",
			query: "target",
			want:  "[Target] w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 last).…",
		},
		{
			name:  "phrase words are marked",
			body:  "The event loop runs; events loop.",
			query: `"event loop"`,
			want:  "The [event] [loop] runs; [events] [loop].",
		},
		{
			name:  "prefix matches are marked",
			body:  "A renderer renders.",
			query: "rend",
			want:  "A [renderer] [renders].",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs := []Doc{{ID: "a", Title: "missing", Body: tt.body}}
			results, _ := New(docs).Search(tt.query, 1)
			if len(results) != 1 {
				t.Fatalf("Search(%q) = %d results, want 1", tt.query, len(results))
			}
			if got := join(results[0].Snippet); got != tt.want {
				t.Errorf("Search(%q) snippet\n got %q\nwant %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestSnippetFragments(t *testing.T) {
	t.Parallel()
	docs := []Doc{{ID: "a", Body: "Use <script> & <style> with care."}}
	results, _ := New(docs).Search("script", 1)
	if len(results) != 1 {
		t.Fatalf("Search(%q) = %d results, want 1", "script", len(results))
	}
	want := []Fragment{
		{Text: "Use <"},
		{Text: "script", Match: true},
		{Text: "> & <style> with care."},
	}
	if got := results[0].Snippet; !slices.Equal(got, want) {
		t.Errorf("Search(%q) snippet = %+v, want %+v", "script", got, want)
	}
}
