package server

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestLabMeasuresEveryMode: /lab is rendered for the request with one row
// per mode whose article exists, each with the status and cache the
// server's own fetch got; ?delay= slows the SSR and PPR fetches only.
func TestLabMeasuresEveryMode(t *testing.T) {
	t.Parallel()
	fsys := fixture()
	fsys["rendering/ppr.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Partial prerendering\ndescription: A shell with holes.\ndate: 2026-11-12\nrender: ppr\n---\nShell.\n")}
	ts := newTestSiteFS(t, Config{}, fsys)
	rec := ts.get(t, "/lab")
	if rec.Code != 200 || rec.Header().Get("X-Render-Mode") != "ssr" || rec.Header().Get("Cache-Control") != cachePrivate {
		t.Fatalf("GET /lab: %d %v", rec.Code, rec.Header())
	}
	d := doc(t, rec.Body.String())
	rows := d.Find("tr[data-lab-url]")
	if rows.Length() != 4 {
		t.Fatalf("%d rows, want one per mode (ssg, isr, ssr, ppr)", rows.Length())
	}
	want := map[string]string{"ssg": "HIT", "isr": "HIT", "ssr": "—", "ppr": "—"}
	for i := range rows.Length() {
		row := rows.Eq(i)
		mode := strings.TrimSpace(row.Find("th").Text())
		if got := row.Find(`[data-lab="status"]`).Text(); got != "200" {
			t.Errorf("%s: status %q", mode, got)
		}
		if got := row.Find(`[data-lab="cache"]`).Text(); got != want[mode] {
			t.Errorf("%s: X-Cache %q, want %q", mode, got, want[mode])
		}
		if got := row.Find(`[data-lab="ttfb"]`).Text(); !strings.HasSuffix(got, " ms") && !strings.HasSuffix(got, " µs") {
			t.Errorf("%s: first byte %q", mode, got)
		}
	}
	if got, _ := d.Find(`tr[data-lab-url]`).Eq(3).Attr("data-lab-url"); got != "/articles/rendering/ppr" {
		t.Errorf("PPR row fetches %q", got)
	}

	start := time.Now()
	slow := doc(t, ts.get(t, "/lab?delay=200").Body.String())
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Errorf("/lab?delay=200 took %v: the SSR and PPR fetches should each wait 200 ms", took)
	}
	urls := slow.Find("tr[data-lab-url]").Map(func(_ int, s *goquery.Selection) string { v, _ := s.Attr("data-lab-url"); return v })
	if strings.Join(urls, " ") != "/articles/rendering/ssg /articles/rendering/isr /articles/rendering/ssr?delay=200 /articles/rendering/ppr?delay=200" {
		t.Errorf("lab URLs with a delay: %q", urls)
	}
	if rec := ts.get(t, "/lab?delay=x"); rec.Code != 400 {
		t.Errorf("/lab?delay=x: %d, want 400", rec.Code)
	}
}
