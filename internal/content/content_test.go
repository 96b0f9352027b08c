package content

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const good = `---
title: The event loop
description: How Node.js runs many connections on one thread.
date: 2026-11-05
tags: [nodejs, runtime]
series: course
order: 3
---
## Phases

Body text with a [link](/articles/b).
`

func TestFrontMatterRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		src     string
		line    int
		msg     string
		warning bool // a warning: the file still loads
		strict  bool // loaded with Options.Strict
		file    string
	}{
		{name: "a file without front matter is rejected", src: "# Title\n", line: 1, msg: "must start with a front matter block"},
		{name: "an unclosed front matter block is rejected", src: "---\ntitle: x\n", line: 1, msg: "not closed"},
		{name: "an unknown key is a warning at its line", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nauthr: me\n---\n", line: 5, msg: `unknown key "authr"`, warning: true},
		{name: "an unknown key is an error when strict", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nauthr: me\n---\n", line: 5, msg: `unknown key "authr"`, strict: true},
		{name: "a date with a time must be RFC 3339", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01 10:00\n---\n", line: 4, msg: `date must be a date such as 2026-11-20 or 2026-11-20T09:30:00Z, not "2026-11-01 10:00"`},
		{name: "updated before date is compared by time", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-05T10:00:00Z\nupdated: 2026-11-05T09:00:00Z\n---\n", line: 5, msg: "updated (2026-11-05T09:00:00Z) is before date (2026-11-05T10:00:00Z)"},
		{name: "a tag with nothing to make a URL of is rejected", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\ntags: [go, \"!!!\"]\n---\n", line: 5, msg: `tags: "!!!" has no letters or digits to make a URL of`},
		{name: "a tag must still be a string, not a list", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\ntags: [[go]]\n---\n", line: 5, msg: "tags must be a list of strings"},
		{name: "author and authors together are rejected", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nauthor: Ann\nauthors: [Bob]\n---\n", line: 6, msg: "authors repeats author (line 5): use one of them"},
		{name: "an empty author is rejected", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nauthors: [Ann, \" \"]\n---\n", line: 5, msg: "authors must not be empty"},
		{name: "an author must be a name, not a mapping", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nauthor: {name: Ann}\n---\n", line: 5, msg: "author must be a string"},
		{name: "a long summary is cut to make the description", src: "---\ntitle: T\nsummary: " + strings.Repeat("word ", 40) + "\ndate: 2026-11-01\n---\n", line: 3, msg: "summary is 199 characters; its first 155 make the description", warning: true},
		{name: "a summary does not stand for a missing title", src: "---\nsummary: S\ndate: 2026-11-01\n---\n", line: 4, msg: `missing required key "title"`},
		{name: "an alias must not hold a query", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\naliases: [\"/old?page=2\"]\n---\n", line: 5, msg: `alias "/old?page=2" must be a site path`},
		{name: "a cache tag is one lower-case word", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\ncache_tags: [ok, \"article:/x\"]\n---\n", line: 5, msg: `cache tag "article:/x" must be lower-case letters`},
		{name: "an alias must be a clean path", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\naliases: [/old/../x]\n---\n", line: 5, msg: `alias "/old/../x" must be a site path`},
		{name: "a file name with nothing to make a URL of is rejected", file: "!!!.md", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\n---\n", line: 1, msg: "file name has a folder or name with no letters or digits"},
		{name: "a missing title is reported at the closing line", src: "---\ndescription: D\ndate: 2026-11-01\n---\n", line: 4, msg: `missing required key "title"`},
		{name: "a missing description is reported", src: "---\ntitle: T\ndate: 2026-11-01\n---\n", line: 4, msg: `missing required key "description"`},
		{name: "a missing date is reported", src: "---\ntitle: T\ndescription: D\n---\n", line: 4, msg: `missing required key "date"`},
		{name: "a title must be a string", src: "---\ntitle: [a, b]\ndescription: D\ndate: 2026-11-01\n---\n", line: 2, msg: "title must be a string"},
		{name: "an empty title is rejected", src: "---\ntitle: \"  \"\ndescription: D\ndate: 2026-11-01\n---\n", line: 2, msg: "title must not be empty"},
		{name: "a long description is rejected", src: "---\ntitle: T\ndescription: " + strings.Repeat("x", 161) + "\ndate: 2026-11-01\n---\n", line: 3, msg: "description is 161 characters"},
		{name: "a malformed date is rejected", src: "---\ntitle: T\ndescription: D\ndate: 20 Nov 2026\n---\n", line: 4, msg: "date must be a date such as"},
		{name: "updated before date is rejected", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-05\nupdated: 2026-11-01\n---\n", line: 5, msg: "is before date"},
		{name: "tags must be a list", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\ntags: nodejs\n---\n", line: 5, msg: "tags must be a list"},
		{name: "render must be a known mode", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nrender: csr\n---\n", line: 5, msg: `render must be ssg, isr, ssr or ppr, not "csr"`},
		{name: "isr needs revalidate", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nrender: isr\n---\n", line: 5, msg: "needs a revalidate interval"},
		{name: "revalidate is forbidden without isr", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nrevalidate: 60s\n---\n", line: 5, msg: "revalidate is only allowed with render: isr"},
		{name: "revalidate must be a duration", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nrender: isr\nrevalidate: soon\n---\n", line: 6, msg: `not "soon"`},
		{name: "draft must be a boolean", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\ndraft: maybe\n---\n", line: 5, msg: "draft must be true or false"},
		{name: "order must be a positive number", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nseries: s\norder: 0\n---\n", line: 6, msg: "order must be a positive whole number"},
		{name: "a series needs an order", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nseries: s\n---\n", line: 5, msg: "series needs an order"},
		{name: "an order needs a series", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\norder: 2\n---\n", line: 5, msg: "order needs a series"},
		{name: "aliases must be site paths", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\naliases: [old]\n---\n", line: 5, msg: `alias "old" must be a site path`},
		{name: "an unclosed list on the first line is reported there", src: "---\ntitle: [broken\n---\n", line: 2, msg: "front matter:"},
		{name: "an unclosed map is reported at its line", src: "---\ntitle: T\ndescription: {x\ndate: 2026-11-01\n---\n", line: 3, msg: "front matter:"},
		{name: "a YAML indentation error is reported at its line", src: "---\ntitle: T\n  description: D\ndate: 2026-11-01\n---\n", line: 3, msg: "front matter:"},
		{name: "a duplicate key is rejected", src: "---\ntitle: T\ntitle: U\ndescription: D\ndate: 2026-11-01\n---\n", line: 3, msg: `duplicate key "title" (first on line 2)`},
		{name: "malformed YAML is reported at its line", src: "---\ntitle: T\ndescription: D\ndate: [2026\n---\n", line: 4, msg: "front matter:"},
		{name: "a link to a missing article is reported at its line", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\n---\nintro\n\nsee [x](/articles/missing)\n", line: 8, msg: "links to /articles/missing, which is not an article"},
		{name: "a missing image is reported", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\n---\n![a picture](pic.png)\n", line: 6, msg: "links to /articles/pic.png, which does not exist"},
		{name: "a missing cover image is reported", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nimage: cover.png\n---\n", line: 5, msg: "links to /articles/cover.png, which does not exist"},
		{name: "a cover image outside the article's folder is rejected", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nimage: ../../etc/cover.png\n---\n", line: 5, msg: "must name a file in the article's folder"},
		{name: "a cover image given as a site path is rejected", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\nimage: /static/cover.png\n---\n", line: 5, msg: "must name a file in the article's folder"},
		{name: "a link to a file that is never published is reported", src: "---\ntitle: T\ndescription: D\ndate: 2026-11-01\n---\nsee [the demo](demo.html)\n", line: 6, msg: "links to /articles/demo.html, which is not published: not a published type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := cmp.Or(tt.file, "a.md")
			fsys := fstest.MapFS{file: {Data: []byte(tt.src)}}
			probs, loaded := problemsOf(t, fsys, Options{Strict: tt.strict})
			if loaded != tt.warning {
				t.Errorf("LoadWith(%q, strict %v) loaded = %v, want %v:\n%v", tt.src, tt.strict, loaded, tt.warning, probs)
			}
			for _, p := range probs {
				if p.File == file && p.Line == tt.line && strings.Contains(p.Msg, tt.msg) && p.Warning == tt.warning {
					return
				}
			}
			t.Errorf("LoadWith(%q) problems:\n%v\nwant %s:%d: …%s… (warning %v)", tt.src, probs, file, tt.line, tt.msg, tt.warning)
		})
	}
}

// problemsOf loads fsys and returns its problems (warnings included) and
// whether it loaded.
func problemsOf(t *testing.T, fsys fstest.MapFS, opts Options) ([]Problem, bool) {
	t.Helper()
	site, err := LoadWith(fsys, opts)
	var pe *ProblemsError
	switch {
	case errors.As(err, &pe):
		return pe.Problems, false
	case err != nil:
		t.Fatalf("LoadWith: %v", err)
	}
	return site.Warnings(), true
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.md":        {Data: []byte("---\ntitle: T\ndate: 2026-11-01\ncolour: red\n---\n")},
		"b.md":        {Data: []byte("no front matter")},
		"Bad Name.md": {Data: []byte(good)},
		"site.yaml":   {Data: []byte("title: T\nhome: front\n")},
	}
	_, err := Load(fsys)
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("Load error = %v, want problems", err)
	}
	want := []string{
		"Bad Name.md:11: links to /articles/b, which is not an article",
		"a.md:4: warning: unknown key",
		"a.md:5: missing required key \"description\"",
		"b.md:1: file must start with a front matter block",
		`site.yaml:2: home must be course or newest, not "front"`,
	}
	got := pe.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("problems:\n%s\nwant a line containing %q", got, w)
		}
	}
}

func TestDuplicateAliasesAndOrders(t *testing.T) {
	t.Parallel()
	fm := func(extra string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: T\ndescription: D\ndate: 2026-11-01\n" + extra + "---\n")}
	}
	fsys := fstest.MapFS{
		"a.md": fm("aliases: [/old]\nseries: s\norder: 1\n"),
		"b.md": fm("aliases: [/old, /articles/a]\nseries: s\norder: 1\n"),
	}
	_, err := Load(fsys)
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("Load error = %v, want problems", err)
	}
	got := pe.Error()
	for _, w := range []string{"b.md:5: alias /old is also an alias of a.md", "b.md:5: alias /articles/a is the path of a.md", "b.md:1: series s: order 1 is also used by a.md"} {
		if !strings.Contains(got, w) {
			t.Errorf("problems:\n%s\nwant %q", got, w)
		}
	}
}

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"a.md":         {Data: []byte(good)},
		"b.md":         {Data: []byte("---\ntitle: B\ndescription: D\ndate: 2026-11-07\ntags: [nodejs]\nseries: course\norder: 4\naliases: [/old-b]\n---\nB body\n")},
		"sub/c.md":     {Data: []byte("---\ntitle: C\ndescription: D\ndate: 2026-11-01\nseries: course\norder: 1\nrender: isr\nrevalidate: 30s\n---\n![loop](loop.svg)\n")},
		"sub/loop.svg": {Data: []byte("<svg/>")},
		"d.md":         {Data: []byte("---\ntitle: D\ndescription: D\ndate: 2026-11-09\ndraft: true\n---\n")},
	}
}

func TestSiteIndexes(t *testing.T) {
	t.Parallel()
	site, err := Load(testFS())
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, a := range site.Articles() {
		paths = append(paths, a.Path)
	}
	if got, want := strings.Join(paths, " "), "/articles/b /articles/a /articles/sub/c"; got != want {
		t.Errorf("Articles() = %s, want %s (newest first, no drafts)", got, want)
	}
	var series []string
	for _, a := range site.Series("course") {
		series = append(series, a.Path)
	}
	if got, want := strings.Join(series, " "), "/articles/sub/c /articles/a /articles/b"; got != want {
		t.Errorf("Series(course) = %s, want %s", got, want)
	}
	a, _ := site.Article("/articles/a")
	prev, next := site.Neighbours(a)
	if prev == nil || prev.Path != "/articles/sub/c" || next == nil || next.Path != "/articles/b" {
		t.Errorf("Neighbours(a) = %v, %v", prev, next)
	}
	tag, ok := site.Tag("nodejs")
	if !ok || len(tag.Articles) != 2 {
		t.Errorf("Tag(nodejs) = %+v, %v; want 2 articles", tag, ok)
	}
	if to, ok := site.Alias("/old-b"); !ok || to != "/articles/b" {
		t.Errorf("Alias(/old-b) = %q, %v", to, ok)
	}
	c, _ := site.Article("/articles/sub/c")
	if c.Render != ISR || c.Revalidate != 30*time.Second {
		t.Errorf("c: render %s revalidate %s, want isr 30s", c.Render, c.Revalidate)
	}
	if !strings.Contains(string(c.HTML), `src="/articles/sub/loop.svg"`) {
		t.Errorf("c.HTML = %s, want the image resolved beside the article", c.HTML)
	}
	if d, ok := site.Article("/articles/d"); !ok || !d.Draft {
		t.Errorf("Article(/articles/d) = %v, %v; want the draft", d, ok)
	}
}

func TestStoreRefresh(t *testing.T) {
	t.Parallel()
	fsys := testFS()
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore(fsys, site)
	edit := func(file, src string) {
		fsys[file] = &fstest.MapFile{Data: []byte(src), ModTime: time.Unix(int64(len(src)), 0).Add(time.Hour)}
	}

	edit("b.md", strings.Replace(string(fsys["b.md"].Data), "B body", "B edited", 1))
	a, err := st.Refresh("/articles/b")
	if err != nil || !strings.Contains(string(a.HTML), "B edited") {
		t.Fatalf("Refresh after edit = %v, %v; want the edited body", a, err)
	}

	edit("b.md", "---\ntitle: B\n---\n")
	_, err = st.Refresh("/articles/b")
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("Refresh of a broken file: err = %v, want problems", err)
	}
	if a, _ := st.Site().Article("/articles/b"); !strings.Contains(string(a.HTML), "B edited") {
		t.Errorf("after a broken edit the site has %s, want the last good article", a.HTML)
	}

	edit("new.md", "---\ntitle: N\ndescription: D\ndate: 2026-11-10\n---\nnew\n")
	if a, err := st.Refresh("/articles/new"); err != nil || a.Title != "N" {
		t.Errorf("Refresh of a new file = %v, %v", a, err)
	}
	if got := st.Site().Articles()[0].Path; got != "/articles/new" {
		t.Errorf("newest article = %s, want /articles/new", got)
	}

	delete(fsys, "new.md")
	if _, err := st.Refresh("/articles/new"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Refresh of a deleted file: err = %v, want ErrNotFound", err)
	}
	if _, ok := st.Site().Article("/articles/new"); ok {
		t.Error("a deleted article is still in the site")
	}
	if _, err := st.Refresh("/articles/../etc"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Refresh of an odd path: err = %v, want ErrNotFound", err)
	}
}

func TestStoreReloadKeepsLastGoodVersions(t *testing.T) {
	t.Parallel()
	fsys := testFS()
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore(fsys, site)
	fsys["a.md"] = &fstest.MapFile{Data: []byte("broken"), ModTime: time.Unix(1, 0)}
	fsys["e.md"] = &fstest.MapFile{Data: []byte("---\ntitle: E\ndescription: D\ndate: 2026-11-11\n---\n")}
	delete(fsys, "d.md")
	probs, err := st.Reload()
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 1 || probs[0].File != "a.md" {
		t.Errorf("Reload problems = %v, want one for a.md", probs)
	}
	s := st.Site()
	if _, ok := s.Article("/articles/a"); !ok {
		t.Error("a broken file lost its last good article")
	}
	if _, ok := s.Article("/articles/e"); !ok {
		t.Error("a new file was not added")
	}
	if _, ok := s.Article("/articles/d"); ok {
		t.Error("a deleted file is still served")
	}
}

func FuzzFrontMatter(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\ntitle: T\ndescription: D\ndate: 2026-11-01\nrender: isr\nrevalidate: 1h\n---\nbody"))
	f.Add([]byte("---\ntitle: 404\nsummary: S\ndate: 2026-11-01T09:30:00+02:00\ntags: [Go 1.21, 2024, C++]\nauthor: Ann\nweight: 3\n---\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		a, probs := parse(fstest.MapFS{}, "a.md", src)
		if a == nil && len(probs) == 0 {
			t.Fatalf("parse(%q) returned neither an article nor problems", src)
		}
		lines := strings.Count(string(src), "\n") + 1
		for _, p := range probs {
			if p.Line < 1 || p.Line > lines+1 {
				t.Errorf("parse(%q): problem %v has a line outside the file (%d lines)", src, p, lines)
			}
		}
	})
}

func TestRelated(t *testing.T) {
	t.Parallel()
	fm := func(title, extra string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndescription: D\ndate: 2026-11-01\n" + extra + "---\n")}
	}
	site, err := Load(fstest.MapFS{
		"a.md":     fm("Streams in Node", "tags: [nodejs, io]\nseries: s\norder: 1\n"),
		"b.md":     fm("Buffers", "tags: [nodejs, io]\n"),
		"c.md":     fm("The event loop", "series: s\norder: 2\n"),
		"d.md":     fm("Streams everywhere", ""),
		"e.md":     fm("Unrelated", "tags: [css]\n"),
		"draft.md": fm("Streams draft", "tags: [nodejs, io]\ndraft: true\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := site.Article("/articles/a")
	var got []string
	for _, r := range site.Related(a, 3) {
		got = append(got, r.Path)
	}
	// b shares two tags (4), c the series (3), d a title word (1); e nothing.
	if want := "/articles/b /articles/c /articles/d"; strings.Join(got, " ") != want {
		t.Errorf("Related(a) = %v, want %s", got, want)
	}
	if n := len(site.Related(a, 1)); n != 1 {
		t.Errorf("Related(a, 1) gave %d articles", n)
	}
}

func BenchmarkRelated(b *testing.B) {
	fsys := fstest.MapFS{}
	tags := []string{"nodejs", "nextjs", "rendering", "go", "css", "seo", "http", "cache"}
	for i := range 10000 {
		src := fmt.Sprintf("---\ntitle: Article %d about streams and caching\ndescription: D\ndate: 2026-11-01\ntags: [%s, %s]\n---\nBody.\n", i, tags[i%len(tags)], tags[(i/3)%len(tags)])
		fsys[fmt.Sprintf("a%d.md", i)] = &fstest.MapFile{Data: []byte(src)}
	}
	site, err := Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	list := site.Articles()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		site.Related(list[i%len(list)], 3)
		i++
	}
}
