package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetWords is the length of a snippet window in tokens.
const snippetWords = 30

// ellipsis marks a cut end of a snippet.
const ellipsis = "…"

// snippet cuts the snippetWords-token window of document d's body that covers
// the most distinct clauses (then the most matching tokens, then the
// earliest), centred on its matches. marks holds, by term ID, the clause the
// term matches plus one, or 0.
//
// Snippets prefer prose: the window is cut from the code blocks only when the
// body has no match and the code has one (a page found for a function name
// that only its examples use), and a page without prose gets no snippet
// unless its code matches.
//
// The window is chosen on the term IDs kept for phrases, so only the text up
// to the window's end is scanned again, for byte offsets.
func (ix *Index) snippet(d int32, marks []int8, nclauses int) []Fragment {
	info := &ix.docs[d]
	body := info.body
	seq := ix.seq[info.seq[fieldBody]:info.seq[fieldBody+1]]
	clauses := make([]int8, len(seq)) // the clause each token matches, or -1
	if !markTokens(clauses, seq, marks) {
		code := ix.seq[info.seq[fieldCode]:info.seq[fieldCode+1]]
		codeClauses := make([]int8, len(code))
		if markTokens(codeClauses, code, marks) {
			body, seq, clauses = info.code, code, codeClauses
		}
	}
	if len(seq) == 0 {
		return nil
	}
	lo, hi := window(clauses, nclauses)

	var (
		b     fragments
		start = 0 // of the text not yet added
		end   = len(body)
		i     = 0 // token index
	)
	if lo > 0 {
		b.add(ellipsis, false)
	}
	scan(body, nil, func(s, e int, _ []byte) bool {
		switch {
		case i == lo && lo > 0:
			start = s
		case i == hi:
			return false
		}
		if i >= lo && clauses[i] >= 0 {
			b.addText(body[start:s])
			b.add(body[s:e], true)
			start = e
		}
		if i == hi-1 && hi < len(seq) {
			end = closing(body, e)
		}
		i++
		return true
	})
	b.addText(body[start:end])
	b.trim()
	if hi < len(seq) {
		b.add(ellipsis, false)
	}
	return b.list
}

// markTokens sets clauses[i] to the clause that token seq[i] matches, or -1,
// and reports whether any token matches.
func markTokens(clauses []int8, seq []int32, marks []int8) bool {
	any := false
	for i, t := range seq {
		clauses[i] = -1
		if t >= 0 {
			clauses[i] = marks[t] - 1
			any = any || clauses[i] >= 0
		}
	}
	return any
}

// window returns the token range [lo, hi) of the best snippet window, given
// the clause each token matches (or -1).
func window(clauses []int8, nclauses int) (lo, hi int) {
	if len(clauses) <= snippetWords {
		return 0, len(clauses)
	}
	var (
		count    = make([]int, nclauses)
		distinct int
		matches  int
	)
	in := func(c int8, d int) {
		if c < 0 {
			return
		}
		if count[c] == 0 {
			distinct++
		}
		count[c] += d
		if count[c] == 0 {
			distinct--
		}
		matches += d
	}
	for _, c := range clauses[:snippetWords] {
		in(c, 1)
	}
	best, bestDistinct, bestMatches := 0, distinct, matches
	for i := 1; i+snippetWords <= len(clauses); i++ {
		in(clauses[i-1], -1)
		in(clauses[i+snippetWords-1], 1)
		if distinct > bestDistinct || distinct == bestDistinct && matches > bestMatches {
			best, bestDistinct, bestMatches = i, distinct, matches
		}
	}
	if bestMatches == 0 {
		return 0, snippetWords
	}

	// Centre the window on the matches it holds rather than leaving them at
	// its end, where the earliest best window puts them.
	first, last := -1, -1
	for i := best; i < best+snippetWords; i++ {
		if clauses[i] >= 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	lo = first - (snippetWords-(last-first+1))/2
	lo = max(0, min(lo, len(clauses)-snippetWords))
	return lo, lo + snippetWords
}

// closing extends a snippet's end over punctuation that closes its last word,
// such as a full stop or a closing parenthesis.
func closing(body string, end int) int {
	for end < len(body) {
		r, size := utf8.DecodeRuneInString(body[end:])
		if !strings.ContainsRune(`.,;:!?)]}"'’”»`, r) {
			break
		}
		end += size
	}
	return end
}

// fragments builds a snippet, merging adjacent plain text and collapsing its
// white space.
type fragments struct {
	list []Fragment
}

func (b *fragments) add(text string, match bool) {
	if text == "" {
		return
	}
	if n := len(b.list); n > 0 && !match && !b.list[n-1].Match && b.list[n-1].Text != ellipsis {
		b.list[n-1].Text += text
		return
	}
	b.list = append(b.list, Fragment{Text: text, Match: match})
}

// addText adds plain body text with each run of white space turned into one
// space, so line breaks in the body do not reach the snippet.
func (b *fragments) addText(s string) {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		b.add(s, false)
		return
	}
	var sb strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space {
				sb.WriteByte(' ')
				space = false
			}
			sb.WriteString(s[i : i+size]) // the raw bytes, even if not UTF-8
		}
		i += size
	}
	if space {
		sb.WriteByte(' ')
	}
	b.add(sb.String(), false)
}

// trim removes white space at both ends of the snippet.
func (b *fragments) trim() {
	if n := len(b.list); n > 0 && !b.list[n-1].Match {
		b.list[n-1].Text = strings.TrimRightFunc(b.list[n-1].Text, unicode.IsSpace)
		if b.list[n-1].Text == "" {
			b.list = b.list[:n-1]
		}
	}
	if len(b.list) > 0 && !b.list[0].Match && b.list[0].Text != ellipsis {
		b.list[0].Text = strings.TrimLeftFunc(b.list[0].Text, unicode.IsSpace)
		if b.list[0].Text == "" {
			b.list = b.list[1:]
		}
	}
}
