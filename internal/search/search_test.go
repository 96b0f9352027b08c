package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// fixture is a small corpus in which each document is there to make one
// ranking or matching rule observable.
var fixture = []Doc{
	{
		ID:       "/articles/go/templates",
		Title:    "Rendering templates on the server",
		Headings: []string{"Why render on the server", "Flushing early"},
		Tags:     []string{"go", "html"},
		Body: "Server-side rendering turns data into HTML before it leaves the machine. " +
			"The browser receives a complete page and can paint it at once. " +
			"Go's html/template package escapes values by context, so a template cannot " +
			"accidentally emit markup from user input.",
	},
	{
		ID:       "/articles/misc/notes",
		Title:    "Assorted notes",
		Headings: []string{"Odds and ends"},
		Tags:     []string{"misc"},
		Body: "A grab bag of things learned while building this site. " +
			"Templates are compiled once at start-up. The event loop in Node is " +
			"not the same as a goroutine scheduler.",
	},
	{
		ID:       "/articles/node/event-loop",
		Title:    "The Node.js event loop",
		Headings: []string{"Phases", "Timers and I/O"},
		Tags:     []string{"nodejs", "runtime"},
		Body: "Node runs JavaScript on one thread. The event loop picks the next " +
			"callback from a queue; a loop of phases handles timers, I/O and close events.",
	},
	{
		ID:       "/articles/node/streams",
		Title:    "Backpressure in Node",
		Headings: []string{"Readable and writable"},
		Tags:     []string{"nodejs"},
		Body: "A stream moves data in chunks instead of loading it all into memory. " +
			"When the consumer is slow, the stream pauses the producer.",
	},
	{
		ID:       "/articles/css/menu",
		Title:    "Laying out a menu with CSS grid",
		Headings: []string{"The grid"},
		Tags:     []string{"css"},
		Body:     "The café on the corner prints its menu in two columns; we rebuild it with grid areas.",
	},
	{
		ID:       "/articles/security/xss",
		Title:    "Escaping output",
		Headings: []string{"Contexts"},
		Tags:     []string{"security"},
		Body:     "Never copy <script> tags from user input into a page. Escape < and & in text.",
	},
}

var fixtureIndex = New(fixture)

// ids returns the IDs of results, in order.
func ids(results []Result) []string {
	var out []string
	for _, r := range results {
		out = append(out, r.ID)
	}
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		want  []string // IDs in order
	}{
		{"a title match ranks above a body-only match", "templates",
			[]string{"/articles/go/templates", "/articles/misc/notes"}},
		{"a title match ranks above body matches for the event loop", "event loop",
			[]string{"/articles/node/event-loop", "/articles/misc/notes"}},
		{"a word finds its -ing form", "render",
			[]string{"/articles/go/templates"}},
		{"a plural finds the singular", "streams",
			[]string{"/articles/node/streams"}},
		{"a short last word matches as a prefix", "rend",
			[]string{"/articles/go/templates"}},
		{"a prefix reaches words with diacritics", "caf",
			[]string{"/articles/css/menu"}},
		{"a word without its accent finds the accented word", "cafe",
			[]string{"/articles/css/menu"}},
		{"an accented query finds the accented word", "CAFÉ",
			[]string{"/articles/css/menu"}},
		{"a decomposed accent folds like a precomposed one", "cafe\u0301",
			[]string{"/articles/css/menu"}},
		{"every word must match", "event grid", nil},
		{"every word must match even when one is everywhere", "the streams",
			[]string{"/articles/node/streams"}},
		{"a quoted phrase matches consecutive words", `"event loop"`,
			[]string{"/articles/node/event-loop", "/articles/misc/notes"}},
		{"a quoted phrase does not match words out of order", `"loop event"`, nil},
		{"a phrase does not cross two headings", `"phases timers"`, nil},
		{"an unterminated quote is a phrase to the end", `node "event loop`,
			[]string{"/articles/node/event-loop", "/articles/misc/notes"}},
		{"a quoted word is not a prefix", `"rend"`, nil},
		{"a one-letter last word is not a prefix", "r", nil},
		{"a possessive finds the word", "Go's package",
			[]string{"/articles/go/templates"}},
		{"tags are searched", "runtime",
			[]string{"/articles/node/event-loop"}},
		{"punctuation in a query is ignored", "<script>",
			[]string{"/articles/security/xss"}},
		{"an unknown word matches nothing", "kubernetes", nil},
		{"an empty query matches nothing", "", nil},
		{"a blank query matches nothing", " \t\n ", nil},
		{"a punctuation-only query matches nothing", `!?.,"<>&`, nil},
		{"empty quotes match nothing", `""`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			results, total := fixtureIndex.Search(tt.query, 10)
			if got := ids(results); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %q, want %q", tt.query, got, tt.want)
			}
			if total != len(tt.want) {
				t.Errorf("Search(%q) total = %d, want %d", tt.query, total, len(tt.want))
			}
		})
	}
}

func TestSearchScoring(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		docs  []Doc
		query string
		want  []string
	}{
		{
			name: "an exact word beats a word reached by prefix",
			docs: []Doc{
				{ID: "a", Body: "the renderer draws"},
				{ID: "b", Body: "we render pages"},
			},
			query: "render",
			want:  []string{"b", "a"},
		},
		{
			name: "a title match beats many body matches",
			docs: []Doc{
				{ID: "a", Body: strings.Repeat("cache ", 50) + "and more"},
				{ID: "b", Title: "Caching", Body: "nothing else here"},
				{ID: "c", Body: "unrelated"},
			},
			query: "cache",
			want:  []string{"b", "a"},
		},
		{
			name: "a heading match beats a body match",
			docs: []Doc{
				{ID: "a", Body: "about queues and more queues"},
				{ID: "b", Headings: []string{"Queues"}, Body: "text"},
				{ID: "c", Body: "unrelated"},
			},
			query: "queue",
			want:  []string{"b", "a"},
		},
		{
			name: "equal scores are ordered by ID",
			docs: []Doc{
				{ID: "c", Body: "same words"},
				{ID: "a", Body: "same words"},
				{ID: "b", Body: "same words"},
			},
			query: "words",
			want:  []string{"a", "b", "c"},
		},
		{
			name: "documents with equal IDs keep their input order",
			docs: []Doc{
				{ID: "x", Title: "first", Body: "same"},
				{ID: "x", Title: "second", Body: "same"},
			},
			query: "same",
			want:  []string{"x", "x"},
		},
		{
			name: "repeating a word does not change the order",
			docs: []Doc{
				{ID: "a", Body: "go go go"},
				{ID: "b", Title: "Go"},
			},
			query: "go go go go",
			want:  []string{"b", "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			results, _ := New(tt.docs).Search(tt.query, 10)
			if got := ids(results); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %q, want %q", tt.query, got, tt.want)
			}
			for i := 1; i < len(results); i++ {
				if results[i].Score > results[i-1].Score {
					t.Errorf("Search(%q): score %d = %v above score %d = %v", tt.query, i, results[i].Score, i-1, results[i-1].Score)
				}
			}
		})
	}
}

func TestSearchLimitAndTotal(t *testing.T) {
	t.Parallel()
	var docs []Doc
	for i := range 25 {
		docs = append(docs, Doc{ID: fmt.Sprintf("/d/%02d", i), Body: "common words " + strings.Repeat("x ", i)})
	}
	ix := New(docs)
	tests := []struct {
		limit     int
		wantLen   int
		wantTotal int
	}{
		{limit: 10, wantLen: 10, wantTotal: 25},
		{limit: 100, wantLen: 25, wantTotal: 25},
		{limit: 1, wantLen: 1, wantTotal: 25},
		{limit: 0, wantLen: 0, wantTotal: 25},
		{limit: -1, wantLen: 0, wantTotal: 25},
	}
	for _, tt := range tests {
		results, total := ix.Search("common", tt.limit)
		if len(results) != tt.wantLen || total != tt.wantTotal {
			t.Errorf("Search(%q, %d) = %d results, total %d; want %d, total %d",
				"common", tt.limit, len(results), total, tt.wantLen, tt.wantTotal)
		}
	}
	// The shortest body has the highest BM25 score.
	if results, _ := ix.Search("common", 1); len(results) != 1 || results[0].ID != "/d/00" {
		t.Errorf("Search(%q, 1) = %q, want [/d/00]", "common", ids(results))
	}
}

func TestSearchEmptyIndex(t *testing.T) {
	t.Parallel()
	for _, docs := range [][]Doc{nil, {{}}, {{ID: "x", Body: "!!!"}}} {
		results, total := New(docs).Search("anything", 10)
		if results != nil || total != 0 {
			t.Errorf("New(%q).Search(%q) = %v, %d; want nil, 0", docs, "anything", results, total)
		}
	}
}

func TestSearchQueryLimits(t *testing.T) {
	t.Parallel()
	docs := []Doc{{ID: "a", Body: "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma"}}
	ix := New(docs)
	tests := []struct {
		name  string
		query string
		want  int // total
	}{
		{
			// The 17th word, "nomatch", is past the cap and ignored.
			name:  "words past the sixteenth are ignored",
			query: "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi nomatch",
			want:  1,
		},
		{
			name:  "sixteen words all count",
			query: "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron nomatch",
			want:  0,
		},
		{
			name:  "characters past the thousandth are ignored",
			query: "alpha" + strings.Repeat(" ", 995) + "nomatch",
			want:  1,
		},
		{
			name:  "leading blanks do not count against the length",
			query: strings.Repeat(" ", 2000) + "alpha",
			want:  1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, total := ix.Search(tt.query, 10); total != tt.want {
				t.Errorf("Search(%.40q…) total = %d, want %d", tt.query, total, tt.want)
			}
		})
	}
}

// TestSearchOddInput checks that long, random and malformed queries neither
// panic nor break the result invariants.
func TestSearchOddInput(t *testing.T) {
	t.Parallel()
	queries := []string{
		strings.Repeat("a", 1000),
		strings.Repeat("render ", 200),
		strings.Repeat("é", 1500),
		strings.Repeat(`"`, 1001),
		"\x00\x01\x1b[31mred\x7f",
		"\xff\xfe\xc3",          // invalid UTF-8
		"\u0301\u0301render",    // marks before a word
		"'s ’s 's",              // possessives without a word
		"\u202Eevent\u200Bloop", // bidi override and zero-width space
		"\U0001F600 emoji",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		b := make([]rune, r.IntN(1200))
		for i := range b {
			switch r.IntN(4) {
			case 0:
				b[i] = rune(r.IntN(0x80))
			case 1:
				b[i] = rune(0x300 + r.IntN(0x70)) // combining marks
			default:
				b[i] = rune(r.IntN(utf8.MaxRune + 1))
			}
		}
		queries = append(queries, string(b))
	}
	for _, q := range queries {
		checkResults(t, fixtureIndex, q, 5)
	}
}

// checkResults runs a search and checks what holds for any query: at most
// limit results, no more than total, scores non-increasing.
func checkResults(t *testing.T, ix *Index, query string, limit int) {
	t.Helper()
	results, total := ix.Search(query, limit)
	if len(results) > limit || len(results) > total {
		t.Errorf("Search(%q, %d) = %d results, total %d; want at most %d and at most total",
			query, limit, len(results), total, limit)
	}
	for i := 1; i < len(results); i++ {
		if results[i].Score > results[i-1].Score {
			t.Errorf("Search(%q): score %d = %v above score %d = %v", query, i, results[i].Score, i-1, results[i-1].Score)
		}
	}
}

func TestSearchConcurrent(t *testing.T) {
	t.Parallel()
	want, _ := fixtureIndex.Search("event loop", 10)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, _ := fixtureIndex.Search("event loop", 10)
				if !slices.EqualFunc(got, want, func(a, b Result) bool {
					return a.ID == b.ID && a.Score == b.Score && slices.Equal(a.Snippet, b.Snippet)
				}) {
					t.Errorf("concurrent Search(%q) = %v, want %v", "event loop", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNewKeepsNoCallerSlices(t *testing.T) {
	t.Parallel()
	docs := []Doc{{ID: "a", Headings: []string{"original"}, Tags: []string{"kept"}}}
	ix := New(docs)
	docs[0].Headings[0] = "changed"
	docs[0].Tags[0] = "changed"
	docs[0].ID = "b"
	results, _ := ix.Search("original kept", 10)
	if got := ids(results); !slices.Equal(got, []string{"a"}) {
		t.Errorf("Search(%q) after changing the input = %q, want [a]", "original kept", got)
	}
}

func FuzzSearch(f *testing.F) {
	for _, q := range []string{"", "render", "rend", "garbge collector", "evnet", "colecter", `"event loop"`, "cafe\u0301", "<script>", "the streams", "\xff", `"a`} {
		f.Add(q, uint8(3))
	}
	f.Fuzz(func(t *testing.T, query string, limit uint8) {
		checkResults(t, fixtureIndex, query, int(limit))
		results, _ := fixtureIndex.Search(query, int(limit))
		for _, r := range results {
			for _, fr := range r.Snippet {
				if fr.Text == "" {
					t.Errorf("Search(%q): result %s has an empty fragment", query, r.ID)
				}
			}
		}
	})
}
