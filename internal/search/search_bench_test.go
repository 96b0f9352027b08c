// Benchmark figures, measured with
//
//	go test -run '^$' -bench . -count 3 ./internal/search
//
// on a 2-CPU AMD EPYC VM (nproc 2, shared and noisy), go1.26.8 linux/amd64.
// Medians of three runs; limit 20; "matches" is the total a query reports.
//
//	corpus                         query          ns/op   matches  B/op     allocs/op
//	20 docs × ~1,200 words         common        545000        20   58680   536
//	                               word          587000        20   52560   467
//	                               two-words     604000        20   50416   416
//	                               phrase         21000         0     512    11
//	                               common-phrase 671000        19   64896   548
//	                               prefix        684000        20   59216   531
//	10,000 docs × ~400 words       common        502000    10,000  358976   514
//	                               word          372000     9,996  351976   435
//	                               two-words     499000     8,754  351024   417
//	                               phrase       4510000       178  213464   421
//	                               common-phrase 5460000     5,521  322192   575
//	                               prefix       1980000    10,000  361928   516
//	New, 10,000 docs (4.0M body words)       388,000,000 ns/op, 187,867,680 B/op, 76,675 allocs/op
//
// Typo tolerance (BenchmarkSearchTypos, and the typo rows of BenchmarkSearch),
// 10,000 docs, medians of three runs at load 5–7 with
//
//	go test -run '^$' -bench 'SearchTypos' -benchtime 200ms -count 3 ./internal/search
//
//	vocabulary            query            ns/op   matches  B/op     allocs/op
//	narrow (8,018 words)  typo            620000     9,176  350928   404
//	                      typo-long       825000     9,996  353336   452
//	                      typo-two-words 1430000     9,320  354216   466
//	                      typo-none        63000         0  174592    13
//	wide (207,477 words)  typo           1060000     9,176  556624   410
//	                      typo-long      1400000     9,996  558584   452
//	                      typo-two-words 1840000     9,320  559624   463
//	                      typo-none       322000         0  174592    13
//	                      typo-rare-exact 394000         1  388664    31
//
// typo-none is the vocabulary scan alone. New now allocates 221 MB (the code
// field's counts in every posting, and the length buckets). See
// docs/performance.md, "Search".
//
// Budgets: under 5 ms per query for 20 docs (worst here 0.7 ms) and under
// 50 ms for 10,000 docs (worst 5.5 ms, a phrase of two very common words).
// The 20-document figures are mostly snippet building: every result's body
// is scanned again up to the end of its window for byte offsets. The index
// of the 10,000 documents keeps about 50 MB live (forward index for phrases
// and snippets, plus postings).

package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
// (the common one is the worst case for checking positions), a two-letter
// prefix that expands to the most words allowed, and typos: one edit from a
// seven-letter word, a swap in a nine-letter word (allowed two), two misspelt
// words, and a thirteen-letter word near nothing (a scan of five length
// buckets that finds no word). BenchmarkSearchTypos adds a rare word that
// documents have, which is checked against its much commoner neighbours.
var benchQueries = []struct{ name, query string }{
	{"common", "the"},
	{"word", "rendering"},
	{"two-words", "event loop"},
	{"phrase", `"event loop"`},
	{"common-phrase", `"to the"`},
	{"prefix", "re"},
	{"typo", "templte"},
	{"typo-long", "rendreing"},
	{"typo-two-words", "evnet lopo"},
	{"typo-none", "quatrexulpiso"},
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

// BenchmarkSearchTypos measures typo tolerance at 10,000 documents over the
// generated vocabulary (about 8,000 distinct words) and over a wide one: the
// same documents with twenty random strings of 4 to 12 letters added to each
// body, about 200,000 distinct words in all, like a corpus full of names,
// identifiers and misspellings.
func BenchmarkSearchTypos(b *testing.B) {
	narrow := corpus(10000, 400)
	wide := corpus(10000, 400)
	r := rand.New(rand.NewPCG(7, 7))
	for i := range wide {
		var sb strings.Builder
		sb.WriteString(wide[i].Body)
		for range 20 {
			for range 4 + r.IntN(9) {
				sb.WriteByte(byte('a' + r.IntN(26)))
			}
			sb.WriteByte(' ')
		}
		wide[i].Body = sb.String()
	}
	for _, c := range []struct {
		name string
		docs []Doc
	}{{"narrow", narrow}, {"wide", wide}} {
		ix := New(c.docs)
		// A word of five to eight letters in exactly one document: its
		// near words are looked for because some may be ten times as
		// common.
		rare := ""
		for _, s := range ix.surfaces {
			if len(s) >= 5 && len(s) <= 8 && len(ix.postings[ix.surfaceTerm[s]]) == 1 {
				rare = s
				break
			}
		}
		queries := slices.Clone(benchQueries[len(benchQueries)-4:])
		if rare != "" { // the narrow vocabulary has no word that rare
			queries = append(queries, struct{ name, query string }{"typo-rare-exact", rare})
		}
		for _, q := range queries {
			b.Run(fmt.Sprintf("vocabulary=%s/words=%d/%s", c.name, len(ix.surfaces), q.name), func(b *testing.B) {
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
