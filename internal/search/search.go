package search

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Query limits. They bound the work one request can ask for.
const (
	maxQueryRunes = 1000
	maxQueryTerms = 16
	minPrefixLen  = 2  // runes
	maxExpansions = 50 // words a prefix may reach
	prefixWeight  = 0.5
)

// Result is one matching document.
type Result struct {
	ID      string
	Title   string
	Score   float64
	Snippet []Fragment // the best-matching passage of the body, about 30 words
}

// Fragment is a piece of a snippet. Text is raw body text: callers escape it
// and may highlight the fragments whose Match is true.
type Fragment struct {
	Text  string
	Match bool
}

// clause is one condition of a query: a word, or a phrase of several.
type clause struct {
	terms  []int32 // exact term IDs in order; -1 for a word no document has
	prefix []int32 // other term IDs the last word reaches as a prefix
	fuzzy  []fuzzyMatch
}

// Search returns up to limit documents that match query, best first, and how
// many documents match in all. A query without words returns no results and a
// total of 0; a limit below one returns no results but still counts them.
func (ix *Index) Search(query string, limit int) (results []Result, total int) {
	clauses := ix.parse(query)
	if len(clauses) == 0 {
		return nil, 0
	}
	matched, scores := ix.match(clauses)
	total = len(matched)
	if total == 0 || limit < 1 {
		return nil, total
	}
	matched = ix.top(matched, scores, limit)

	// marks tells the snippets which clause, plus one, each term matches. A
	// slice over the vocabulary costs a byte per term but spares a map lookup
	// for every token of every snippet.
	marks := make([]int8, len(ix.postings))
	for i, c := range clauses {
		for _, t := range slices.Concat(c.terms, c.prefix) {
			if t >= 0 && marks[t] == 0 {
				marks[t] = int8(i + 1)
			}
		}
		for _, f := range c.fuzzy {
			if marks[f.term] == 0 {
				marks[f.term] = int8(i + 1)
			}
		}
	}
	results = make([]Result, len(matched))
	var unmarked []unmark
	for i, d := range matched {
		info := &ix.docs[d]
		unmarked = ix.unmarkFuzzy(d, clauses, marks, unmarked[:0])
		results[i] = Result{
			ID:      info.id,
			Title:   info.title,
			Score:   scores[d],
			Snippet: ix.snippet(d, marks, len(clauses)),
		}
		for _, u := range unmarked {
			marks[u.term] = u.mark
		}
	}
	return results, total
}

// unmark is a mark that [Index.unmarkFuzzy] cleared, to be restored.
type unmark struct {
	term int32
	mark int8
}

// unmarkFuzzy clears the marks of the near words of every clause whose exact
// word document d has, and appends what it cleared to unmarked. The
// snippet of a document that has the word typed then shows that word, not
// a window of its near words ("matched" for "unmatched").
func (ix *Index) unmarkFuzzy(d int32, clauses []clause, marks []int8, unmarked []unmark) []unmark {
	for ci, c := range clauses {
		if len(c.fuzzy) == 0 || c.terms[0] < 0 {
			continue
		}
		list := ix.postings[c.terms[0]]
		if _, ok := slices.BinarySearchFunc(list, d, func(p posting, d int32) int { return cmp.Compare(p.doc, d) }); !ok {
			continue
		}
		for _, f := range c.fuzzy {
			if marks[f.term] == int8(ci+1) {
				unmarked = append(unmarked, unmark{f.term, marks[f.term]})
				marks[f.term] = 0
			}
		}
	}
	return unmarked
}

// top returns the best limit documents of matched, best first: highest score,
// then lowest ID, then earliest in the input. Keeping a sorted slice of at
// most limit documents avoids sorting thousands of matches to show twenty.
func (ix *Index) top(matched []int32, scores []float64, limit int) []int32 {
	order := func(a, b int32) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		if c := strings.Compare(ix.docs[a].id, ix.docs[b].id); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	if len(matched) <= limit {
		slices.SortFunc(matched, order)
		return matched
	}
	best := make([]int32, 0, limit+1)
	for _, d := range matched {
		if len(best) == limit && order(d, best[limit-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, d, order)
		best = slices.Insert(best, i, d)
		if len(best) > limit {
			best = best[:limit]
		}
	}
	return best
}

// parse turns a query into clauses: trimmed, cut to maxQueryRunes and
// maxQueryTerms words, quoted runs as phrases, duplicates dropped, and the
// last unquoted word widened to a prefix.
func (ix *Index) parse(query string) []clause {
	query = strings.TrimSpace(query)
	// Cut at maxQueryRunes without counting the rest of a long query.
	n := 0
	for i := range query {
		if n == maxQueryRunes {
			query = query[:i]
			break
		}
		n++
	}

	type word struct {
		text   string
		quoted bool
		group  int // words of one quoted run share a group
	}
	var (
		words     []word
		truncated bool
		buf       []byte
		group     int
	)
	add := func(s string, quoted bool) {
		group++
		buf = scan(s, buf, func(_, _ int, folded []byte) bool {
			if len(words) == maxQueryTerms {
				truncated = true
				return false
			}
			words = append(words, word{string(folded), quoted, group})
			return true
		})
	}
	quoted, start := false, 0
	for i, r := range query {
		if r == '"' || r == '“' || r == '”' {
			add(query[start:i], quoted)
			quoted, start = !quoted, i+utf8.RuneLen(r)
		}
	}
	add(query[start:], quoted)

	var (
		clauses []clause
		seen    = make(map[string]bool)
	)
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && words[j].quoted && words[j].group == words[i].group {
			j++
		}
		var c clause
		for _, w := range words[i:j] {
			c.terms = append(c.terms, ix.term(w.text))
		}
		last := words[i]
		if j == len(words) && !last.quoted && !truncated && utf8.RuneCountInString(last.text) >= minPrefixLen {
			c.prefix = ix.expand(last.text, c.terms[0])
		}
		if j == i+1 && !last.quoted && len(c.prefix) == 0 {
			c.fuzzy = ix.near(last.text, c.terms[0])
		}
		i = j

		if !slices.ContainsFunc(c.terms, func(t int32) bool { return t >= 0 }) && len(c.prefix) == 0 && len(c.fuzzy) == 0 {
			return []clause{c} // a word no document has: nothing can match
		}
		key := clauseKey(c)
		if seen[key] {
			continue
		}
		seen[key] = true
		clauses = append(clauses, c)
	}
	return clauses
}

// clauseKey identifies a clause, to drop repeated words from a query.
func clauseKey(c clause) string {
	var b []byte
	for _, t := range c.terms {
		b = strconv.AppendInt(b, int64(t), 10)
		b = append(b, ' ')
	}
	b = append(b, '|')
	for _, t := range c.prefix {
		b = strconv.AppendInt(b, int64(t), 10)
		b = append(b, ' ')
	}
	b = append(b, '|')
	for _, f := range c.fuzzy {
		b = strconv.AppendInt(b, int64(f.term), 10)
		b = append(b, ' ')
	}
	return string(b)
}

// expand returns the term IDs, other than exact, of the indexed words that
// start with prefix: at most maxExpansions of them, the most common first.
func (ix *Index) expand(prefix string, exact int32) []int32 {
	var ts []int32
	i, _ := slices.BinarySearch(ix.surfaces, prefix)
	for ; i < len(ix.surfaces) && strings.HasPrefix(ix.surfaces[i], prefix); i++ {
		if t := ix.surfaceIDs[i]; t != exact {
			ts = append(ts, t)
		}
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	if len(ts) > maxExpansions {
		slices.SortStableFunc(ts, func(a, b int32) int {
			return cmp.Compare(len(ix.postings[b]), len(ix.postings[a]))
		})
		ts = ts[:maxExpansions]
		slices.Sort(ts)
	}
	return ts
}

// match returns the documents that satisfy every clause, in index order, and
// a score for every document (zero for those that do not match).
//
// Clauses are applied one at a time over dense per-document arrays: level[d]
// counts the clauses document d has met so far, so a clause only looks at
// documents that met all the earlier ones. At a few thousand documents this
// is simpler and faster than merging sorted posting lists.
func (ix *Index) match(clauses []clause) (matched []int32, scores []float64) {
	n := len(ix.docs)
	scores = make([]float64, n)
	best := make([]float64, n) // the current clause's score per document
	level := make([]uint8, n)
	for ci, c := range clauses {
		matched = matched[:0]
		lv := uint8(ci)
		if len(c.terms) > 1 {
			matched = ix.matchPhrase(c.terms, lv, level, best, matched)
		} else {
			matched = ix.matchTerm(c.terms[0], 1, lv, level, best, matched)
			for _, t := range c.prefix {
				matched = ix.matchTerm(t, prefixWeight, lv, level, best, matched)
			}
			for _, f := range c.fuzzy {
				matched = ix.matchTerm(f.term, f.weight, lv, level, best, matched)
			}
		}
		for _, d := range matched {
			scores[d] += best[d]
			best[d] = 0
			level[d]++
		}
		if len(matched) == 0 {
			return nil, nil
		}
	}
	slices.Sort(matched)
	return matched, scores
}

// matchTerm scores the documents at level lv that contain term t, keeping the
// best score per document in best and appending newly seen documents to
// matched.
func (ix *Index) matchTerm(t int32, w float64, lv uint8, level []uint8, best []float64, matched []int32) []int32 {
	if t < 0 {
		return matched
	}
	w *= ix.idf[t]
	ps := ix.postings[t]
	for i := range ps {
		p := &ps[i]
		if level[p.doc] != lv {
			continue
		}
		s := w * ix.weight(p)
		if best[p.doc] == 0 {
			matched = append(matched, p.doc)
		}
		if s > best[p.doc] {
			best[p.doc] = s
		}
	}
	return matched
}

// matchPhrase scores the documents at level lv in which terms appear as
// consecutive tokens of one field, by the sum of the terms' scores.
func (ix *Index) matchPhrase(terms []int32, lv uint8, level []uint8, best []float64, matched []int32) []int32 {
	if slices.Contains(terms, -1) {
		return matched
	}
	ps := make([]*posting, len(terms))
docs:
	for i := range ix.postings[terms[0]] {
		ps[0] = &ix.postings[terms[0]][i]
		d := ps[0].doc
		if level[d] != lv {
			continue
		}
		for k, t := range terms[1:] {
			list := ix.postings[t]
			j, ok := slices.BinarySearchFunc(list, d, func(p posting, d int32) int { return cmp.Compare(p.doc, d) })
			if !ok {
				continue docs
			}
			ps[k+1] = &list[j]
		}
		if !ix.hasPhrase(d, terms, ps) {
			continue
		}
		var s float64
		for k, t := range terms {
			s += ix.idf[t] * ix.weight(ps[k])
		}
		best[d] = s
		matched = append(matched, d)
	}
	return matched
}

// hasPhrase reports whether terms appear consecutively in a field of doc d.
// ps are the terms' postings for d: a field that lacks one of the terms is
// not read.
func (ix *Index) hasPhrase(d int32, terms []int32, ps []*posting) bool {
	info := &ix.docs[d]
fields:
	for f := range numFields {
		for _, p := range ps {
			if p.tf[f] == 0 {
				continue fields
			}
		}
		seq := ix.seq[info.seq[f]:info.seq[f+1]]
		for i := 0; i+len(terms) <= len(seq); i++ {
			if seq[i] == terms[0] && slices.Equal(seq[i:i+len(terms)], terms) {
				return true
			}
		}
	}
	return false
}
