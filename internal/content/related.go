package content

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// Weights of what two articles share, for [Site.Related].
const (
	relatedSeries    = 3 // the same series
	relatedTag       = 2 // each shared tag
	relatedTitleWord = 1 // each shared significant word of the title
)

// Related returns up to n public articles most like a: sharing its series,
// its tags and words of its title. Never a itself, never a draft. Ties go to
// the newer article, then by path, so the answer is stable.
func (s *Site) Related(a *Article, n int) []*Article {
	score := map[*Article]int{}
	for _, b := range s.series[a.Series] {
		score[b] += relatedSeries
	}
	for _, t := range a.Tags {
		tag, _ := s.Tag(t)
		for _, b := range tag.Articles {
			score[b] += relatedTag
		}
	}
	for _, w := range titleWords(a.Title) {
		for _, b := range s.titleWords[w] {
			score[b] += relatedTitleWord
		}
	}
	delete(score, a)
	out := make([]*Article, 0, len(score))
	for b := range score {
		out = append(out, b)
	}
	slices.SortFunc(out, func(x, y *Article) int {
		return cmp.Or(cmp.Compare(score[y], score[x]), y.Date.Compare(x.Date), cmp.Compare(x.Path, y.Path))
	})
	return out[:min(n, len(out))]
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
