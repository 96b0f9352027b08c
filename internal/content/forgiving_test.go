package content

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestForgivingFrontMatter: content written for other generators loads as
// it is (DESIGN.md §3), one case per rule.
func TestForgivingFrontMatter(t *testing.T) {
	t.Parallel()
	const head = "---\ntitle: T\ndescription: D\ndate: 2026-11-01\n"
	tests := []struct {
		name string
		src  string
		got  func(a *Article) any
		want any
	}{
		{"a number is accepted as a title", "---\ntitle: 404\ndescription: D\ndate: 2026-11-01\n---\n", func(a *Article) any { return a.Title }, "404"},
		{"a boolean is accepted as a description", "---\ntitle: T\ndescription: yes\ndate: 2026-11-01\n---\n", func(a *Article) any { return a.Description }, "yes"},
		{"a number is accepted as a tag", head + "tags: [2024]\n---\n", func(a *Article) any { return a.Tags }, []string{"2024"}},
		{"a tag with spaces, dots and capitals is slugified", head + "tags: [Go 1.21, TypeScript]\n---\n", func(a *Article) any { return a.Tags }, []string{"go-1-21", "typescript"}},
		{"a tag's name is kept as written", head + "tags: [Go 1.21, TypeScript]\n---\n", func(a *Article) any { return a.TagNames }, []string{"Go 1.21", "TypeScript"}},
		{"two forms of one tag are one tag", head + "tags: [Go, go]\n---\n", func(a *Article) any { return a.Tags }, []string{"go"}},
		{"an RFC 3339 date keeps its time", "---\ntitle: T\ndescription: D\ndate: 2026-11-01T09:30:00Z\n---\n", func(a *Article) any { return a.Date }, time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)},
		{"an RFC 3339 date keeps its offset", "---\ntitle: T\ndescription: D\ndate: 2026-11-01T09:30:00+02:00\n---\n", func(a *Article) any { return a.Date.Format(time.RFC3339) }, "2026-11-01T09:30:00+02:00"},
		{"a quoted RFC 3339 updated date is accepted", head + "updated: \"2026-11-02T08:00:00.5Z\"\n---\n", func(a *Article) any { return a.Updated }, time.Date(2026, 11, 2, 8, 0, 0, 5e8, time.UTC)},
		{"a single author is a list of one", head + "author: Ann Lee\n---\n", func(a *Article) any { return a.Authors }, []string{"Ann Lee"}},
		{"authors are a list", head + "authors: [ann, Bob Roe]\n---\n", func(a *Article) any { return a.Authors }, []string{"ann", "Bob Roe"}},
		{"a summary is the description when there is none", "---\ntitle: T\nsummary: S\ndate: 2026-11-01\n---\n", func(a *Article) any { return a.Description }, "S"},
		{"a description wins over a summary", "---\ntitle: T\nsummary: S\ndescription: D\ndate: 2026-11-01\n---\n", func(a *Article) any { return a.Description }, "D"},
		{"an alias may hold spaces and dots", head + "aliases: [/old/My Post.html]\n---\n", func(a *Article) any { return a.Aliases }, []string{"/old/My Post.html"}},
		{"an unknown key is ignored", head + "weight: 3\n---\n", func(a *Article) any { return a.Title }, "T"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			site, err := Load(fstest.MapFS{"a.md": {Data: []byte(tt.src)}})
			if err != nil {
				t.Fatalf("Load(%q): %v", tt.src, err)
			}
			a, _ := site.Article("/articles/a")
			if got := tt.got(a); !equal(got, tt.want) {
				t.Errorf("Load(%q): got %#v, want %#v", tt.src, got, tt.want)
			}
		})
	}
}

func equal(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, ok := b.([]string)
		return ok && slices.Equal(as, bs)
	}
	if at, ok := a.(time.Time); ok {
		bt, ok := b.(time.Time)
		return ok && at.Equal(bt)
	}
	return a == b
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"go1.21":       "go1-21",
		"My Post":      "my-post",
		"Über":         "uber",
		"Go 1.21":      "go-1-21",
		"TypeScript":   "typescript",
		"2024":         "2024",
		"Don't panic":  "dont-panic",
		"C++":          "c-plus-plus",
		"C#":           "c-sharp",
		"R&D":          "r-and-d",
		"Straße":       "strasse",
		"  --a--b--  ": "a-b",
		"Node.js":      "node-js",
		"日本語":          "",
		"!!!":          "",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestContentWrittenElsewhere: a folder as another generator has it — file
// names with dots, spaces and accents, tags with spaces and capitals and a
// number, RFC 3339 dates, author and summary — loads with warnings only.
func TestContentWrittenElsewhere(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"go1.21.md":       {Data: []byte("---\ntitle: Go 1.21\nsummary: What is new.\ndate: 2023-08-08T18:00:00Z\ntags: [Go 1.21, TypeScript, 2024]\nauthor: gopher\nweight: 10\n---\nSee [my post](/articles/My Post) and [Über](/articles/uber).\n")},
		"My Post.md":      {Data: []byte("---\ntitle: My post\ndescription: A post.\ndate: 2024-01-02T09:00:00+01:00\nupdated: 2024-01-03\nauthors: [Ann Lee]\ntags: [typescript]\n---\nBack to [Go 1.21](/articles/go1.21).\n")},
		"Über.md":         {Data: []byte("---\ntitle: Über\ndescription: About.\ndate: 2024-01-02T07:00:00Z\n---\n![a picture](pic.png)\n")},
		"pic.png":         {Data: []byte("not really a png")},
		"Notes/A Note.md": {Data: []byte("---\ntitle: A note\ndescription: D\ndate: 2022-05-05\n---\n![beside it](fig.svg)\n")},
		"Notes/fig.svg":   {Data: []byte("<svg/>")},
		"site.yaml":       {Data: []byte("title: Elsewhere\nauthors:\n  gopher: {name: The Gopher, url: https://go.dev}\ntheme: ananke\n")},
	}
	site, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var warnings []string
	for _, w := range site.Warnings() {
		warnings = append(warnings, w.String())
	}
	if want := []string{`go1.21.md:7: warning: unknown key "weight"`, `site.yaml:4: warning: unknown key "theme"`}; !slices.Equal(warnings, want) {
		t.Errorf("warnings = %q, want %q", warnings, want)
	}

	var paths []string
	for _, a := range site.Articles() {
		paths = append(paths, a.Path+" "+a.File)
	}
	// Newest first, by time: "My Post" (08:00 UTC) after "Über" (07:00 UTC) on one day.
	if want := []string{"/articles/my-post My Post.md", "/articles/uber Über.md", "/articles/go1-21 go1.21.md", "/articles/notes/a-note Notes/A Note.md"}; !slices.Equal(paths, want) {
		t.Errorf("articles = %q, want %q", paths, want)
	}
	for from, to := range map[string]string{
		"/articles/go1.21":       "/articles/go1-21",
		"/articles/My Post":      "/articles/my-post",
		"/articles/Über":         "/articles/uber",
		"/articles/Notes/A Note": "/articles/notes/a-note",
	} {
		if got, ok := site.Alias(from); !ok || got != to {
			t.Errorf("Alias(%q) = %q, %v; want %q", from, got, ok, to)
		}
	}
	var tags []string
	for _, tag := range site.Tags() {
		tags = append(tags, tag.Slug+"="+tag.Name)
	}
	if want := []string{"2024=2024", "go-1-21=Go 1.21", "typescript=TypeScript"}; !slices.Equal(tags, want) {
		t.Errorf("tags = %q, want %q", tags, want)
	}
	if tag, ok := site.Tag("typescript"); !ok || len(tag.Articles) != 2 {
		t.Errorf("Tag(typescript) = %+v, %v; want both articles that have it", tag, ok)
	}

	g, _ := site.Article("/articles/go1-21")
	if g.Description != "What is new." {
		t.Errorf("go1.21.md description = %q, want its summary", g.Description)
	}
	if got, want := site.Authors(g), []Author{{Key: "gopher", Name: "The Gopher", URL: "https://go.dev"}}; !slices.Equal(got, want) {
		t.Errorf("Authors(go1.21.md) = %+v, want %+v", got, want)
	}
	p, _ := site.Article("/articles/my-post")
	if got, want := site.Authors(p), []Author{{Key: "ann-lee", Name: "Ann Lee"}}; !slices.Equal(got, want) {
		t.Errorf("Authors(My Post.md) = %+v, want %+v", got, want)
	}
	u, _ := site.Article("/articles/uber")
	if !strings.Contains(string(u.HTML), `/articles/pic.png`) {
		t.Errorf("Über.md HTML = %s, want the image beside it", u.HTML)
	}
	n, _ := site.Article("/articles/notes/a-note")
	if !strings.Contains(string(n.HTML), `/articles/Notes/fig.svg`) {
		t.Errorf("Notes/A Note.md HTML = %s, want the image in its folder as it is on disk", n.HTML)
	}
	if got := site.Settings(); got.Title != "Elsewhere" || got.Home != HomeNewest || got.Language != "en" {
		t.Errorf("Settings() = %+v, want the title, home newest and language en", got)
	}

	if _, err := LoadWith(fsys, Options{Strict: true}); err == nil || !strings.Contains(err.Error(), `go1.21.md:7: unknown key "weight"`) || !strings.Contains(err.Error(), `site.yaml:4: unknown key "theme"`) {
		t.Errorf("LoadWith strict: err = %v, want both unknown keys as errors", err)
	}
}

func TestTwoFilesWithOnePath(t *testing.T) {
	t.Parallel()
	fm := []byte("---\ntitle: T\ndescription: D\ndate: 2026-11-01\n---\n")
	_, err := Load(fstest.MapFS{"go1-21.md": {Data: fm}, "go1.21.md": {Data: fm}})
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("Load error = %v, want problems", err)
	}
	want := "go1.21.md:1: file name gives the path /articles/go1-21, which go1-21.md has too: rename one of them"
	if !strings.Contains(pe.Error(), want) {
		t.Errorf("problems:\n%s\nwant %q", pe, want)
	}
}

func TestStoreRefreshesSlugifiedFiles(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"go1.21.md": {Data: []byte("---\ntitle: Go\ndescription: D\ndate: 2026-11-01\n---\nfirst\n")},
	}
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore(fsys, site)
	fsys["go1.21.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Go\ndescription: D\ndate: 2026-11-01\n---\nsecond\n"), ModTime: time.Unix(100, 0)}
	a, err := st.Refresh("/articles/go1-21")
	if err != nil || !strings.Contains(string(a.HTML), "second") {
		t.Fatalf("Refresh(/articles/go1-21) = %v, %v; want the edited go1.21.md", a, err)
	}

	// A second file with the same path is refused; the first keeps it.
	fsys["go1-21.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Other\ndescription: D\ndate: 2026-11-01\n---\n")}
	probs, err := st.Reload()
	if err != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, "which go1.21.md has too") {
		t.Errorf("Reload with two files for one path = %v, %v; want one problem naming both", probs, err)
	}
	if a, _ := st.Site().Article("/articles/go1-21"); a.File != "go1.21.md" {
		t.Errorf("the path went to %s, want go1.21.md kept", a.File)
	}

	// Deleting the other file leaves the article alone; deleting its own removes it.
	delete(fsys, "go1-21.md")
	if _, err := st.Refresh("/articles/go1-21"); err != nil {
		t.Errorf("Refresh after the other file went: %v", err)
	}
	delete(fsys, "go1.21.md")
	if _, err := st.Refresh("/articles/go1-21"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Refresh of a deleted go1.21.md: err = %v, want ErrNotFound", err)
	}
}

func TestSettingsRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		src     string
		line    int
		msg     string
		warning bool
	}{
		{"malformed YAML is reported at its line", "title: T\nmenu: [\n", 2, "site settings:", false},
		{"settings must be a mapping", "- title\n", 1, "site settings must be a mapping", false},
		{"an unknown key is a warning at its line", "title: T\nthem: dark\n", 2, `unknown key "them"`, true},
		{"a title must be a string", "title: [a]\n", 1, "title must be a string", false},
		{"a language must be a language tag", "language: English\n", 1, `language must be a language tag such as en or pt-BR, not "English"`, false},
		{"a base URL must be absolute", "base_url: example.com\n", 1, `base_url "example.com" must start with http:// or https://`, false},
		{"home must be course or newest", "home: blog\n", 1, `home must be course or newest, not "blog"`, false},
		{"home course needs a course", "home: course\n", 1, "home: course shows the series course, and no published article is in it", false},
		{"paginate must be a positive number", "paginate: 0\n", 1, "paginate must be a positive whole number", false},
		{"feed entries must be a number", "feed_entries: many\n", 1, "feed_entries must be a whole number", false},
		{"unsafe_html must be a boolean", "unsafe_html: sometimes\n", 1, "unsafe_html must be true or false", false},
		{"a menu must be a list", "menu: {a: b}\n", 1, "menu must be a list of {title, url}", false},
		{"a menu item needs a title and a url", "menu:\n  - title: Home\n", 2, "menu: each item needs a title and a url", false},
		{"a menu url must be a site path or http(s)", "menu:\n  - title: Home\n    url: javascript:alert(1)\n", 3, `menu: url "javascript:alert(1)" must be a path on the site`, false},
		{"an unknown menu key is a warning", "menu:\n  - title: Home\n    url: /\n    weight: 1\n", 4, `unknown key "menu: weight"`, true},
		{"authors must be a mapping", "authors: [ann]\n", 1, "authors must be a mapping", false},
		{"an author key must be a slug", "authors:\n  Ann Lee: Ann\n", 2, `authors: key "Ann Lee" must be lowercase`, false},
		{"an author needs a name", "authors:\n  ann: {url: https://ann.example}\n", 2, "authors: ann needs a name", false},
		{"an unknown author key is a warning", "authors:\n  ann: {name: Ann, mail: a@b}\n", 2, `unknown key "authors: ann: mail"`, true},
		{"a duplicate key is rejected", "title: A\ntitle: B\n", 2, `duplicate key "title" (first on line 1)`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{
				"a.md":      {Data: []byte("---\ntitle: T\ndescription: D\ndate: 2026-11-01\n---\n")},
				"site.yaml": {Data: []byte(tt.src)},
			}
			probs, loaded := problemsOf(t, fsys, Options{})
			if loaded != tt.warning {
				t.Errorf("site.yaml %q: loaded = %v, want %v:\n%v", tt.src, loaded, tt.warning, probs)
			}
			for _, p := range probs {
				if p.File == "site.yaml" && p.Line == tt.line && strings.Contains(p.Msg, tt.msg) && p.Warning == tt.warning {
					return
				}
			}
			t.Errorf("site.yaml %q: problems:\n%v\nwant site.yaml:%d: …%s…", tt.src, probs, tt.line, tt.msg)
		})
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	article := func(extra string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: T\ndescription: D\ndate: 2026-11-01\n" + extra + "---\n<b>raw</b>\n")}
	}
	t.Run("an absent file gives the defaults and no title", func(t *testing.T) {
		t.Parallel()
		site, err := Load(fstest.MapFS{"a.md": article("")})
		if err != nil {
			t.Fatal(err)
		}
		got := site.Settings()
		if got.Title != "" || got.File != "" || got.Language != "en" || got.Home != HomeNewest || got.Paginate != 10 || got.FeedEntries != 20 || got.UnsafeHTML {
			t.Errorf("Settings() = %+v, want the defaults", got)
		}
	})
	t.Run("home is the course when there is one", func(t *testing.T) {
		t.Parallel()
		site, err := Load(fstest.MapFS{"a.md": article("series: course\norder: 1\n")})
		if err != nil {
			t.Fatal(err)
		}
		if got := site.Settings().Home; got != HomeCourse {
			t.Errorf("Home = %q, want course", got)
		}
	})
	t.Run("every key is read", func(t *testing.T) {
		t.Parallel()
		site, err := Load(fstest.MapFS{"a.md": article(""), "site.yml": {Data: []byte(`title: Notes
tagline: Short
description: Longer
language: pt-BR
base_url: https://notes.example/blog/
authors:
  ann: Ann Lee
  bob: {name: Bob Roe, url: https://bob.example}
menu:
  - {title: Home, url: /}
  - {title: Source, url: https://github.com/x/y}
home: newest
paginate: 5
feed_entries: 50
unsafe_html: true
`)}})
		if err != nil {
			t.Fatal(err)
		}
		s := site.Settings()
		if s.File != "site.yml" || s.Title != "Notes" || s.Tagline != "Short" || s.Description != "Longer" || s.Language != "pt-BR" ||
			s.BaseURL != "https://notes.example/blog/" || s.Home != HomeNewest || s.Paginate != 5 || s.FeedEntries != 50 || !s.UnsafeHTML {
			t.Errorf("Settings() = %+v", s)
		}
		if s.Authors["ann"] != (Author{Key: "ann", Name: "Ann Lee"}) || s.Authors["bob"] != (Author{Key: "bob", Name: "Bob Roe", URL: "https://bob.example"}) {
			t.Errorf("Authors = %+v", s.Authors)
		}
		if want := []MenuItem{{"Home", "/"}, {"Source", "https://github.com/x/y"}}; !slices.Equal(s.Menu, want) {
			t.Errorf("Menu = %+v, want %+v", s.Menu, want)
		}
		a, _ := site.Article("/articles/a")
		if !strings.Contains(string(a.HTML), "<b>raw</b>") {
			t.Errorf("with unsafe_html the article is %s, want its raw HTML kept", a.HTML)
		}
	})
	t.Run("both site.yaml and site.yml are a problem", func(t *testing.T) {
		t.Parallel()
		_, err := Load(fstest.MapFS{"a.md": article(""), "site.yaml": {Data: []byte("title: A\n")}, "site.yml": {Data: []byte("title: B\n")}})
		if err == nil || !strings.Contains(err.Error(), "site.yml:1: site.yaml is also here") {
			t.Errorf("err = %v, want site.yml:1 reported", err)
		}
	})
	t.Run("a slug that is not an author's key is a warning", func(t *testing.T) {
		t.Parallel()
		site, err := Load(fstest.MapFS{"a.md": article("author: anne\n"), "site.yaml": {Data: []byte("authors:\n  ann: Ann Lee\n")}})
		if err != nil {
			t.Fatal(err)
		}
		if w := site.Warnings(); len(w) != 2 || w[0].String() != `a.md:5: warning: author "anne" is not a key of site.yaml's authors, so it is shown as a name` || !strings.Contains(w[1].String(), "raw HTML is dropped") {
			t.Errorf("warnings = %v", w)
		}
	})
}

func FuzzSettings(f *testing.F) {
	f.Add([]byte("title: T\nauthors:\n  ann: {name: Ann, url: https://a.example}\nmenu:\n  - {title: Home, url: /}\nhome: newest\npaginate: 5\n"))
	f.Add([]byte("menu: [\n"))
	f.Add([]byte("- a\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		_, lms := decodeSettings(src)
		lines := strings.Count(string(src), "\n") + 1
		for _, lm := range lms {
			if lm.line < 1 || lm.line > lines {
				t.Errorf("decodeSettings(%q): problem %q at line %d, outside the file (%d lines)", src, lm.msg, lm.line, lines)
			}
		}
	})
}

// TestCachedArticlesKeepTheirWarnings: content written elsewhere has an
// unknown key in every file; it is still cached, and a warm load warns (and
// under Strict fails) as a cold one does.
func TestCachedArticlesKeepTheirWarnings(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"a.md": {Data: []byte("---\ntitle: T\ndescription: D\ndate: 2026-11-01\nweight: 3\n---\nBody.\n")}}
	c := newMapCache()
	for _, load := range []string{"cold", "warm"} {
		site, err := LoadWith(fsys, Options{Cache: c})
		if err != nil {
			t.Fatalf("%s load: %v", load, err)
		}
		if w := site.Warnings(); len(w) != 1 || w[0].String() != `a.md:5: warning: unknown key "weight"` {
			t.Errorf("%s load: warnings %v, want the unknown key", load, w)
		}
	}
	if c.hits != 1 || len(c.m) != 1 {
		t.Errorf("%d hits, %d entries; want the warm load to hit the one entry", c.hits, len(c.m))
	}
	if _, err := LoadWith(fsys, Options{Cache: c, Strict: true}); err == nil || !strings.Contains(err.Error(), `a.md:5: unknown key "weight"`) {
		t.Errorf("strict load from the cache: err = %v, want the unknown key as an error", err)
	}
}
