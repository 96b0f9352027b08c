package content

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Mode is how a page is rendered and delivered.
type Mode string

// The rendering modes of DESIGN.md §4.
const (
	SSG Mode = "ssg" // rendered once before the server is ready
	ISR Mode = "isr" // like SSG, then regenerated in the background after Revalidate
	SSR Mode = "ssr" // rendered on every request
	// PPR is partial prerendering: a shell rendered once, like SSG, and its
	// holes rendered for every request, streamed in the same response.
	PPR Mode = "ppr"
)

// MaxDescription is the longest description allowed, in characters; longer
// ones are cut off in search results and link previews.
const MaxDescription = 160

// FrontMatter is the decoded YAML header of an article.
type FrontMatter struct {
	Title       string
	Description string    // or, if absent, the summary
	Date        time.Time // a day at midnight UTC, or an RFC 3339 time with its offset
	Updated     time.Time // zero if never updated
	Tags        []string  // slugs, for URLs and indexes: "go-1-21"
	TagNames    []string  // as written, one for each of Tags: "Go 1.21"
	Authors     []string  // as written: keys of site.yaml's authors, or names; see [Site.Authors]
	Series      string
	Order       int
	Render      Mode
	Revalidate  time.Duration
	Draft       bool
	Aliases     []string // old paths that redirect here, the file's own old form last
	Image       string
	CacheTags   []string // cache tags of the author's own (cache_tags), to revalidate by

	lines map[string]int // the line of each key, for later problems
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// cacheTagRE is what a cache tag of front matter may be: one word of a
// Surrogate-Key header, never one of the kind:name tags pages declare.
var cacheTagRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// splitFrontMatter separates the YAML header from the body. It returns the
// header, the body, and the 1-based line the body starts on.
func splitFrontMatter(src []byte) (header, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	first, rest, ok := bytes.Cut(src, []byte("\n"))
	if strings.TrimRight(string(first), "\r ") != "---" || !ok {
		return nil, nil, 0, fmt.Errorf("file must start with a front matter block between --- lines")
	}
	line := 2
	for len(rest) > 0 {
		l, after, _ := bytes.Cut(rest, []byte("\n"))
		if strings.TrimRight(string(l), "\r ") == "---" {
			header = src[len(first)+1 : len(src)-len(rest)]
			return header, after, line + 1, nil
		}
		rest = after
		line++
	}
	return nil, nil, 0, fmt.Errorf("front matter is not closed by a --- line")
}

// decodeFrontMatter decodes the header strictly. line0 is the file line of the
// header's first line. It returns every problem it finds, each with its line.
func decodeFrontMatter(header []byte, line0 int) (FrontMatter, []lineMsg) {
	var fm FrontMatter
	var probs []lineMsg
	add := func(line int, format string, args ...any) {
		probs = append(probs, lineMsg{line: line, msg: fmt.Sprintf(format, args...)})
	}
	m, ok := yamlMapping(header, line0, "front matter", add)
	if !ok {
		return fm, probs
	}
	end := line0 + bytes.Count(header, []byte("\n")) // the closing --- line
	seen := map[string]int{}
	var revalidateLine int
	var summary string
	eachKey(m, line0, seen, add, func(key string, line int, _ *yaml.Node, d valueDecoder) {
		switch key {
		case "title":
			fm.Title = d.str()
		case "description":
			fm.Description = d.str()
			if n := utf8.RuneCountInString(fm.Description); n > MaxDescription {
				add(line, "description is %d characters, at most %d allowed", n, MaxDescription)
			}
		case "summary":
			summary = d.str()
		case "date":
			fm.Date = d.date()
		case "updated":
			fm.Updated = d.date()
		case "tags":
			fm.Tags, fm.TagNames = d.tags()
		case "author", "authors":
			if other := map[string]string{"author": "authors", "authors": "author"}[key]; seen[other] != 0 {
				add(line, "%s repeats %s (line %d): use one of them", key, other, seen[other])
				return
			}
			fm.Authors = d.strOrStrs()
		case "series":
			fm.Series = d.slug()
		case "order":
			fm.Order = d.positiveInt()
		case "render":
			switch s := d.str(); s {
			case "ssg", "isr", "ssr", "ppr":
				fm.Render = Mode(s)
			case "":
			default:
				add(line, "render must be ssg, isr, ssr or ppr, not %q", s)
			}
		case "revalidate":
			revalidateLine = line
			fm.Revalidate = d.duration()
		case "draft":
			fm.Draft = d.boolean()
		case "aliases":
			fm.Aliases = d.strs()
			for _, a := range fm.Aliases {
				if !safeAlias(a) {
					add(line, "alias %q must be a site path such as /old/path", a)
				}
			}
		case "image":
			fm.Image = d.str()
		case "cache_tags":
			fm.CacheTags = d.strs()
			for _, t := range fm.CacheTags {
				if !cacheTagRE.MatchString(t) {
					add(line, "cache tag %q must be lower-case letters, digits, dots and hyphens, such as products or prices.eu (a colon is for the tags pages declare themselves)", t)
				}
			}
		default:
			probs = append(probs, lineMsg{line: line, msg: fmt.Sprintf("unknown key %q", key), unknown: true})
		}
	})
	if _, ok := seen["description"]; !ok && summary != "" {
		fm.Description = summary
		if n := utf8.RuneCountInString(summary); n > MaxDescription {
			fm.Description = cut(summary, MaxDescription)
			probs = append(probs, lineMsg{line: seen["summary"], msg: fmt.Sprintf("summary is %d characters; its first %d make the description", n, utf8.RuneCountInString(fm.Description)), warning: true})
		}
		seen["description"] = seen["summary"]
	}
	for _, req := range []string{"title", "description", "date"} {
		if _, ok := seen[req]; !ok {
			add(end, "missing required key %q", req)
		}
	}
	if fm.Render == "" {
		fm.Render = SSG
	}
	switch {
	case fm.Render == ISR && revalidateLine == 0:
		add(seen["render"], "render: isr needs a revalidate interval, e.g. revalidate: 60s")
	case fm.Render != ISR && revalidateLine != 0:
		add(revalidateLine, "revalidate is only allowed with render: isr")
	}
	if !fm.Updated.IsZero() && fm.Updated.Before(fm.Date) {
		add(seen["updated"], "updated (%s) is before date (%s)", formatDate(fm.Updated), formatDate(fm.Date))
	}
	if (fm.Series == "") != (fm.Order == 0) {
		if fm.Series == "" {
			add(seen["order"], "order needs a series")
		} else {
			add(seen["series"], "series needs an order, e.g. order: 1")
		}
	}
	fm.lines = seen
	return fm, probs
}

// yamlMapping parses a YAML document that must be a mapping, reporting what
// is wrong at its line (line0 is the file line of the document's first line).
// eachKey calls f for every key of the mapping m, in order, with the key's
// file line (line0 is the file line of the YAML's first line), its value and
// a decoder for it. A key given twice is reported and skipped; seen records
// the line of every key, and f may read it for the keys before.
func eachKey(m *yaml.Node, line0 int, seen map[string]int, add func(line int, format string, args ...any), f func(key string, line int, v *yaml.Node, d valueDecoder)) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := line0 + k.Line - 1
		if prev, dup := seen[k.Value]; dup {
			add(line, "duplicate key %q (first on line %d)", k.Value, prev)
			continue
		}
		seen[k.Value] = line
		f(k.Value, line, v, valueDecoder{v: v, line: line, key: k.Value, add: add})
	}
}

func yamlMapping(doc []byte, line0 int, what string, add func(line int, format string, args ...any)) (*yaml.Node, bool) {
	var n yaml.Node
	if err := yaml.Unmarshal(doc, &n); err != nil {
		line, msg := yamlErrorLine(err, doc)
		// YAML also breaks lines at a lone \r; keep the line inside the document.
		last := line0 + max(bytes.Count(doc, []byte("\n"))-1, 0)
		add(max(line0, min(line0+line-1, last)), "%s: %s", what, msg)
		return nil, false
	}
	if len(n.Content) == 0 {
		add(max(line0-1, 1), "%s is empty", what)
		return nil, false
	}
	m := n.Content[0]
	if m.Kind != yaml.MappingNode {
		add(line0+m.Line-1, "%s must be a mapping of keys to values", what)
		return nil, false
	}
	return m, true
}

// cut shortens s to at most n characters at a word boundary, ending in "…".
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	t := string(r[:n-1])
	if i := strings.LastIndexAny(t, " \t\n"); i > 0 {
		t = t[:i]
	}
	return strings.TrimRight(t, " \t\n,;:.") + "…"
}

// formatDate shows a date as written: the day alone if it has no time.
func formatDate(t time.Time) string {
	if t.Equal(t.Truncate(24*time.Hour)) && t.Location() == time.UTC {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// lineMsg is a problem found in a YAML document, at a line of the file.
type lineMsg struct {
	line    int
	msg     string
	warning bool // the content still loads
	unknown bool // an unknown key: a warning, or an error under [Options.Strict]
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlErrorLine returns the header line (1-based) of a YAML error and its
// message. yaml.v3 reports an unclosed flow collection ("did not find
// expected ',' or ']'") at the line of an enclosing context rather than
// the bracket, so for those the line with the unclosed bracket is found here.
func yamlErrorLine(err error, header []byte) (int, string) {
	msg := err.Error()
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 1, strings.TrimPrefix(msg, "yaml: ")
	}
	n, _ := strconv.Atoi(m[1])
	if open, close, ok := unclosed(m[2]); ok {
		for i, line := range strings.Split(string(header), "\n") {
			if strings.Count(line, open) > strings.Count(line, close) {
				return i + 1, m[2]
			}
		}
	}
	return n, m[2]
}

func unclosed(msg string) (open, close string, ok bool) {
	switch {
	case strings.HasPrefix(msg, "did not find expected ',' or ']'"):
		return "[", "]", true
	case strings.HasPrefix(msg, "did not find expected ',' or '}'"):
		return "{", "}", true
	}
	return "", "", false
}

// valueDecoder checks one YAML value against the type its key wants.
type valueDecoder struct {
	v    *yaml.Node
	line int
	key  string
	add  func(line int, format string, args ...any)
}

func (d valueDecoder) scalar(tag, want string) (string, bool) {
	if d.v.Kind != yaml.ScalarNode || (tag != "" && d.v.ShortTag() != tag) {
		d.add(d.line, "%s must be %s", d.key, want)
		return "", false
	}
	return d.v.Value, true
}

// stringish reports whether a scalar can stand for a string: YAML reads
// `title: 404`, `tags: [2024]` or `title: yes` as a number or a boolean, and
// content written elsewhere has them; the text as written is the string.
func stringish(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	switch n.ShortTag() {
	case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
		return true
	}
	return false
}

func (d valueDecoder) str() string {
	if !stringish(d.v) {
		d.add(d.line, "%s must be a string", d.key)
		return ""
	}
	s := strings.TrimSpace(d.v.Value)
	if s == "" {
		d.add(d.line, "%s must not be empty", d.key)
	}
	return s
}

// dateForms are the forms a date may take: a day, or an RFC 3339 time as
// other generators write them (Hugo, Jekyll, Eleventy); the time is kept.
var dateForms = []string{time.DateOnly, time.RFC3339Nano}

func (d valueDecoder) date() time.Time {
	const want = "a date such as 2026-11-20 or 2026-11-20T09:30:00Z"
	s, ok := d.scalar("", want)
	if !ok {
		return time.Time{}
	}
	for _, form := range dateForms {
		if t, err := time.Parse(form, s); err == nil {
			return t
		}
	}
	d.add(d.line, "%s must be %s, not %q", d.key, want, s)
	return time.Time{}
}

func (d valueDecoder) slug() string {
	if !stringish(d.v) {
		d.add(d.line, "%s must be a string", d.key)
		return ""
	}
	s := d.v.Value
	if !slugRE.MatchString(s) {
		d.add(d.line, "%s %q must be lowercase letters, digits and hyphens", d.key, s)
	}
	return s
}

func (d valueDecoder) positiveInt() int {
	s, ok := d.scalar("!!int", "a whole number")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		d.add(d.line, "%s must be a positive whole number, not %s", d.key, s)
		return 0
	}
	return n
}

func (d valueDecoder) duration() time.Duration {
	s, ok := d.scalar("", "a duration such as 60s")
	if !ok {
		return 0
	}
	dur, err := time.ParseDuration(s)
	if err != nil || dur < time.Second {
		d.add(d.line, "%s must be a duration of at least 1s such as 60s or 5m, not %q", d.key, s)
		return 0
	}
	return dur
}

func (d valueDecoder) boolean() bool {
	s, ok := d.scalar("!!bool", "true or false")
	return ok && s == "true"
}

func (d valueDecoder) strs() []string {
	if d.v.Kind != yaml.SequenceNode {
		d.add(d.line, "%s must be a list such as [a, b]", d.key)
		return nil
	}
	out := make([]string, 0, len(d.v.Content))
	for _, item := range d.v.Content {
		if !stringish(item) {
			d.add(d.line, "%s must be a list of strings", d.key)
			return nil
		}
		out = append(out, item.Value)
	}
	return out
}

// strOrStrs takes one string or a list of them, none empty.
func (d valueDecoder) strOrStrs() []string {
	var out []string
	if d.v.Kind == yaml.SequenceNode {
		out = d.strs()
	} else if s := d.str(); s != "" {
		out = []string{s}
	}
	for i, s := range out {
		out[i] = strings.TrimSpace(s)
		if out[i] == "" {
			d.add(d.line, "%s must not be empty", d.key)
			return nil
		}
	}
	return out
}

// tags takes a list of tags as written and returns their slugs and the
// names as written, one for each slug. Two names with one slug ("Go" and
// "go") are one tag.
func (d valueDecoder) tags() (slugs, names []string) {
	written := d.strs()
	if written == nil {
		return nil, nil
	}
	slugs, names = make([]string, 0, len(written)), make([]string, 0, len(written))
	for _, name := range written {
		name = strings.TrimSpace(name)
		slug := name
		if !slugRE.MatchString(slug) {
			slug = Slugify(name)
		}
		if slug == "" {
			d.add(d.line, "%s: %q has no letters or digits to make a URL of", d.key, name)
			continue
		}
		if slices.Contains(slugs, slug) {
			continue
		}
		slugs, names = append(slugs, slug), append(names, name)
	}
	return slugs, names
}
