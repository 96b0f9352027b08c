//go:build e2e

package e2e

import (
	"strings"
	"testing"
)

// TestLab: without scripts the lab shows the server's measurements; with
// them the browser fetches every mode itself and says so.
func TestLab(t *testing.T) {
	t.Parallel()
	t.Run("without JavaScript", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: phone, noJS: true})
		tb.open("/lab", 200)
		scriptsOff(tb)
		if got := tb.text(".lab-source"); got != "Measured by the server, on this request" {
			t.Errorf("caption %q", got)
		}
		if n := eval[int](tb, `document.querySelectorAll("tr[data-lab-url]").length`); n != 4 {
			t.Errorf("%d rows, want ssg, isr, ssr and ppr", n)
		}
		if got := tb.text(`tr[data-lab-url] [data-lab="status"]`); got != "200" {
			t.Errorf("first row's status %q", got)
		}
	})
	t.Run("with JavaScript", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: desktop})
		tb.open("/lab?delay=300", 200)
		tb.waitFor("the browser's measurements", `document.documentElement.dataset.labDone === "true"`)
		if got := tb.text(".lab-source"); got != "Measured by your browser just now" {
			t.Errorf("caption %q", got)
		}
		ttfb := eval[[]string](tb, `[...document.querySelectorAll('[data-lab="ttfb"]')].map(c => c.textContent)`)
		if len(ttfb) != 4 || !strings.HasSuffix(ttfb[2], " ms") {
			t.Fatalf("first-byte cells %q", ttfb)
		}
		ssr := eval[float64](tb, `parseFloat(document.querySelectorAll('[data-lab="ttfb"]')[2].textContent)`)
		ppr := eval[float64](tb, `parseFloat(document.querySelectorAll('[data-lab="ttfb"]')[3].textContent)`)
		if ssr < 300 || ppr >= 300 {
			t.Errorf("with a 300 ms data source, SSR's first byte %.0f ms (want ≥ 300: it waits) and PPR's %.0f ms (want < 300: the shell goes first)", ssr, ppr)
		}
		tb.screenshot("lab")
	})
}
