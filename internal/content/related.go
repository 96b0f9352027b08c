package content

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Weights of what two articles share, for [Site.Related].
const (
	relatedSeries    = 3 // the same series
	relatedTag       = 2 // each shared tag
	relatedTitleWord = 1 // each shared significant word of the title
)

// relatedIndex lists, for each series, tag and title word, the positions
// (in Site.public) of the articles that have it. Related is asked once per
// page, so at 10,000 articles it must not sort or hash its way through
// every candidate: it adds scores in a slice and keeps the best few.
type relatedIndex struct {
	pos      map[*Article]int32
	bySeries map[string][]int32
	byTag    map[string][]int32
	byWord   map[string][]int32
	scores   sync.Pool // *scoreBuf, one per concurrent caller
	answers  sync.Map  // relatedKey → []*Article: a build asks for each list twice (keys, page)
}

type relatedKey struct {
	a *Article
	n int
}

type scoreBuf struct {
	score   []int32
	touched []int32
}

func newRelatedIndex(public []*Article) *relatedIndex {
	ix := &relatedIndex{
		pos:      make(map[*Article]int32, len(public)),
		bySeries: map[string][]int32{},
		byTag:    map[string][]int32{},
		byWord:   map[string][]int32{},
	}
	for i, a := range public {
		p := int32(i)
		ix.pos[a] = p
		if a.Series != "" {
			ix.bySeries[a.Series] = append(ix.bySeries[a.Series], p)
		}
		for _, t := range a.Tags {
			ix.byTag[t] = append(ix.byTag[t], p)
		}
		for _, w := range titleWords(a.Title) {
			ix.byWord[w] = append(ix.byWord[w], p)
		}
	}
	n := len(public)
	ix.scores.New = func() any { return &scoreBuf{score: make([]int32, n)} }
	return ix
}

// Related returns up to n public articles most like a: sharing its series,
// its tags and words of its title. Never a itself, never a draft. Ties go to
// the newer article, then by path, so the answer is stable.
func (s *Site) Related(a *Article, n int) []*Article {
	if v, ok := s.related.answers.Load(relatedKey{a, n}); ok {
		return v.([]*Article)
	}
	out := s.related.compute(s, a, n)
	s.related.answers.Store(relatedKey{a, n}, out)
	return out
}

func (ix *relatedIndex) compute(s *Site, a *Article, n int) []*Article {
	buf := ix.scores.Get().(*scoreBuf)
	defer ix.scores.Put(buf)
	add := func(list []int32, w int32) {
		for _, p := range list {
			if buf.score[p] == 0 {
				buf.touched = append(buf.touched, p)
			}
			buf.score[p] += w
		}
	}
	if a.Series != "" {
		add(ix.bySeries[a.Series], relatedSeries)
	}
	for _, t := range a.Tags {
		add(ix.byTag[t], relatedTag)
	}
	for _, w := range titleWords(a.Title) {
		add(ix.byWord[w], relatedTitleWord)
	}
	self, isPublic := ix.pos[a]
	better := func(p, q int32) bool { // does p rank before q?
		if buf.score[p] != buf.score[q] {
			return buf.score[p] > buf.score[q]
		}
		x, y := s.public[p], s.public[q]
		return cmp.Or(y.Date.Compare(x.Date), cmp.Compare(x.Path, y.Path)) < 0
	}
	top := make([]int32, 0, n+1)
	for _, p := range buf.touched {
		if isPublic && p == self {
			continue
		}
		i := len(top)
		for i > 0 && better(p, top[i-1]) {
			i--
		}
		if i < n {
			top = slices.Insert(top, i, p)
			if len(top) > n {
				top = top[:n]
			}
		}
	}
	for _, p := range buf.touched {
		buf.score[p] = 0
	}
	buf.touched = buf.touched[:0]
	out := make([]*Article, len(top))
	for i, p := range top {
		out[i] = s.public[p]
	}
	return out
}

// titleWords returns the distinct significant words of a title: lowercase,
// longer than three letters, not a common word.
func titleWords(title string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' }) {
		w = strings.Trim(w, ".")
		if len(w) > 3 && !stopWords[w] && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

var stopWords = map[string]bool{"with": true, "from": true, "that": true, "this": true, "what": true, "when": true, "your": true, "into": true, "more": true, "than": true, "them": true, "they": true, "their": true, "work": true, "both": true, "side": true}
