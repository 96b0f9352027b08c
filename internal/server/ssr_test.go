package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/renderwise/renderwise/internal/page"
)

// TestSSRArticleIsCurrentForEveryRequest: an SSR article shows the time
// of each request and its file as it is at the request, whatever the
// server kept of the HTML around them; gzip decodes to the identity page.
func TestSSRArticleIsCurrentForEveryRequest(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	const path = "/articles/rendering/ssr"
	rendered := func(body string) string {
		i := strings.Index(body, "Rendered for you at <time")
		if i < 0 {
			t.Fatalf("no delivery sentence in\n%.400s", body)
		}
		return body[i : i+strings.Index(body[i:], "</span>")]
	}
	first := ts.get(t, path).Body.String()
	ts.clock.Advance(3 * time.Second)
	second := ts.get(t, path).Body.String()
	if rendered(first) == rendered(second) {
		t.Errorf("two requests 3 s apart: the same sentence %q", rendered(first))
	}
	if !strings.Contains(second, `<p class="render-time">This page was rendered in`) || strings.ContainsRune(second, 0) {
		t.Error("the foot of the page lacks its time, or a hole mark reached the reader")
	}
	ts.edit("rendering/ssr.md", strings.Replace(string(ts.fsys["rendering/ssr.md"].Data), "Rendered for you.", "Edited a moment ago.", 1))
	if b := ts.get(t, path).Body.String(); !strings.Contains(b, "Edited a moment ago.") {
		t.Error("the next request after the file changed does not show the change")
	}

	zipped := ts.do(t, http.MethodGet, path, map[string]string{"Accept-Encoding": "gzip"})
	plain := ts.get(t, path).Body.String()
	zr, err := gzip.NewReader(bytes.NewReader(zipped.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("the gzip answer does not decode: %v", err)
	}
	took := regexp.MustCompile(`rendered in [^<]*`) // real time, differs per request
	if zipped.Header().Get("Content-Encoding") != "gzip" || took.ReplaceAllString(string(unzipped), "") != took.ReplaceAllString(plain, "") {
		t.Errorf("gzip (%q) does not decode to the identity page", zipped.Header().Get("Content-Encoding"))
	}
}

// TestSSRShellKeptWhileTheSiteIsTheSame: the HTML around an SSR article's
// holes is rendered once per version of the site.
func TestSSRShellKeptWhileTheSiteIsTheSame(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	site := ts.srv.content.Site()
	rt, _ := page.Resolve(site, "/articles/rendering/ssr")
	a, err := ts.srv.builder.SSRShell(context.Background(), site, rt)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := ts.srv.builder.SSRShell(context.Background(), site, rt); b != a {
		t.Error("the same site: the shell was rendered again")
	}
	if len(a.Slots) != 2 || a.Slots[0].Name != page.HoleRendered || a.Slots[1].Name != page.HoleTook {
		t.Errorf("slots %+v, want the delivery sentence and the foot", a.Slots)
	}
	ts.edit("rendering/ssr.md", strings.Replace(string(ts.fsys["rendering/ssr.md"].Data), "Rendered for you.", "Changed.", 1))
	site2, err := ts.srv.renderer.Site(rt.Path)
	if err != nil {
		t.Fatal(err)
	}
	rt2, _ := page.Resolve(site2, rt.Path)
	if b, _ := ts.srv.builder.SSRShell(context.Background(), site2, rt2); b == a || !bytes.Contains(bytes.Join(b.Pieces, nil), []byte("Changed.")) {
		t.Error("after the file changed: the old shell")
	}
}
