package search

import (
	"unicode"
	"unicode/utf8"
)

// folds maps lowercase Latin letters with diacritics to their plain ASCII
// spelling. It covers Latin-1 and Latin Extended-A, which is what the English
// and European words of our articles use; anything decomposed is handled by
// dropping nonspacing marks in [scan] instead. A table keeps the module free of
// golang.org/x/text for a few dozen letters.
var folds = func() map[rune]string {
	m := map[rune]string{
		'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d", 'ĳ': "ij",
	}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą",
		"c": "çćĉċč",
		"d": "ďđ",
		"e": "èéêëēĕėęě",
		"g": "ĝğġģ",
		"h": "ĥħ",
		"i": "ìíîïĩīĭįı",
		"j": "ĵ",
		"k": "ķĸ",
		"l": "ĺļľŀł",
		"n": "ñńņňŉŋ",
		"o": "òóôõöøōŏő",
		"r": "ŕŗř",
		"s": "śŝşšſ",
		"t": "ţťŧ",
		"u": "ùúûüũūŭůűų",
		"w": "ŵ",
		"y": "ýÿŷ",
		"z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// scan calls fn for every token of s with its byte range in s and its folded
// form, until fn returns false. folded is only valid during the call; buf is
// scratch space that scan returns for reuse. Invalid UTF-8 and control
// characters separate tokens.
func scan(s string, buf []byte, fn func(start, end int, folded []byte) bool) []byte {
	start, more := -1, true
	emit := func(end int) {
		more = fn(start, end, buf)
		start, buf = -1, buf[:0]
	}
	buf = buf[:0]
	for i := 0; i < len(s) && more; {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			if start < 0 {
				start = i
			}
			buf = append(buf, byte(r))
		case 'A' <= r && r <= 'Z':
			if start < 0 {
				start = i
			}
			buf = append(buf, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
			if start >= 0 && r == '\'' && possessive(s, i+size) {
				emit(i)
				i += size + 1
				continue
			}
			if start >= 0 {
				emit(i)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			buf = appendFolded(buf, r)
		case start >= 0 && unicode.Is(unicode.Mn, r):
			// A nonspacing mark inside a word is dropped, so "e" + U+0301
			// folds like "é".
		case start >= 0 && (unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Me, r)):
			// Spacing marks carry meaning in scripts such as Devanagari.
			buf = utf8.AppendRune(buf, r)
		case start >= 0 && r == '’' && possessive(s, i+size):
			emit(i)
			i += size + 1
			continue
		default:
			if start >= 0 {
				emit(i)
			}
		}
		i += size
	}
	if start >= 0 && more {
		emit(len(s))
	}
	return buf
}

// possessive reports whether s[i:] starts with an "s" that ends a word, as in
// the "'s" of "Go's".
func possessive(s string, i int) bool {
	if i >= len(s) || s[i]|0x20 != 's' {
		return false
	}
	if i+1 == len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return !isWordRune(r)
}

// isWordRune reports whether r can start or continue a token.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// appendFolded appends the lowercase, diacritic-free spelling of r to b.
func appendFolded(b []byte, r rune) []byte {
	r = unicode.ToLower(r)
	if f, ok := folds[r]; ok {
		return append(b, f...)
	}
	return utf8.AppendRune(b, r)
}

// stem reduces an English word to a stem, in place. It is deliberately
// conservative: it only touches all-ASCII words of four letters or more and
// strips a handful of suffixes, so that the common inflections of a word share
// a stem without merging unrelated words. Both indexing and querying use it,
// so a stem never needs to be a real word ("cache" and "caching" both become
// "cach").
func stem(w []byte) []byte {
	if len(w) < 4 {
		return w
	}
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return w
		}
	}
	// Plurals and third person: "processes" → "processe" (→ "process" below),
	// "libraries" → "library", "streams" → "stream"; "class", "status" and
	// "analysis" keep their s.
	switch {
	case hasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case hasSuffix(w, "ies") && len(w) > 4:
		w = append(w[:len(w)-3], 'y')
	case hasSuffix(w, "s") && !hasSuffix(w, "ss") && !hasSuffix(w, "us") && !hasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	switch {
	case hasSuffix(w, "ied") && len(w) > 4:
		w = append(w[:len(w)-3], 'y')
	case hasSuffix(w, "ing"):
		w = trimVerb(w, 3)
	case hasSuffix(w, "eed"):
		// "need", "speed", "proceed": the e is part of the word.
	case hasSuffix(w, "ed"):
		w = trimVerb(w, 2)
	case hasSuffix(w, "ation") && len(w) >= 8:
		// "validation" → "validate" → "validat", like "validate" itself.
		w = append(w[:len(w)-5], "ate"...)
	case hasSuffix(w, "ly") && len(w) >= 6 && !isOneOf(w[len(w)-3], "aeiouybp"):
		// "quickly", "really"; not "family", "supply" or "assembly".
		w = w[:len(w)-2]
	}
	if len(w) > 3 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

// trimVerb strips an n-byte -ing or -ed suffix when what remains still looks
// like a word (three letters, a vowel), and undoubles a final consonant
// ("running" → "run") unless that leaves fewer than three letters ("added").
func trimVerb(w []byte, n int) []byte {
	s := w[:len(w)-n]
	if len(s) < 3 || !hasVowel(s) {
		return w
	}
	if k := len(s); k >= 4 && s[k-1] == s[k-2] && !isOneOf(s[k-1], "aeiouylsz") {
		s = s[:k-1]
	}
	return s
}

func hasSuffix(w []byte, suffix string) bool {
	return len(w) >= len(suffix) && string(w[len(w)-len(suffix):]) == suffix
}

func hasVowel(w []byte) bool {
	for _, c := range w {
		if isOneOf(c, "aeiouy") {
			return true
		}
	}
	return false
}

func isOneOf(c byte, set string) bool {
	for i := range len(set) {
		if set[i] == c {
			return true
		}
	}
	return false
}
