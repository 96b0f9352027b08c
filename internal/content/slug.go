package content

import (
	"path"
	"strings"
	"unicode"
)

// Slugify returns the URL form of a name written by an author: lowercase
// ASCII letters and digits in words joined by single hyphens. Latin letters
// with accents lose them ("Über" → "uber", "Straße" → "strasse"), apostrophes
// vanish ("Don't" → "dont"), and the signs that tell names like "C++", "C#"
// and "R&D" apart become words ("c-plus-plus", "c-sharp", "r-and-d") so
// they do not all become "c" or "r-d". Everything else separates words:
// "Go 1.21" → "go-1-21", "Node.js" → "node-js". A name with nothing left
// (only punctuation, or a script other than Latin) gives "", which callers
// report: a URL needs a letter or digit.
func Slugify(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := false // a separator is due before the next word
	word := func(w string) {
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
		sep = false
	}
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			word(string(r))
		case r == '\'' || r == '’':
			// "don't" is one word
		case signWords[r] != "":
			sep = true
			word(signWords[r])
			sep = true
		case latin[r] != "":
			word(latin[r])
		default:
			sep = true
		}
	}
	return b.String()
}

// signWords are the signs that name things (C++, C#, R&D) and would be lost.
var signWords = map[rune]string{'+': "plus", '#': "sharp", '&': "and", '@': "at"}

// latin maps accented Latin letters, lowercase, to ASCII.
var latin = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d", 'ø': "o", 'ł': "l", 'đ': "d", 'ħ': "h", 'ı': "i", 'ŀ': "l", 'ŧ': "t"}
	for ascii, letters := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥ",
		"i": "ìíîïĩīĭį", "j": "ĵ", "k": "ķ", "l": "ĺļľ", "n": "ñńņňŉ", "o": "òóôõöōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			m[r] = ascii
		}
	}
	return m
}()

// slugPath is the site path of a content file, each segment slugified:
// "My Notes/go1.21.md" → "my-notes/go1-21". ok is false if a segment has
// nothing to make a URL of.
func slugPath(file string) (p string, ok bool) {
	segs := strings.Split(strings.TrimSuffix(file, ".md"), "/")
	for i, seg := range segs {
		if slugRE.MatchString(seg) {
			continue // the common case: already a slug
		}
		if segs[i] = Slugify(seg); segs[i] == "" {
			return "", false
		}
	}
	return strings.Join(segs, "/"), true
}

// oldPath is the site path a content file would have without slugifying,
// "/articles/go1.21", if it differs from the file's path and may redirect.
func oldPath(file string) (string, bool) {
	p := "/articles/" + strings.TrimSuffix(file, ".md")
	if p == PathOf(file) || !safeAlias(p) {
		return "", false
	}
	return p, true
}

// safeAlias reports whether p can be an old path that redirects: a clean
// path on this site (the server redirects unclean ones to their clean form
// before aliases are looked at), with no character that ends a path in a URL
// (?, #), escapes (%, \) or could not sit in a header. Spaces, dots and
// letters beyond ASCII are fine: the server compares decoded paths.
func safeAlias(p string) bool {
	if len(p) < 2 || p[0] != '/' || path.Clean(p) != p || strings.ContainsAny(p, "?#%\\\"") {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == unicode.ReplacementChar || unicode.IsSpace(r) && r != ' ' {
			return false
		}
	}
	return true
}
