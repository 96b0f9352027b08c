package search

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// articleDoc indexes the HTML the site's Markdown renderer made of
// testdata/<name>.md (saved beside it as <name>.html) the way the site does
// (internal/page), so these tests see real heading anchors, footnote marks,
// highlighted code and directives that reached the HTML as text.
func articleDoc(t *testing.T, id, title, name string, headings ...string) Doc {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	text := ExtractText(src)
	return Doc{ID: id, Title: title, Headings: headings, Body: text.Prose, Code: text.Code}
}

func TestSnippetsOfRenderedArticles(t *testing.T) {
	t.Parallel()
	ix := New([]Doc{
		articleDoc(t, "/articles/gc", "Garbage collection", "code-first", "Why collect garbage", "The heap", "Tuning"),
		articleDoc(t, "/articles/figures", "Pictures", "directives", "Pictures"),
	})
	tests := []struct {
		name    string
		query   string
		want    string // the snippet, matches in [brackets]
		wantID  string
		without []string
	}{
		{
			name:    "a snippet of an article that starts with code and headings shows prose",
			query:   "garbage collector",
			wantID:  "/articles/gc",
			want:    "Why collect [garbage] The heap The [collector] finds objects that nothing points to and frees their memory, so programs need not free it by hand. Tuning Set GOGC to trade…",
			without: []string{"#", "¶", "package", "func", "runtime"},
		},
		{
			name:    "a word found only in code gets a snippet from the code",
			query:   "runtime",
			wantID:  "/articles/gc",
			want:    "// Package main shows the garbage collector at work. package main func main() { [runtime].GC() }",
			without: []string{"#", "¶"},
		},
		{
			name:    "directive text is left out of snippets",
			query:   "loop",
			wantID:  "/articles/figures",
			want:    "Pictures Text about the [loop] that runs callbacks. Mind the queue. The page name is and shows it.",
			without: []string{"{{", "}}", "figure", "notice", "youtube", "Title }"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			results, _ := ix.Search(tt.query, 5)
			if len(results) == 0 || results[0].ID != tt.wantID {
				t.Fatalf("Search(%q) = %q, want %s first", tt.query, ids(results), tt.wantID)
			}
			got := join(results[0].Snippet)
			if got != tt.want {
				t.Errorf("Search(%q) snippet\n got %q\nwant %q", tt.query, got, tt.want)
			}
			for _, w := range tt.without {
				if strings.Contains(got, w) {
					t.Errorf("Search(%q) snippet %q contains %q, want it left out", tt.query, got, w)
				}
			}
		})
	}
}

func TestDirectivesAreNotIndexed(t *testing.T) {
	t.Parallel()
	docs := []Doc{
		articleDoc(t, "/articles/figures", "Pictures", "directives", "Pictures"),
		{
			ID:       "/articles/plain",
			Title:    "Plain {{< ref \"x\" >}}",
			Headings: []string{"{{% param name %}}"},
			Body:     "Nothing to see {{ partial \"footer.html\" . }} here.",
			Code:     "{{< highlight go >}}x := 1{{< /highlight >}}",
		},
	}
	ix := New(docs)
	tests := []struct {
		name  string
		query string
	}{
		{"a shortcode name is not found", "figure"},
		{"a shortcode argument is not found", "loop.png"},
		{"a shortcode caption is not found", `"the event loop"`},
		{"a percent shortcode name is not found", "notice"},
		{"a closing shortcode name is not found", "warning"},
		{"a template field is not found", "title"},
		{"a shortcode in a title is not found", "ref"},
		{"a shortcode in a heading is not found", "param"},
		{"a template action in a body is not found", "partial footer"},
		{"a shortcode in code is not found", "highlight"},
		{"a video shortcode is not found", "youtube"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			results, total := ix.Search(tt.query, 5)
			if total != 0 {
				t.Errorf("Search(%q) = %q, want no results", tt.query, ids(results))
			}
		})
	}
	// The text between a pair of markers is still found.
	if results, _ := ix.Search("queue", 5); len(results) != 1 || results[0].ID != "/articles/figures" {
		t.Errorf("Search(%q) = %q, want [/articles/figures]", "queue", ids(results))
	}
}
