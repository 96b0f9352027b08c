package content

import (
	"bytes"
	"fmt"
	"regexp"
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
)

// MaxDescription is the longest description allowed, in characters; longer
// ones are cut off in search results and link previews.
const MaxDescription = 160

// FrontMatter is the decoded YAML header of an article.
type FrontMatter struct {
	Title       string
	Description string
	Date        time.Time
	Updated     time.Time // zero if never updated
	Tags        []string
	Series      string
	Order       int
	Render      Mode
	Revalidate  time.Duration
	Draft       bool
	Aliases     []string
	Image       string

	lines map[string]int // the line of each key, for later problems
}

var (
	slugRE  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	aliasRE = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)
)

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
		probs = append(probs, lineMsg{line, fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(header, &doc); err != nil {
		line, msg := yamlErrorLine(err, header)
		// YAML also breaks lines at a lone \r; keep the line inside the header.
		last := line0 + bytes.Count(header, []byte("\n")) - 1
		add(max(line0, min(line0+line-1, last)), "front matter: %s", msg)
		return fm, probs
	}
	end := line0 + bytes.Count(header, []byte("\n")) // the closing --- line
	if len(doc.Content) == 0 {
		add(line0-1, "front matter is empty")
		return fm, probs
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		add(line0+m.Line-1, "front matter must be a mapping of keys to values")
		return fm, probs
	}
	seen := map[string]int{}
	var revalidateLine int
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := line0 + k.Line - 1
		if prev, dup := seen[k.Value]; dup {
			add(line, "duplicate key %q (first on line %d)", k.Value, prev)
			continue
		}
		seen[k.Value] = line
		d := valueDecoder{v: v, line: line, key: k.Value, add: add}
		switch k.Value {
		case "title":
			fm.Title = d.str()
		case "description":
			fm.Description = d.str()
			if n := utf8.RuneCountInString(fm.Description); n > MaxDescription {
				add(line, "description is %d characters, at most %d allowed", n, MaxDescription)
			}
		case "date":
			fm.Date = d.date()
		case "updated":
			fm.Updated = d.date()
		case "tags":
			fm.Tags = d.slugs()
		case "series":
			fm.Series = d.slug()
		case "order":
			fm.Order = d.positiveInt()
		case "render":
			switch s := d.str(); s {
			case "ssg", "isr", "ssr":
				fm.Render = Mode(s)
			case "":
			default:
				add(line, "render must be ssg, isr or ssr, not %q", s)
			}
		case "revalidate":
			revalidateLine = line
			fm.Revalidate = d.duration()
		case "draft":
			fm.Draft = d.boolean()
		case "aliases":
			fm.Aliases = d.strs()
			for _, a := range fm.Aliases {
				if !aliasRE.MatchString(a) {
					add(line, "alias %q must be a site path such as /old/path", a)
				}
			}
		case "image":
			fm.Image = d.str()
		default:
			add(line, "unknown key %q", k.Value)
		}
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
		add(seen["updated"], "updated (%s) is before date (%s)", fm.Updated.Format(time.DateOnly), fm.Date.Format(time.DateOnly))
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

type lineMsg struct {
	line int
	msg  string
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

func (d valueDecoder) str() string {
	s, ok := d.scalar("!!str", "a string")
	if ok && strings.TrimSpace(s) == "" {
		d.add(d.line, "%s must not be empty", d.key)
	}
	return strings.TrimSpace(s)
}

func (d valueDecoder) date() time.Time {
	s, ok := d.scalar("", "a date such as 2026-11-20")
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		d.add(d.line, "%s must be a date such as 2026-11-20, not %q", d.key, s)
	}
	return t
}

func (d valueDecoder) slug() string {
	s, ok := d.scalar("!!str", "a string")
	if ok && !slugRE.MatchString(s) {
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
		if item.Kind != yaml.ScalarNode || item.ShortTag() != "!!str" {
			d.add(d.line, "%s must be a list of strings", d.key)
			return nil
		}
		out = append(out, item.Value)
	}
	return out
}

func (d valueDecoder) slugs() []string {
	out := d.strs()
	for _, s := range out {
		if !slugRE.MatchString(s) {
			d.add(d.line, "%s: %q must be lowercase letters, digits and hyphens", d.key, s)
		}
	}
	return out
}
