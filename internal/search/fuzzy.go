package search

import (
	"cmp"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// Typo tolerance.
//
// A query word of four letters or more may also match the indexed words
// within a small edit distance: one edit for words of four to seven runes, two
// from eight, none below four (too many short words are one edit apart:
// "node", "code", "mode"). An edit is an insertion, a deletion, a
// substitution or a swap of two adjacent runes (the optimal string alignment
// form of Damerau–Levenshtein distance), so "garbge" finds "garbage" and
// "evnet" finds "event".
//
// A near word joins a word's clause when it is at least fuzzyRatio times as
// common as the word itself. For a word no document has, that is every near
// word; for a word a few documents have, it is only the much more common ones,
// so that a typo in one article ("garbge collector") does not hide the twenty
// articles that spell it right, while "node" never reaches "code". Near words
// count fuzzyWeight (one edit) or half that (two), below a prefix match, so an
// exact match outranks a fuzzy one.
//
// # Method
//
// The vocabulary is kept in buckets by length in runes, each word with a
// 32-bit signature of the letters it contains. A query word of length n with
// distance k scans the buckets n-k … n+k; a word whose signature differs from
// the query's in more than k letters either way cannot be within k edits
// (each edit adds at most one letter and removes at most one) and is skipped
// without computing a distance; the rest get a bounded dynamic-programming
// distance that stops as soon as a whole row exceeds k. This was chosen over
// a deletion neighbourhood (SymSpell), which answers in fewer steps but must
// store every word with up to two letters deleted — tens of entries per word,
// about as much memory as the postings — and over a BK-tree or automaton,
// which are more code for the same answers. At 10,000 generated documents
// (20,000 distinct words) a fuzzy lookup costs well under a millisecond; the
// figures are in docs/performance.md under "Search".
const (
	minFuzzyRunes = 4
	maxFuzzyRunes = 32 // longer words are not corrected
	maxDistance   = 2
	fuzzyRatio    = 10
	fuzzyWeight   = 0.3
	maxFuzzy      = 20 // near words one query word may reach
)

// fuzzyWord is one indexed surface in a length bucket.
type fuzzyWord struct {
	sig  uint32
	term int32
	docs int32 // how many documents have the term, kept here to skip rare words without reaching into the postings
	text string
}

// addFuzzy puts the surface s with term ID t in its length bucket. It must
// run after every document is added, when the postings are complete. Words
// without letters (numbers) and words too long to be corrected are left out.
func (ix *Index) addFuzzy(s string, t int32) {
	n := utf8.RuneCountInString(s)
	if n < minFuzzyRunes-1 || n >= len(ix.fuzzy) || !hasLetter(s) {
		return
	}
	ix.fuzzy[n] = append(ix.fuzzy[n], fuzzyWord{sig: signature(s), term: t, docs: int32(len(ix.postings[t])), text: s})
}

// hasLetter reports whether the folded word s has a rune that is not a digit.
func hasLetter(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return true
		}
	}
	return false
}

// signature sets one bit for each letter a–z in s and one of six bits for any
// other rune, so two words that differ in m letters differ in at most m bits.
func signature(s string) uint32 {
	var sig uint32
	for _, r := range s {
		if 'a' <= r && r <= 'z' {
			sig |= 1 << (r - 'a')
		} else {
			sig |= 1 << (26 + uint32(r)%6)
		}
	}
	return sig
}

// maxEdits returns how many edits a query word of n runes may be from the
// words it matches fuzzily.
func maxEdits(n int) int {
	switch {
	case n < minFuzzyRunes || n > maxFuzzyRunes:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// fuzzyMatch is a term reached through a typo, with its weight.
type fuzzyMatch struct {
	term   int32
	weight float64
}

// near returns the terms, other than exact, of the indexed words within the
// allowed edit distance of the folded query word w and at least fuzzyRatio
// times as common as exact: at most maxFuzzy, the closest and then the most
// common first.
func (ix *Index) near(w string, exact int32) []fuzzyMatch {
	q := []rune(w)
	k := maxEdits(len(q))
	if k == 0 || !hasLetter(w) {
		return nil
	}
	minDocs := 1
	if exact >= 0 {
		minDocs = fuzzyRatio * len(ix.postings[exact])
		if minDocs > len(ix.docs) {
			return nil // no word can be common enough: spare the scan
		}
	}
	qsig := signature(w)
	type hit struct {
		term int32
		dist int
	}
	var (
		hits []hit
		buf  []rune
		dp   distance
	)
	for n := max(0, len(q)-k); n <= len(q)+k && n < len(ix.fuzzy); n++ {
		for i := range ix.fuzzy[n] {
			c := &ix.fuzzy[n][i]
			if int(c.docs) < minDocs || c.term == exact {
				continue
			}
			if bits.OnesCount32(qsig&^c.sig) > k || bits.OnesCount32(c.sig&^qsig) > k {
				continue
			}
			buf = buf[:0]
			for _, r := range c.text {
				buf = append(buf, r)
			}
			if d := dp.within(q, buf, k); d <= k {
				hits = append(hits, hit{c.term, d})
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	// One entry per term, at its smallest distance; then the closest and
	// most common first.
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.term, b.term); c != 0 {
			return c
		}
		return cmp.Compare(a.dist, b.dist)
	})
	hits = slices.CompactFunc(hits, func(a, b hit) bool { return a.term == b.term })
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		if c := cmp.Compare(len(ix.postings[b.term]), len(ix.postings[a.term])); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	out := make([]fuzzyMatch, 0, min(len(hits), maxFuzzy))
	for _, h := range hits[:min(len(hits), maxFuzzy)] {
		out = append(out, fuzzyMatch{term: h.term, weight: fuzzyWeight / float64(h.dist)})
	}
	return out
}

// distance holds the rows of a bounded edit-distance computation for reuse.
type distance struct {
	prev2, prev, cur []int
}

// within returns the optimal string alignment distance between a and b if it
// is at most k, and k+1 otherwise. It stops as soon as every cell of a row
// exceeds k: the distance can only grow from there.
func (dp *distance) within(a, b []rune, k int) int {
	if abs(len(a)-len(b)) > k {
		return k + 1
	}
	n := len(b) + 1
	for _, row := range []*[]int{&dp.prev2, &dp.prev, &dp.cur} {
		if cap(*row) < n {
			*row = make([]int, n)
		}
		*row = (*row)[:n]
	}
	for j := range n {
		dp.prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		dp.cur[0] = i
		low := i
		for j := 1; j < n; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(dp.prev[j]+1, dp.cur[j-1]+1, dp.prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, dp.prev2[j-2]+1)
			}
			dp.cur[j] = v
			low = min(low, v)
		}
		if low > k {
			return k + 1
		}
		dp.prev2, dp.prev, dp.cur = dp.prev, dp.cur, dp.prev2
	}
	if d := dp.prev[n-1]; d <= k {
		return d
	}
	return k + 1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
