package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// gcDocs is a corpus in which one article is about the garbage collector,
// one misspells it, and ten more spell it right in passing, so that both
// sides of the fuzzyRatio rule can be seen.
func gcDocs() []Doc {
	docs := []Doc{
		{
			ID:       "/articles/go/gc",
			Title:    "How the garbage collector works",
			Headings: []string{"Marking", "Sweeping"},
			Body:     "Go's garbage collector runs concurrently with the program. The event loop of Node has one too.",
		},
		{
			ID:    "/articles/misc/typo",
			Title: "Notes",
			Body:  "A garbge collector frees memory; this note spells it wrong.",
		},
		{
			ID:    "/articles/node/code",
			Title: "Reading code",
			Body:  "Code is read more often than it is written.",
		},
	}
	for i := range 10 {
		docs = append(docs, Doc{ID: fmt.Sprintf("/articles/gen/%02d", i), Body: "Some garbage is left behind."})
	}
	return docs
}

var gcIndex = New(gcDocs())

func TestSearchTypos(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		want  []string // the first IDs, in order
		total int
	}{
		// The article's title outweighs the note's exact but misspelt body.
		{"a missing letter still finds the garbage collector", "garbge collector",
			[]string{"/articles/go/gc", "/articles/misc/typo"}, 2},
		{"a word no document has finds the garbage collector", "garbaje collector",
			[]string{"/articles/go/gc"}, 1},
		{"two swapped letters count as one edit", "evnet loop",
			[]string{"/articles/go/gc"}, 1},
		{"a word of eight letters may be two edits away", "colecter",
			[]string{"/articles/go/gc", "/articles/misc/typo"}, 2},
		{"a word of six letters may not be two edits away", "mamroy", nil, 0},
		{"a three-letter word is not corrected", "coe", nil, 0},
		{"a four-letter word is corrected by one edit", "cude",
			[]string{"/articles/node/code"}, 1},
		{"a word as common as its neighbour is not corrected", "node",
			[]string{"/articles/go/gc"}, 1},
		{"a quoted word is not corrected", `"garbaje"`, nil, 0},
		{"a last word that is a prefix is not corrected", "collec",
			[]string{"/articles/go/gc", "/articles/misc/typo"}, 2},
		{"numbers are not corrected", "2019", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			results, total := gcIndex.Search(tt.query, 20)
			got := ids(results)
			if len(got) > len(tt.want) {
				got = got[:len(tt.want)]
			}
			if !slices.Equal(got, tt.want) || total != tt.total {
				t.Errorf("Search(%q) = %q (total %d), want %q first (total %d)", tt.query, ids(results), total, tt.want, tt.total)
			}
		})
	}
}

func TestSearchExactOutranksFuzzy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		docs  []Doc
		query string
		want  []string
	}{
		{
			name:  "a document with the typed word ranks above those with a near word",
			docs:  gcDocs(),
			query: "garbge",
			want:  []string{"/articles/misc/typo"},
		},
		{
			name: "an exact title match ranks above a fuzzy title match",
			docs: append([]Doc{
				{ID: "a", Title: "Rendering"},
				{ID: "b", Title: "Renderign"},
			}, filler(20, "rendering")...),
			query: "renderign",
			want:  []string{"b", "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			results, total := New(tt.docs).Search(tt.query, 100)
			got := ids(results)
			if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Fatalf("Search(%q) = %q, want %q first", tt.query, got, tt.want)
			}
			if total <= len(tt.want) {
				t.Errorf("Search(%q) total = %d, want fuzzy matches after the %d exact ones", tt.query, total, len(tt.want))
			}
			exact := results[len(tt.want)-1].Score
			for _, r := range results[len(tt.want):] {
				if r.Score >= exact {
					t.Errorf("Search(%q): fuzzy match %s scores %v, want below the exact %v", tt.query, r.ID, r.Score, exact)
				}
			}
		})
	}
}

// filler returns n documents whose bodies say word.
func filler(n int, word string) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{ID: fmt.Sprintf("filler-%02d", i), Body: "Something about " + word + " here."}
	}
	return docs
}

func TestSnippetMarksFuzzyMatches(t *testing.T) {
	t.Parallel()
	results, _ := gcIndex.Search("garbaje collector", 1)
	if len(results) != 1 {
		t.Fatalf("Search(%q) = %d results, want 1", "garbaje collector", len(results))
	}
	want := "Go's [garbage] [collector] runs concurrently with the program. The event loop of Node has one too."
	if got := join(results[0].Snippet); got != want {
		t.Errorf("Search(%q) snippet\n got %q\nwant %q", "garbaje collector", got, want)
	}
}

func TestSnippetOfAnExactMatchIgnoresNearWords(t *testing.T) {
	t.Parallel()
	docs := append([]Doc{{
		ID:   "a",
		Body: "Matched, matched and matched again at the start. " + strings.Repeat("filler ", 40) + "Unmatched pairs come last.",
	}}, filler(20, "matched")...)
	results, _ := New(docs).Search("unmatched", 1)
	if len(results) != 1 || results[0].ID != "a" {
		t.Fatalf("Search(%q) = %q, want [a] first", "unmatched", ids(results))
	}
	want := "…" + strings.Repeat("filler ", 26) + "[Unmatched] pairs come last."
	if got := join(results[0].Snippet); got != want {
		t.Errorf("Search(%q) snippet\n got %q\nwant %q", "unmatched", got, want)
	}
}

func TestDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		k    int
		want int
	}{
		{"garbage", "garbage", 1, 0},
		{"garbge", "garbage", 1, 1},
		{"evnet", "event", 1, 1},
		{"collector", "colecter", 2, 2},
		{"grabge", "garbage", 1, 2},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3},
		{"ca", "abc", 3, 3}, // optimal string alignment, not unrestricted Damerau
		{"", "abc", 3, 3},
		{"abc", "", 1, 2},
		{"café", "cafe", 1, 1},
	}
	var dp distance
	for _, tt := range tests {
		if got := dp.within([]rune(tt.a), []rune(tt.b), tt.k); got != tt.want {
			t.Errorf("within(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.k, got, tt.want)
		}
	}
}
