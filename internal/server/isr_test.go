package server

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const isrPath = "/articles/rendering/isr"

func isrSource(body string) string {
	return "---\ntitle: Incremental static regeneration\ndescription: Static pages regenerated in the background.\ndate: 2026-11-10\ntags: [rendering, nextjs]\nseries: course\norder: 2\nrender: isr\nrevalidate: 30s\n---\n## Stale while revalidate\n\n" + body + "\n"
}

// TestISRTable walks DESIGN.md §4's ISR column against the real router,
// with a fake clock and the content changing underneath.
func TestISRTable(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	expect := func(status int, cache, contains string) {
		t.Helper()
		rec := ts.get(t, isrPath)
		if rec.Code != status || rec.Header().Get("X-Cache") != cache || !strings.Contains(rec.Body.String(), contains) {
			t.Fatalf("GET %s: %d X-Cache=%q, body has %q: %v; want %d %s with %q",
				isrPath, rec.Code, rec.Header().Get("X-Cache"), contains, strings.Contains(rec.Body.String(), contains), status, cache, contains)
		}
	}

	expect(200, "HIT", "Version one.")
	ts.edit("rendering/isr.md", isrSource("Version two."))
	ts.clock.Advance(29 * time.Second)
	expect(200, "HIT", "Version one.") // within the interval the edit is not seen

	ts.clock.Advance(time.Second)
	expect(200, "STALE", "Version one.") // stale served at once…
	ts.srv.cache.Wait()
	expect(200, "HIT", "Version two.") // …regenerated in the background

	// A broken edit: the regeneration fails and the last good page stays.
	ts.edit("rendering/isr.md", "---\ntitle: Broken\nrender: isr\n---\n")
	ts.clock.Advance(30 * time.Second)
	expect(200, "STALE", "Version two.")
	ts.srv.cache.Wait()
	expect(200, "HIT", "Version two.")
	if got := metricValue(t, ts, `renderwise_regenerations_total{result="error"}`); got != "1" {
		t.Errorf("failed regenerations metric = %s, want 1", got)
	}

	// Fixed: recovered after the next interval.
	ts.edit("rendering/isr.md", isrSource("Version three."))
	ts.clock.Advance(30 * time.Second)
	expect(200, "STALE", "Version two.")
	ts.srv.cache.Wait()
	expect(200, "HIT", "Version three.")

	// Deleted: 404 after the next regeneration.
	delete(ts.fsys, "rendering/isr.md")
	ts.clock.Advance(30 * time.Second)
	expect(200, "STALE", "Version three.")
	ts.srv.cache.Wait()
	if rec := ts.get(t, isrPath); rec.Code != 404 {
		t.Errorf("GET %s after the file was deleted: %d, want 404", isrPath, rec.Code)
	}
}

func TestNewFiles(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	ts.edit("late/isr.md", "---\ntitle: Late ISR\ndescription: Added after start.\ndate: 2026-11-12\nrender: isr\nrevalidate: 60s\n---\nLate body.\n")
	ts.edit("late/ssr.md", "---\ntitle: Late SSR\ndescription: Added after start.\ndate: 2026-11-12\nrender: ssr\n---\nLate SSR body.\n")
	ts.edit("late/ssg.md", "---\ntitle: Late SSG\ndescription: Added after start.\ndate: 2026-11-12\n---\nLate SSG body.\n")

	if rec := ts.get(t, "/articles/late/isr"); rec.Code != 200 || rec.Header().Get("X-Cache") != "MISS" {
		t.Errorf("a new ISR file: %d X-Cache=%q, want 200 MISS", rec.Code, rec.Header().Get("X-Cache"))
	}
	if rec := ts.get(t, "/articles/late/isr"); rec.Header().Get("X-Cache") != "HIT" {
		t.Errorf("a new ISR file, second request: X-Cache=%q, want HIT", rec.Header().Get("X-Cache"))
	}
	if rec := ts.get(t, "/articles/late/ssr"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Late SSR body.") {
		t.Errorf("a new SSR file: %d, want 200 with its body", rec.Code)
	}
	if rec := ts.get(t, "/articles/late/ssg"); rec.Code != 404 {
		t.Errorf("a new SSG file before a rebuild: %d, want 404", rec.Code)
	}
	delete(ts.fsys, "late/ssr.md")
	if rec := ts.get(t, "/articles/late/ssr"); rec.Code != 404 {
		t.Errorf("a deleted SSR file: %d, want 404", rec.Code)
	}
	// SSG pages do not change until a rebuild, whatever happens on disk.
	before := ts.get(t, "/articles/rendering/ssg").Body.String()
	ts.edit("rendering/ssg.md", strings.Replace(string(fixture()["rendering/ssg.md"].Data), "Build time", "Changed", 1))
	ts.clock.Advance(time.Hour)
	if after := ts.get(t, "/articles/rendering/ssg").Body.String(); after != before {
		t.Error("an SSG page changed without a rebuild")
	}
}

func TestStaleRequestsRegenerateOnce(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	ts.clock.Advance(31 * time.Second)
	before := metricValue(t, ts, `renderwise_renders_total{mode="isr"}`)
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if rec := ts.get(t, isrPath); rec.Code != 200 {
				t.Errorf("status %d", rec.Code)
			}
		})
	}
	wg.Wait()
	ts.srv.cache.Wait()
	after := metricValue(t, ts, `renderwise_renders_total{mode="isr"}`)
	if before == "" || after == "" || atoi(after)-atoi(before) != 1 {
		t.Errorf("ISR renders went from %s to %s for 200 stale requests, want one more", before, after)
	}
}

func TestOnDemandRevalidation(t *testing.T) {
	t.Parallel()
	post := func(ts *testSite, auth, body string) int {
		req := strings.NewReader(body)
		r, _ := http.NewRequest(http.MethodPost, "/api/revalidate", req)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		rec := newRecorder()
		ts.handler.ServeHTTP(rec, r)
		return rec.Code
	}
	disabled := newTestSite(t, Config{})
	if got := post(disabled, "Bearer x", `{"path":"/articles/rendering/isr"}`); got != 404 {
		t.Errorf("revalidate without a configured token: %d, want 404", got)
	}

	ts := newTestSite(t, Config{RevalidateToken: "s3cret"})
	ts.edit("rendering/isr.md", isrSource("Revalidated now."))
	for _, auth := range []string{"", "Bearer wrong", "s3cret", "Basic s3cret"} {
		if got := post(ts, auth, `{"path":"/articles/rendering/isr"}`); got != 401 {
			t.Errorf("revalidate with Authorization %q: %d, want 401", auth, got)
		}
	}
	if strings.Contains(ts.get(t, isrPath).Body.String(), "Revalidated now.") {
		t.Fatal("a refused revalidation changed the page")
	}
	if got := post(ts, "Bearer s3cret", `{"path":"/articles/rendering/isr"}`); got != 200 {
		t.Fatalf("revalidate with the token: %d, want 200", got)
	}
	if rec := ts.get(t, isrPath); rec.Header().Get("X-Cache") != "HIT" || !strings.Contains(rec.Body.String(), "Revalidated now.") {
		t.Error("after revalidation the page does not show the new content")
	}
	if got := post(ts, "Bearer s3cret", `{"path":"/articles/rendering/ssg"}`); got != 400 {
		t.Errorf("revalidate an SSG page: %d, want 400", got)
	}
	if got := post(ts, "Bearer s3cret", `not json`); got != 400 {
		t.Errorf("revalidate with a bad body: %d, want 400", got)
	}
	if got := post(ts, "Bearer s3cret", `{"path":"/articles/nope"}`); got != 404 {
		t.Errorf("revalidate a missing page: %d, want 404", got)
	}
}
