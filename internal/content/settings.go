package content

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Settings are the site's own settings, read from `site.yaml` (or
// `site.yml`) at the content root (DESIGN.md §8). With no such file every
// string is empty and every other field has its default: what an empty
// title means is for the caller to decide, so nothing of this site is
// wired into another. Flags and environment variables override them in cli.
type Settings struct {
	File        string // "site.yaml" or "site.yml"; "" when there is none
	Title       string
	Tagline     string // a few words under the title: feed subtitle, preview images
	Description string
	Language    string // a BCP 47 tag such as "en" or "pt-BR"; default "en"
	BaseURL     string // absolute http(s) URL, or "" for the command line's
	Authors     map[string]Author
	Menu        []MenuItem
	Home        string // HomeCourse or HomeNewest; see [Site.Settings] for the default
	Paginate    int    // articles on a page of a listing; default 10
	FeedEntries int    // articles in the Atom feed; default 20
	UnsafeHTML  bool   // raw HTML in articles passes an allow-list instead of being dropped

	lines map[string]int // the line of each key, for later problems
}

// Author is a person who writes articles: one of site.yaml's authors, or a
// name given in an article's front matter.
type Author struct {
	Key  string // the key in site.yaml, or the slug of the name given
	Name string
	URL  string // "" if not known
}

// MenuItem is one link of the site's menu.
type MenuItem struct {
	Title string
	URL   string // a path on the site or an absolute http(s) URL
}

// What the home page shows (site.yaml's home).
const (
	HomeCourse = "course" // the series named "course", in order
	HomeNewest = "newest" // the newest articles, paginated
)

// courseSeries is the series a course home shows.
const courseSeries = "course"

// Default page sizes.
const (
	DefaultPaginate    = 10
	DefaultFeedEntries = 20
)

// settingsFiles are the names site settings may have, the preferred first.
var settingsFiles = []string{"site.yaml", "site.yml"}

var languageRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// defaultSettings are the settings of a site without a settings file.
func defaultSettings() Settings {
	return Settings{Language: "en", Paginate: DefaultPaginate, FeedEntries: DefaultFeedEntries}
}

// readSettings reads the site settings from fsys: the defaults if there is
// no file, and every problem of the file, each with its line.
func readSettings(fsys fs.FS) (Settings, []Problem, error) {
	var found []string
	for _, name := range settingsFiles {
		_, err := regularFile(fsys, name)
		switch {
		case err == nil:
			found = append(found, name)
		case !errors.Is(err, fs.ErrNotExist):
			return Settings{}, nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	if len(found) == 0 {
		return defaultSettings(), nil, nil
	}
	var probs []Problem
	if len(found) > 1 {
		probs = append(probs, Problem{File: found[1], Line: 1, Msg: fmt.Sprintf("%s is also here; only one of them is read, so remove one", found[0])})
	}
	src, err := fs.ReadFile(fsys, found[0])
	if err != nil {
		return Settings{}, nil, fmt.Errorf("read %s: %w", found[0], err)
	}
	s, lms := decodeSettings(src)
	s.File = found[0]
	for _, lm := range lms {
		probs = append(probs, Problem{File: found[0], Line: lm.line, Msg: lm.msg, Warning: lm.warning || lm.unknown, strict: lm.unknown})
	}
	return s, probs, nil
}

// decodeSettings decodes a settings file strictly, like front matter.
func decodeSettings(src []byte) (Settings, []lineMsg) {
	s, probs := decodeSettingsLines(src)
	// YAML also breaks lines at a lone \r; keep every line inside the file.
	last := strings.Count(string(src), "\n") + 1
	for i := range probs {
		probs[i].line = max(1, min(probs[i].line, last))
	}
	return s, probs
}

func decodeSettingsLines(src []byte) (Settings, []lineMsg) {
	s := defaultSettings()
	var probs []lineMsg
	add := func(line int, format string, args ...any) {
		probs = append(probs, lineMsg{line: line, msg: fmt.Sprintf(format, args...)})
	}
	unknown := func(line int, key string) {
		probs = append(probs, lineMsg{line: line, msg: fmt.Sprintf("unknown key %q", key), unknown: true})
	}
	if strings.TrimSpace(string(src)) == "" {
		return s, nil // an empty file: the defaults
	}
	m, ok := yamlMapping(src, 1, "site settings", add)
	if !ok {
		return s, probs
	}
	seen := map[string]int{}
	eachKey(m, 1, seen, add, func(key string, line int, v *yaml.Node, d valueDecoder) {
		switch key {
		case "title":
			s.Title = d.str()
		case "tagline":
			s.Tagline = d.str()
		case "description":
			s.Description = d.str()
		case "language":
			if s.Language = d.str(); s.Language != "" && !languageRE.MatchString(s.Language) {
				add(line, "language must be a language tag such as en or pt-BR, not %q", s.Language)
			}
		case "base_url":
			s.BaseURL = d.str()
			if err := checkBaseURL(s.BaseURL); s.BaseURL != "" && err != nil {
				add(line, "base_url %s", err)
			}
		case "authors":
			s.Authors = decodeAuthors(v, line, add, unknown)
		case "menu":
			s.Menu = decodeMenu(v, line, add, unknown)
		case "home":
			switch s.Home = d.str(); s.Home {
			case HomeCourse, HomeNewest, "":
			default:
				add(line, "home must be %s or %s, not %q", HomeCourse, HomeNewest, s.Home)
			}
		case "paginate":
			s.Paginate = cmp.Or(d.positiveInt(), DefaultPaginate)
		case "feed_entries":
			s.FeedEntries = cmp.Or(d.positiveInt(), DefaultFeedEntries)
		case "unsafe_html":
			s.UnsafeHTML = d.boolean()
		default:
			unknown(line, key)
		}
	})
	s.lines = seen
	return s, probs
}

// decodeAuthors reads `authors:`, a mapping of keys to a name or to
// {name, url}.
func decodeAuthors(v *yaml.Node, line int, add func(int, string, ...any), unknown func(int, string)) map[string]Author {
	if v.Kind != yaml.MappingNode {
		add(line, "authors must be a mapping of keys to authors, such as jane: {name: Jane Doe, url: https://jane.example}")
		return nil
	}
	out := map[string]Author{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		key := k.Value
		if !slugRE.MatchString(key) {
			add(k.Line, "authors: key %q must be lowercase letters, digits and hyphens", key)
			continue
		}
		if _, dup := out[key]; dup {
			add(k.Line, "authors: duplicate key %q", key)
			continue
		}
		a := Author{Key: key}
		switch {
		case stringish(val):
			a.Name = valueDecoder{v: val, line: k.Line, key: "authors: " + key, add: add}.str()
		case val.Kind == yaml.MappingNode:
			for j := 0; j+1 < len(val.Content); j += 2 {
				fk, fv := val.Content[j], val.Content[j+1]
				d := valueDecoder{v: fv, line: fk.Line, key: "authors: " + key + ": " + fk.Value, add: add}
				switch fk.Value {
				case "name":
					a.Name = d.str()
				case "url":
					a.URL = d.str()
					if err := checkLinkURL(a.URL); a.URL != "" && err != nil {
						add(fk.Line, "authors: %s: url %s", key, err)
					}
				default:
					unknown(fk.Line, "authors: "+key+": "+fk.Value)
				}
			}
			if a.Name == "" {
				add(k.Line, "authors: %s needs a name", key)
			}
		default:
			add(k.Line, "authors: %s must be a name or {name, url}", key)
			continue
		}
		out[key] = a
	}
	return out
}

// decodeMenu reads `menu:`, a list of {title, url}.
func decodeMenu(v *yaml.Node, line int, add func(int, string, ...any), unknown func(int, string)) []MenuItem {
	if v.Kind != yaml.SequenceNode {
		add(line, "menu must be a list of {title, url}")
		return nil
	}
	out := make([]MenuItem, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			add(item.Line, "menu: each item must be {title, url}")
			continue
		}
		var it MenuItem
		for j := 0; j+1 < len(item.Content); j += 2 {
			fk, fv := item.Content[j], item.Content[j+1]
			d := valueDecoder{v: fv, line: fk.Line, key: "menu: " + fk.Value, add: add}
			switch fk.Value {
			case "title":
				it.Title = d.str()
			case "url":
				it.URL = d.str()
				if err := checkLinkURL(it.URL); it.URL != "" && err != nil {
					add(fk.Line, "menu: url %s", err)
				}
			default:
				unknown(fk.Line, "menu: "+fk.Value)
			}
		}
		if it.Title == "" || it.URL == "" {
			add(item.Line, "menu: each item needs a title and a url")
			continue
		}
		out = append(out, it)
	}
	return out
}

// checkBaseURL checks a base URL as the command line does: absolute http or
// https, with a host, and nothing after the path.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a URL", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q must start with http:// or https://", s)
	case u.Opaque != "" || u.Hostname() == "":
		return fmt.Errorf("%q must have a host, as in https://example.com", s)
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || strings.Contains(s, "#"):
		return fmt.Errorf("%q must be a scheme, a host and a path only", s)
	}
	return nil
}

// checkLinkURL checks a menu or author link: a path on the site, or an
// absolute http(s) URL.
func checkLinkURL(s string) error {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\\\x00\r\n\t") {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("%s must be a path on the site such as /about or an http(s) URL", strconv.Quote(s))
	}
	return nil
}
