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

// fleet is a shared store in memory over several Stores, with the
// semantics of the Redis one (internal/shared): one claim per route, a
// claim refused when the shared generation is as new as the revalidation,
// and publications and tag revalidations delivered to the other replicas.
type fleet struct {
	mu       sync.Mutex
	replicas []*Store
	claimed  map[string]*Store
	latest   map[string]*page.Page
}

type member struct {
	f  *fleet
	me *Store
}

func (m *member) Claim(_ context.Context, route string, _ time.Duration, since time.Time) (bool, error) {
	m.f.mu.Lock()
	defer m.f.mu.Unlock()
	if p := m.f.latest[route]; p != nil && !since.IsZero() && p.Generated.After(since) {
		return false, nil
	}
	if m.f.claimed[route] != nil {
		return false, nil
	}
	m.f.claimed[route] = m.me
	return true, nil
}

func (m *member) Publish(_ context.Context, p *page.Page) error {
	m.f.mu.Lock()
	m.f.latest[p.Route] = p
	delete(m.f.claimed, p.Route)
	others := slices.DeleteFunc(slices.Clone(m.f.replicas), func(s *Store) bool { return s == m.me })
	m.f.mu.Unlock()
	for _, s := range others {
		s.Offer(p)
	}
	return nil
}

func (m *member) Release(_ context.Context, route string) error {
	m.f.mu.Lock()
	defer m.f.mu.Unlock()
	delete(m.f.claimed, route)
	return nil
}

func (m *member) RevalidateTag(_ context.Context, tag string, expire bool, at time.Time) error {
	m.f.mu.Lock()
	others := slices.DeleteFunc(slices.Clone(m.f.replicas), func(s *Store) bool { return s == m.me })
	m.f.mu.Unlock()
	for _, s := range others {
		s.MarkTag(tag, expire, at)
	}
	return nil
}

// TestRevalidateTagAcrossReplicas: a tag revalidated on one replica marks
// the pages of every replica, and each page is rendered once across them,
// whichever replica is asked first; no replica serves the old page after
// the new one reached it.
func TestRevalidateTagAcrossReplicas(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	clock.Advance(time.Hour)
	f := &fleet{claimed: map[string]*Store{}, latest: map[string]*page.Page{}}
	s := &site{clock: clock, broken: map[string]bool{}, gone: map[string]bool{},
		tags: map[string][]string{"/ssg": {"tag:go"}, "/a": {"tag:go"}, "/c": {"tag:rust"}}}
	ma, mb := &member{f: f}, &member{f: f}
	a := New(Config{Render: s.render, Now: clock.Now, Shared: ma})
	b := New(Config{Render: s.render, Now: clock.Now, Shared: mb})
	ma.me, mb.me = a, b
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	f.replicas = []*Store{a, b}
	for _, st := range f.replicas {
		for _, r := range []string{"/ssg", "/a", "/c"} {
			get(t, st, r)
		}
	}

	for _, expire := range []bool{false, true} {
		clock.Advance(time.Second)
		before := s.renders.Load()
		if got, want := a.RevalidateTag("tag:go", expire), []string{"/a", "/ssg"}; !slices.Equal(got, want) {
			t.Fatalf("expire %t: RevalidateTag on A = %v, want %v", expire, got, want)
		}
		clock.Advance(time.Millisecond) // renders from here on are newer
		var wg sync.WaitGroup
		bodies := make([]string, 20)
		fetch := func(st *Store, i int) {
			wg.Go(func() {
				if p, _, err := st.Get(context.Background(), "/ssg"); err == nil {
					bodies[i] = string(p.Body)
				}
			})
		}
		if !expire {
			// B is asked first (stale, regenerated), then both.
			get(t, b, "/ssg")
			b.Wait()
			for i := range bodies {
				fetch(f.replicas[i%2], i)
			}
		} else {
			// A claims the render and is slow; B's requests wait for
			// the page A publishes rather than render it again.
			s.block = make(chan struct{})
			fetch(a, 0)
			for s.renders.Load() == before {
				time.Sleep(time.Millisecond)
			}
			for i := 1; i < len(bodies); i++ {
				fetch(b, i)
			}
			time.Sleep(20 * time.Millisecond)
			close(s.block)
		}
		wg.Wait()
		s.block = nil
		a.Wait()
		b.Wait()
		if got := s.renders.Load() - before; got != 1 {
			t.Errorf("expire %t: %d renders of /ssg across two replicas, want 1", expire, got)
		}
		want := string(f.latest["/ssg"].Body)
		for _, st := range f.replicas {
			if body, status := get(t, st, "/ssg"); body != want || status != Hit {
				t.Errorf("expire %t: a replica serves %q %s after the revalidation, want the new %q HIT", expire, body, status, want)
			}
		}
		if expire {
			for i, body := range bodies {
				if body != want {
					t.Errorf("expire: request %d got %q, want the fresh %q", i, body, want)
				}
			}
		}
		if _, status := get(t, b, "/c"); status != Hit {
			t.Errorf("expire %t: /c, which does not declare the tag: %s on B, want HIT", expire, status)
		}
	}
}
