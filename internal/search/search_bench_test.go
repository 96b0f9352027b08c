package search

// Benchmark figures: FILLED IN BELOW

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchWords are real words given the most common ranks of the generated
// vocabulary, so benchmark queries can name them.
var benchWords = []string{
	"the", "a", "of", "to", "and", "in", "is", "it", "that", "for",
	"render", "rendering", "server", "stream", "streams", "cache", "event",
	"loop", "template", "request", "response", "page", "node", "browser",
}

// corpus generates n documents of about bodyWords words each, the same for
// the same arguments: a vocabulary of pseudo-words from a fixed-seed
// generator, drawn with a Zipf distribution like natural text.
func corpus(n, bodyWords int) []Doc {
	r := rand.New(rand.NewPCG(2026, 11))
	syllables := []string{"ka", "lo", "mi", "ren", "der", "stra", "ta", "ve", "no", "qua", "ex", "ul", "pi", "so", "ber", "gan"}
	vocab := append([]string(nil), benchWords...)
	for len(vocab) < 20000 {
		var b strings.Builder
		for range 1 + r.IntN(4) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		vocab = append(vocab, b.String())
	}
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	text := func(n int) string {
		var b strings.Builder
		for i := range n {
			w := vocab[zipf.Uint64()]
			if i%14 == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			if i%14 == 13 {
				b.WriteByte('.')
			}
			b.WriteByte(' ')
		}
		return b.String()
	}
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{
			ID:    fmt.Sprintf("/articles/gen/%05d", i),
			Title: text(3 + r.IntN(6)),
			Tags:  []string{vocab[r.IntN(200)], vocab[r.IntN(200)]},
			Body:  text(bodyWords*3/4 + r.IntN(bodyWords/2+1)),
		}
		for range 3 + r.IntN(4) {
			docs[i].Headings = append(docs[i].Headings, text(2+r.IntN(5)))
		}
	}
	return docs
}

// benchQueries cover the kinds of query a reader types: a word that matches
// nearly everything, a stemmed word, two words, a rare and a common phrase
// (the common one is the worst case for checking positions) and a two-letter
// prefix that expands to the most words allowed.
var benchQueries = []struct{ name, query string }{
	{"common", "the"},
	{"word", "rendering"},
	{"two-words", "event loop"},
	{"phrase", `"event loop"`},
	{"common-phrase", `"to the"`},
	{"prefix", "re"},
}

func BenchmarkSearch(b *testing.B) {
	for _, size := range []struct{ docs, words int }{{20, 1200}, {10000, 400}} {
		ix := New(corpus(size.docs, size.words))
		for _, q := range benchQueries {
			b.Run(fmt.Sprintf("docs=%d/%s", size.docs, q.name), func(b *testing.B) {
				b.ReportAllocs()
				var total int
				for b.Loop() {
					_, total = ix.Search(q.query, 20)
				}
				b.ReportMetric(float64(total), "matches")
			})
		}
	}
}

func BenchmarkNew(b *testing.B) {
	docs := corpus(10000, 400)
	b.ReportAllocs()
	for b.Loop() {
		New(docs)
	}
}
