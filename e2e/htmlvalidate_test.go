//go:build e2e

package e2e

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestHTMLValid runs html-validate (.ci/.htmlvalidate.json, which extends
// html-validate:recommended) over every page kind as the server sends it,
// and over the document after the page's scripts changed it (copy buttons,
// search results typed in, the ISR check): zero errors.
func TestHTMLValid(t *testing.T) {
	t.Parallel()
	bin := needTool(t, "html-validate/bin/html-validate.mjs")
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node is required in CI: %v", err)
		}
		t.Skipf("no node: %v", err)
	}
	dir := t.TempDir()
	var files []string
	save := func(name, html string) {
		p := filepath.Join(dir, name+".html")
		if err := os.WriteFile(p, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}

	// As served: the bytes a crawler or a reader without scripts gets.
	for _, pk := range pageKinds {
		resp, err := http.Get(baseURL + pk.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if int64(resp.StatusCode) != pk.status {
			t.Errorf("GET %s: %d, want %d", pk.path, resp.StatusCode, pk.status)
		}
		save("served-"+pk.name, string(body))
	}

	// The rest of the site, as served.
	for _, p := range sitemapPaths(t) {
		resp, err := http.Get(baseURL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", p, resp.StatusCode, err)
		}
		save("sitemap-"+unsafeName.ReplaceAllString(strings.Trim(p, "/"), "_"), string(body))
	}

	// After scripts: the live document, serialized.
	tb := newTab(t, tabOptions{viewport: phone})
	live := func(name string) {
		save("live-"+name, "<!doctype html>\n"+eval[string](tb, `document.documentElement.outerHTML`))
	}
	for _, pk := range pageKinds {
		tb.open(pk.path, pk.status)
		live(pk.name)
	}
	tb.open("/search", 200)
	tb.do("type a query", chromedp.SendKeys(chromedp.ID("q"), "cache"))
	tb.waitFor("results", `document.querySelectorAll(".search-results li").length > 0`)
	live("search-typed")
	tb.open("/articles/rendering/isr", 200)
	tb.do("check the cache", chromedp.Click(chromedp.CSS(".isr-check-button"), chromedp.NodeVisible))
	tb.waitFor("the answer", `/X-Cache/.test(document.querySelector(".isr-check-result").textContent)`)
	live("isr-checked")

	args := append([]string{bin, "--config", filepath.Join(repoRoot, ".ci", ".htmlvalidate.json"), "--formatter", "text"}, files...)
	out, err := exec.Command(node, args...).CombinedOutput()
	if err != nil {
		t.Errorf("html-validate over %d documents: %v\n%s", len(files), err, out)
	} else {
		t.Logf("html-validate: %d documents, no errors", len(files))
	}
}
