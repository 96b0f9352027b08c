//go:build e2e

package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// apiTotal asks /api/search directly how many articles match q.
func apiTotal(t *testing.T, q string) int {
	t.Helper()
	resp, err := http.Get(baseURL + "/api/search?q=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Total int }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Total == 0 {
		t.Fatalf("/api/search?q=%s finds nothing; pick a query that matches", q)
	}
	return out.Total
}

// TestSearchAsYouType: with JavaScript, typing in #q shows results from
// /api/search without leaving the page, and the address keeps the query.
func TestSearchAsYouType(t *testing.T) {
	t.Parallel()
	const q = "stream"
	total := apiTotal(t, q)
	tb := newTab(t, tabOptions{viewport: phone})
	tb.open("/search", 200)
	if n := eval[int](tb, `document.querySelectorAll(".search-results li").length`); n != 0 {
		t.Fatalf("the empty search page shows %d results", n)
	}
	// A mark on the window: it survives only if the page is not reloaded.
	eval[bool](tb, `window.stayed = true`)
	tb.do("type the query", chromedp.SendKeys(chromedp.ID("q"), q))
	tb.waitFor("results for "+q, `document.querySelectorAll(".search-results li").length > 0`)
	tb.waitFor("the address to keep the query", `location.search === "?q=`+q+`"`)
	if !eval[bool](tb, `window.stayed === true`) {
		t.Error("typing reloaded the page; want results fetched in place")
	}
	if got := tb.text(".search-count"); !strings.HasPrefix(got, strconv.Itoa(total)+" ") {
		t.Errorf("count %q, want %d results like /api/search", got, total)
	}
	marks := eval[[]string](tb, `[...document.querySelectorAll(".search-results mark")].map(m => m.textContent.toLowerCase())`)
	if len(marks) == 0 || !strings.HasPrefix(marks[0], q) {
		t.Errorf("matches highlighted: %q, want words starting with %q", marks, q)
	}
	// A result is a link to its article.
	tb.follow(".search-results li:first-child a.card-title")
	if !strings.HasPrefix(tb.path(), "/articles/") {
		t.Errorf("the first result led to %s", tb.path())
	}
}

// TestSearchWithoutJavaScript: with scripts off, the form submits to /search
// and the server renders the same results.
func TestSearchWithoutJavaScript(t *testing.T) {
	t.Parallel()
	const q = "event loop"
	total := apiTotal(t, q)
	tb := newTab(t, tabOptions{viewport: desktop, noJS: true})
	tb.open("/search", 200)
	scriptsOff(tb)
	tb.do("type the query", chromedp.SendKeys(chromedp.ID("q"), q))
	tb.follow(`.search-form button[type="submit"]`)
	if got := tb.path(); got != "/search?q=event+loop" {
		t.Errorf("the form went to %s, want /search?q=event+loop", got)
	}
	if got := tb.text(".search-count"); !strings.HasPrefix(got, strconv.Itoa(total)+" ") {
		t.Errorf("count %q, want %d results like /api/search", got, total)
	}
	if got := eval[string](tb, `document.getElementById("q").value`); got != q {
		t.Errorf("the field holds %q after the search, want %q", got, q)
	}
	if n := eval[int](tb, `document.querySelectorAll(".search-results li").length`); n == 0 {
		t.Error("no results rendered on the server")
	}
}

// scriptsOff checks that the page's scripts really did not run: theme.js
// marks the pressed theme button on every page.
func scriptsOff(tb *tab) {
	tb.t.Helper()
	if eval[bool](tb, `document.querySelector(".theme-buttons button").hasAttribute("aria-pressed")`) {
		tb.t.Fatal("the page's scripts ran in a tab with JavaScript disabled")
	}
}
