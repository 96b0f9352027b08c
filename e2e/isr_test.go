//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/renderwise/renderwise/internal/cli"
)

// The countdown is watched on a second server whose content is the course
// with the ISR article's interval cut from 30 to 3 seconds, so a test sees
// HIT, STALE and HIT again in seconds rather than a minute.
var (
	shortISROnce sync.Once
	shortISRURL  string
	shortISRErr  error
)

const shortInterval = 3 * time.Second

// shortISRServer starts that server once, for the tests that need it; it
// stops with the test binary.
func shortISRServer(t *testing.T) string {
	t.Helper()
	shortISROnce.Do(func() { shortISRURL, shortISRErr = startShortISR() })
	if shortISRErr != nil {
		t.Fatalf("short-interval server: %v", shortISRErr)
	}
	return shortISRURL
}

func startShortISR() (string, error) {
	dir, err := os.MkdirTemp("", "renderwise-short-isr-")
	if err != nil {
		return "", err
	}
	src := filepath.Join(repoRoot, "articles")
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == filepath.Join("rendering", "isr.md") {
			b = []byte(strings.Replace(string(b), "\nrevalidate: 30s\n", fmt.Sprintf("\nrevalidate: %s\n", shortInterval), 1))
		}
		out := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	u := "http://" + ln.Addr().String()
	go cli.Serve(context.Background(), cli.ServeConfig{Addr: ln.Addr().String(), Content: dir, BaseURL: u, LogFormat: "json", QuietAccess: true}, ln, &serverLog)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(u + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return u, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "", fmt.Errorf("%s/readyz did not answer 200 within 60s", u)
}

// openURL navigates to a full URL (another server than the shared one).
func (tb *tab) openURL(u string) {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		tb.t.Fatalf("open %s: %v", u, err)
	}
	if resp.Status != 200 {
		tb.t.Fatalf("open %s: status %d", u, resp.Status)
	}
}

// clockTimes are the times a text shows in the panel's clock format.
var clockTimes = regexp.MustCompile(`\b\d{2}:\d{2}:\d{2} UTC\b`)

// A past moment must never be said to come: the copy is served long after
// it was generated.
var futureStale = regexp.MustCompile(`(?i)(turns|becomes|will be|goes) stale`)

// TestISRCountdown: the panel of an ISR page says when its copy stops being
// fresh in words that are true whenever the copy is read; with scripts it
// counts down to that moment and re-checks the cache, showing STALE with
// the old generation time and then HIT with the new one.
func TestISRCountdown(t *testing.T) {
	t.Parallel()
	site := shortISRServer(t)
	page := site + "/articles/rendering/isr"

	t.Run("without JavaScript the text is true after the interval too", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: phone, noJS: true})
		tb.openURL(page)
		scriptsOff(tb)
		first := tb.text(".delivery")
		// Past the interval the same copy is served once more (STALE).
		time.Sleep(shortInterval + 500*time.Millisecond)
		tb.openURL(page)
		again := tb.text(".delivery")
		for _, text := range []string{first, again} {
			if futureStale.MatchString(text) {
				t.Errorf("the panel says a moment turns stale, though it may be past: %q", text)
			}
			if !strings.Contains(text, "Fresh until ") || len(clockTimes.FindAllString(text, -1)) != 2 {
				t.Errorf("the panel should give the generation and the end of freshness as HH:MM:SS UTC: %q", text)
			}
		}
		if !eval[bool](tb, `getComputedStyle(document.querySelector(".isr-check")).display === "none"`) {
			t.Error("the check box shows without JavaScript, where it cannot work")
		}
	})

	t.Run("with JavaScript it counts down, then shows STALE and HIT", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: phone})
		tb.openURL(page)
		// Every answer the box shows, in order.
		eval[chromedp.Void](tb, `(() => {
			const out = document.querySelector(".isr-check-result");
			window.seen = [];
			new MutationObserver(() => {
				const t = out.textContent;
				if (t !== "…" && t !== window.seen.at(-1)) window.seen.push(t);
			}).observe(out, {childList: true, characterData: true, subtree: true});
		})()`)
		tb.waitFor("the countdown", `/fresh for \d+ s more, until \d\d:\d\d:\d\d UTC/i.test(document.querySelector(".delivery-stale").textContent)`)
		first := tb.text(".delivery-stale")
		time.Sleep(1100 * time.Millisecond)
		if next := tb.text(".delivery-stale"); next == first {
			t.Errorf("the countdown did not move in a second: %q", next)
		}
		// STALE with a generation time, then HIT with a later one.
		const staleThenHit = `(() => {
			const re = /^X-Cache: (HIT|STALE) · generated (\d\d:\d\d:\d\d) UTC · ETag /;
			const s = window.seen.map(t => re.exec(t)).filter(Boolean);
			const i = s.findIndex(m => m[1] === "STALE");
			return i >= 0 && s.slice(i + 1).some(m => m[1] === "HIT" && m[2] > s[i][2]);
		})()`
		ctx, cancel := context.WithTimeout(tb.ctx, 4*shortInterval+10*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](staleThenHit, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
			t.Fatalf("the box never showed STALE and then HIT with a newer generation time: %q (%v)", eval[[]string](tb, `window.seen`), err)
		}
		for _, s := range eval[[]string](tb, `window.seen`) {
			if !regexp.MustCompile(`^X-Cache: (HIT|STALE) · generated \d\d:\d\d:\d\d UTC · ETag "`).MatchString(s) {
				t.Errorf("the box showed %q, want X-Cache, the generation time as HH:MM:SS UTC and the ETag", s)
			}
		}
		if text := tb.text(".delivery"); futureStale.MatchString(text) {
			t.Errorf("the countdown says a moment turns stale: %q", text)
		}
	})
}
