//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
)

// TestPPRHolesArriveWithoutScripts: with JavaScript off, the PPR article's
// shell shows at once with the live part's fallback; the hole arrives later
// in the same response and the fallback goes, by CSS alone.
func TestPPRHolesArriveWithoutScripts(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: phone, noJS: true})
	// Navigate returns once the document starts to arrive, not at its end.
	tb.do("open the PPR article", call(page.Navigate, page.NavigateParams{URL: baseURL + "/articles/rendering/ppr?delay=1500"}))
	// Polled from here: chromedp's Poll runs its loop on the page's timers,
	// which do not run with scripts off.
	poll := func(what, cond string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !eval[bool](tb, cond); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s: %s stayed false", what, cond)
			}
		}
	}
	poll("the shell with the live part's fallback",
		`(() => { const f = document.querySelector(".ppr-fallback"); return !!f && getComputedStyle(f).display !== "none" && !document.querySelector(".ppr-filled") && !!document.querySelector(".delivery-hole") })()`)
	start := time.Now()
	poll("the hole, and the fallback hidden",
		`(() => { const f = document.querySelector(".ppr-fallback"); return !!document.querySelector(".ppr-filled") && getComputedStyle(f).display === "none" })()`)
	if waited := time.Since(start); waited < 500*time.Millisecond {
		t.Errorf("the hole arrived %v after the fallback, want about 1.5 s (?delay=1500)", waited)
	}
	scriptsOff(tb)
	if got := tb.text(".ppr-filled"); got == "" {
		t.Error("the live part is empty")
	}
	tb.screenshot("ppr-filled")
}
