package cache

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// TestRevalidateTag: a tag revalidation marks exactly the pages that
// declared the tag, SSG ones too. Without expire the next request gets the
// stored page (STALE) and one regeneration; with expire it waits for a
// fresh render (MISS), one for however many wait, and a failed render leaves
// the last good page.
func TestRevalidateTag(t *testing.T) {
	t.Parallel()
	st, s, clock, _ := newStore(t)
	s.tags = map[string][]string{
		"/a":    {"article:/a", "tag:go"},
		"/b":    {"tag:go"},
		"/ssg":  {"tag:go"},
		"/c":    {"article:/c"},
		"/ssg2": {"article:/c"},
	}
	for _, r := range []string{"/a", "/b", "/c", "/ssg", "/ssg2"} {
		get(t, st, r)
	}
	clock.Advance(time.Second) // well inside every interval

	if got := st.RevalidateTag("tag:nothing", false); len(got) != 0 {
		t.Errorf("an unknown tag marked %v, want nothing", got)
	}
	if got, want := st.RevalidateTag("tag:go", false), []string{"/a", "/b", "/ssg"}; !slices.Equal(got, want) {
		t.Fatalf("RevalidateTag(tag:go) = %v, want %v", got, want)
	}
	before := s.renders.Load()
	for _, r := range []string{"/a", "/ssg"} {
		body, status := get(t, st, r)
		if status != Stale || body == "" {
			t.Errorf("GET %s after its tag was revalidated: %s, want STALE with the stored page", r, status)
		}
	}
	if _, status := get(t, st, "/c"); status != Hit {
		t.Errorf("GET /c, which does not declare the tag: %s, want HIT", status)
	}
	st.Wait()
	if got := s.renders.Load() - before; got != 2 {
		t.Errorf("renders after two stale requests = %d, want 2 (one per marked page requested)", got)
	}
	if body, status := get(t, st, "/ssg"); status != Hit || body == "render 4" {
		t.Errorf("GET /ssg after its regeneration: %q %s, want a new render and HIT", body, status)
	}

	// expire: the next requests wait for one fresh render.
	if got, want := st.RevalidateTag("article:/c", true), []string{"/c", "/ssg2"}; !slices.Equal(got, want) {
		t.Fatalf("RevalidateTag(article:/c, expire) = %v, want %v", got, want)
	}
	before = s.renders.Load()
	var wg sync.WaitGroup
	statuses := make([]Status, 50)
	for i := range statuses {
		wg.Go(func() {
			_, statuses[i], _ = st.Get(context.Background(), "/c")
		})
	}
	wg.Wait()
	if got := s.renders.Load() - before; got != 1 {
		t.Errorf("50 requests for an expired page: %d renders, want 1", got)
	}
	if !slices.Contains(statuses, Miss) {
		t.Errorf("requests for an expired page: %v, want a MISS", statuses)
	}
	// A render that fails after expire leaves the last good page.
	last, _ := get(t, st, "/ssg2")
	st.RevalidateTag("article:/c", true)
	s.mu.Lock()
	s.broken["/ssg2"] = true
	s.mu.Unlock()
	if body, status := get(t, st, "/ssg2"); body != last || status != Stale {
		t.Errorf("an expired page whose render fails: %q %s, want the last good %q, STALE", body, status, last)
	}
	if _, status := get(t, st, "/ssg2"); status != Hit {
		t.Errorf("after the failed render: %s, want HIT (the mark is spent, not retried per request)", status)
	}
}

// BenchmarkRevalidateTag: a tag that 1,000 of 10,000 stored pages declare
// (DESIGN.md §6 budget for the answer: 100 ms; the regenerations happen in
// the background, on later requests).
func BenchmarkRevalidateTag(b *testing.B) {
	st := New(Config{Render: func(context.Context, string) (*page.Page, error) { return nil, nil }})
	defer st.Close()
	for i := range 10_000 {
		tags := []string{fmt.Sprintf("article:/articles/a%d", i), "list:explainers", fmt.Sprintf("tag:t%d", i%50)}
		if i%10 == 0 {
			tags = append(tags, "tag:popular")
		}
		slices.Sort(tags)
		st.Put(&page.Page{Route: fmt.Sprintf("/articles/a%d", i), Mode: content.SSG, Tags: tags})
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(st.RevalidateTag("tag:popular", false)); n != 1000 {
			b.Fatalf("marked %d pages, want 1000", n)
		}
	}
}
