package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// componentFS is a small site whose article shows a file beside it.
func componentFS() fstest.MapFS {
	return fstest.MapFS{
		"node/server.md": {Data: []byte("---\ntitle: Server\ndescription: A server.\ndate: 2026-11-05\n---\n## Code\n\n{{< code file=\"server.js\" lines=\"2\" >}}\n")},
		"node/server.js": {Data: []byte("// a server\nconst http = require('node:http');\n"), ModTime: time.Unix(1, 0)},
	}
}

func TestComponentProblemsHaveFileAndLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"a missing file to include", "Text.\n\n{{< code file=\"missing.js\" >}}\n", "node/server.md:8: code: node/missing.js does not exist"},
		{"an unknown component", "{{< gallery >}}\n", `node/server.md:6: unknown component "gallery"`},
		{"a file outside the content folder", "{{< include file=\"../../etc/passwd\" >}}\n", "node/server.md:6: include: ../../etc/passwd is outside the content folder"},
		{"a hidden file", "{{< code file=\".env\" >}}\n", "node/server.md:6: code: node/.env is hidden"},
		{"an absolute name", "{{< code file=\"/etc/passwd\" >}}\n", "node/server.md:6: code: /etc/passwd must be relative to the article's folder"},
		{"a bad argument", "## T\n\n{{< callout type=\"danger\" >}}\nx\n{{< /callout >}}\n", `node/server.md:8: callout: type "danger" is not one of note, tip, warning`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := componentFS()
			fsys["node/server.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Server\ndescription: A server.\ndate: 2026-11-05\n---\n" + tt.body)}
			fsys[".env"] = &fstest.MapFile{Data: []byte("SECRET=1")}
			fsys["node/.env"] = &fstest.MapFile{Data: []byte("SECRET=1")}
			_, err := Load(fsys)
			var pe *ProblemsError
			if !errors.As(err, &pe) {
				t.Fatalf("Load: err = %v, want problems", err)
			}
			if got := pe.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("Load problems:\n%s\nwant one containing\n%s", got, tt.want)
			}
		})
	}
}

func TestIncludedFilesAreShownAndNotWarnedAbout(t *testing.T) {
	t.Parallel()
	site, err := Load(componentFS())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := site.Article("/articles/node/server")
	if !strings.Contains(string(a.HTML), "require") || strings.Contains(string(a.HTML), "a server") || !a.HasCode {
		t.Errorf("HTML = %s, want line 2 of server.js as code", a.HTML)
	}
	for _, w := range site.Warnings() {
		if w.File == "node/server.js" {
			t.Errorf("warning %v for a file an article includes", w)
		}
	}
}

func TestStrayShortcodeIsAWarning(t *testing.T) {
	t.Parallel()
	fsys := componentFS()
	fsys["node/server.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Server\ndescription: A server.\ndate: 2026-11-05\n---\nIntro.\n\n{{image cover.png}}\n")}
	for _, c := range []Cache{nil, newMapCache()} {
		site, err := LoadCached(fsys, c)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range site.Warnings() {
			got = append(got, w.String())
		}
		want := "node/server.md:8: warning: {{image cover.png}} is shown as text"
		if len(got) == 0 || !strings.HasPrefix(got[len(got)-1], want) {
			t.Errorf("warnings = %q, want one starting %q", got, want)
		}
	}
}

func TestLoadCachedRendersAgainWhenAnIncludedFileChanges(t *testing.T) {
	t.Parallel()
	fsys := componentFS()
	c := newMapCache()
	first, err := LoadCached(fsys, c)
	if err != nil {
		t.Fatal(err)
	}
	c.reset()
	again, err := LoadCached(fsys, c)
	if err != nil {
		t.Fatal(err)
	}
	a1, _ := first.Article("/articles/node/server")
	a2, _ := again.Article("/articles/node/server")
	if c.hits != 1 || c.puts != 0 || a1.Digest() != a2.Digest() {
		t.Errorf("unchanged files: %d hits, %d puts, digests %s and %s; want a hit and the same digest", c.hits, c.puts, a1.Digest(), a2.Digest())
	}

	fsys["node/server.js"] = &fstest.MapFile{Data: []byte("// a server\nconst https = require('node:https');\n"), ModTime: time.Unix(2, 0)}
	c.reset()
	changed, err := LoadCached(fsys, c)
	if err != nil {
		t.Fatal(err)
	}
	a3, _ := changed.Article("/articles/node/server")
	if !strings.Contains(string(a3.HTML), "node:https") || c.puts != 1 || a3.Digest() == a1.Digest() {
		t.Errorf("after the included file changed: %d puts, digest changed %v, HTML %s; want it rendered again", c.puts, a3.Digest() != a1.Digest(), a3.HTML)
	}

	delete(fsys, "node/server.js")
	if _, err := LoadCached(fsys, c); err == nil || !strings.Contains(err.Error(), "node/server.md:8: code: node/server.js does not exist") {
		t.Errorf("after the included file was deleted: err = %v, want the missing file at the shortcode's line", err)
	}
}

func TestStoreNoticesAnIncludedFileChange(t *testing.T) {
	t.Parallel()
	fsys := componentFS()
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore(fsys, site)
	fsys["node/server.js"] = &fstest.MapFile{Data: []byte("// a server\nconst net = require('node:net');\n"), ModTime: time.Unix(2, 0)}
	a, err := st.Refresh("/articles/node/server")
	if err != nil || !strings.Contains(string(a.HTML), "node:net") {
		t.Fatalf("Refresh after the included file changed = %v; want the new code", err)
	}
	delete(fsys, "node/server.js")
	probs, err := st.Reload()
	if err != nil || len(probs) != 1 || probs[0].String() != "node/server.md:8: code: node/server.js does not exist" {
		t.Errorf("Reload after the included file was deleted = %v, %v; want its problem", probs, err)
	}
}
