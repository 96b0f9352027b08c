package cache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/metrics"
	"github.com/renderwise/renderwise/internal/page"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// site is a fake renderer: each render of a route gives a new version, and
// routes can be made to fail or disappear.
type site struct {
	clock   *fakeClock
	renders atomic.Int64
	mu      sync.Mutex
	broken  map[string]bool
	gone    map[string]bool
	tags    map[string][]string // the cache tags each route declares
	block   chan struct{}       // if set, renders wait on it
}

func (s *site) render(_ context.Context, route string) (*page.Page, error) {
	n := s.renders.Add(1)
	if s.block != nil {
		<-s.block
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gone[route] {
		return nil, fmt.Errorf("render %s: %w", route, content.ErrNotFound)
	}
	if s.broken[route] {
		return nil, errors.New("front matter: unknown key")
	}
	p := &page.Page{Route: route, Mode: content.ISR, Revalidate: 30 * time.Second, Generated: s.clock.Now(), Body: []byte(fmt.Sprintf("render %d", n)), Tags: s.tags[route]}
	if strings.HasPrefix(route, "/ssg") {
		p.Mode, p.Revalidate = content.SSG, 0
	}
	return p, nil
}

func newStore(t *testing.T) (*Store, *site, *fakeClock, *metrics.Metrics) {
	t.Helper()
	clock := &fakeClock{}
	clock.Advance(time.Hour)
	s := &site{clock: clock, broken: map[string]bool{}, gone: map[string]bool{}}
	m := metrics.New(prometheus.NewRegistry())
	st := New(Config{Render: s.render, Now: clock.Now, Metrics: m})
	t.Cleanup(st.Close)
	return st, s, clock, m
}

func get(t *testing.T, st *Store, route string) (string, Status) {
	t.Helper()
	p, status, err := st.Get(context.Background(), route)
	if err != nil {
		t.Fatalf("Get(%s): %v", route, err)
	}
	return string(p.Body), status
}

func TestISRLifecycle(t *testing.T) {
	t.Parallel()
	st, s, clock, m := newStore(t)

	if body, status := get(t, st, "/a"); status != Miss || body != "render 1" {
		t.Fatalf("first Get = %q %s, want render 1 MISS", body, status)
	}
	clock.Advance(29 * time.Second)
	if body, status := get(t, st, "/a"); status != Hit || body != "render 1" {
		t.Fatalf("Get within the interval = %q %s, want render 1 HIT", body, status)
	}

	clock.Advance(time.Second)
	s.block = make(chan struct{}) // hold the regeneration until every request is answered
	const n = 1000
	var wg sync.WaitGroup
	var stale atomic.Int64
	for range n {
		wg.Go(func() {
			p, status, err := st.Get(context.Background(), "/a")
			if err != nil || string(p.Body) != "render 1" {
				t.Errorf("stale Get = %v, %v; want the old page at once", p, err)
			}
			if status == Stale {
				stale.Add(1)
			}
		})
	}
	wg.Wait()
	close(s.block)
	st.Wait()
	if got := s.renders.Load(); got != 2 {
		t.Errorf("renders after %d concurrent stale requests = %d, want 2 (one regeneration)", n, got)
	}
	if stale.Load() != n {
		t.Errorf("%d of %d requests saw STALE, want all", stale.Load(), n)
	}
	if body, status := get(t, st, "/a"); status != Hit || body != "render 2" {
		t.Errorf("Get after regeneration = %q %s, want render 2 HIT", body, status)
	}
	if got := testutil.ToFloat64(m.Regenerations.WithLabelValues("ok")); got != 1 {
		t.Errorf("regenerations ok = %v, want 1", got)
	}
}

func TestFailedRegenerationKeepsLastGoodPage(t *testing.T) {
	t.Parallel()
	st, s, clock, m := newStore(t)
	get(t, st, "/a")
	s.mu.Lock()
	s.broken["/a"] = true
	s.mu.Unlock()

	clock.Advance(31 * time.Second)
	if body, status := get(t, st, "/a"); status != Stale || body != "render 1" {
		t.Fatalf("stale Get = %q %s, want render 1 STALE", body, status)
	}
	st.Wait()
	if body, _ := get(t, st, "/a"); body != "render 1" {
		t.Errorf("after a failed regeneration the body is %q, want the last good render 1", body)
	}
	if got := testutil.ToFloat64(m.Regenerations.WithLabelValues("error")); got != 1 {
		t.Errorf("failed regenerations = %v, want 1", got)
	}
	clock.Advance(10 * time.Second)
	get(t, st, "/a")
	st.Wait()
	if got := s.renders.Load(); got != 2 {
		t.Errorf("renders = %d, want 2: no retry before the next interval", got)
	}

	s.mu.Lock()
	s.broken["/a"] = false
	s.mu.Unlock()
	clock.Advance(30 * time.Second)
	get(t, st, "/a")
	st.Wait()
	if body, status := get(t, st, "/a"); status != Hit || body != "render 3" {
		t.Errorf("after the fix = %q %s, want render 3 HIT", body, status)
	}
}

func TestDeletedPageIsGoneAfterRegeneration(t *testing.T) {
	t.Parallel()
	st, s, clock, _ := newStore(t)
	get(t, st, "/a")
	s.mu.Lock()
	s.gone["/a"] = true
	s.mu.Unlock()
	if _, status := get(t, st, "/a"); status != Hit {
		t.Errorf("before the interval: %s, want HIT", status)
	}
	clock.Advance(30 * time.Second)
	get(t, st, "/a") // stale, starts the regeneration that finds it gone
	st.Wait()
	if _, _, err := st.Get(context.Background(), "/a"); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("Get after the regeneration: err = %v, want ErrNotFound", err)
	}
	if st.Len() != 0 {
		t.Errorf("Len = %d, want 0", st.Len())
	}
}

func TestConcurrentMissesRenderOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		st, s, _, _ := newStore(t)
		s.block = make(chan struct{})
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				if _, _, err := st.Get(context.Background(), "/new"); err != nil {
					t.Error(err)
				}
			})
		}
		synctest.Wait() // every request is now waiting on the one render
		close(s.block)
		wg.Wait()
		if got := s.renders.Load(); got != 1 {
			t.Errorf("renders for 50 concurrent misses = %d, want 1", got)
		}
	})
}

func TestSSGPagesNeverGoStale(t *testing.T) {
	t.Parallel()
	st, s, clock, _ := newStore(t)
	st.Put(&page.Page{Route: "/s", Mode: content.SSG, Generated: clock.Now(), Body: []byte("static")})
	clock.Advance(24 * time.Hour)
	if body, status := get(t, st, "/s"); status != Hit || body != "static" {
		t.Errorf("SSG Get a day later = %q %s, want static HIT", body, status)
	}
	st.Wait()
	if s.renders.Load() != 0 {
		t.Errorf("an SSG page was re-rendered %d times", s.renders.Load())
	}
}

func TestRevalidate(t *testing.T) {
	t.Parallel()
	st, s, _, _ := newStore(t)
	get(t, st, "/a")
	p, err := st.Revalidate(context.Background(), "/a")
	if err != nil || string(p.Body) != "render 2" {
		t.Fatalf("Revalidate = %v, %v; want render 2", p, err)
	}
	if body, status := get(t, st, "/a"); status != Hit || body != "render 2" {
		t.Errorf("Get after Revalidate = %q %s, want render 2 HIT", body, status)
	}
	s.mu.Lock()
	s.gone["/a"] = true
	s.mu.Unlock()
	if _, err := st.Revalidate(context.Background(), "/a"); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("Revalidate of a gone page: err = %v, want ErrNotFound", err)
	}
	if _, ok := st.Peek("/a"); ok {
		t.Error("a gone page is still stored after Revalidate")
	}
}

func TestReplaceDropsOtherPages(t *testing.T) {
	t.Parallel()
	st, _, clock, m := newStore(t)
	get(t, st, "/a")
	get(t, st, "/b")
	st.Replace([]*page.Page{{Route: "/c", Mode: content.SSG, Generated: clock.Now(), Body: []byte("c")}})
	if _, ok := st.Peek("/a"); ok {
		t.Error("Replace kept /a")
	}
	if body, status := get(t, st, "/c"); body != "c" || status != Hit {
		t.Errorf("Get(/c) after Replace = %q %s", body, status)
	}
	if got := testutil.ToFloat64(m.Pages); got != 1 {
		t.Errorf("pages gauge = %v, want 1", got)
	}
}

// fakeShared is a shared store in memory: one claim holder per route and a
// record of what was published.
type fakeShared struct {
	mu        sync.Mutex
	claimed   map[string]bool
	published []*page.Page
	tags      []string // "tag expire", as revalidated
	down      bool
}

func (f *fakeShared) Claim(_ context.Context, route string, _ time.Duration, _ time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return false, errors.New("connection refused")
	}
	if f.claimed[route] {
		return false, nil
	}
	f.claimed[route] = true
	return true, nil
}

func (f *fakeShared) Publish(_ context.Context, p *page.Page) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errors.New("connection refused")
	}
	f.published = append(f.published, p)
	return nil
}

func (f *fakeShared) RevalidateTag(_ context.Context, tag string, expire bool, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errors.New("connection refused")
	}
	f.tags = append(f.tags, fmt.Sprintf("%s %t", tag, expire))
	return nil
}

func (f *fakeShared) Release(_ context.Context, route string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.claimed, route)
	return nil
}

// TestFailedRegenerationReleasesItsClaim: a replica whose regeneration
// fails gives its claim back, so the fleet tries again one interval later
// instead of waiting for the claim to expire.
func TestFailedRegenerationReleasesItsClaim(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	clock.Advance(time.Hour)
	shared := &fakeShared{claimed: map[string]bool{}}
	s := &site{clock: clock, broken: map[string]bool{}, gone: map[string]bool{}}
	st := New(Config{Render: s.render, Now: clock.Now, Shared: shared})
	t.Cleanup(st.Close)
	get(t, st, "/a")
	s.mu.Lock()
	s.broken["/a"] = true
	s.mu.Unlock()
	clock.Advance(31 * time.Second)
	get(t, st, "/a")
	st.Wait()
	shared.mu.Lock()
	held := shared.claimed["/a"]
	shared.mu.Unlock()
	if held {
		t.Fatal("after a failed regeneration the claim is still held")
	}
	s.mu.Lock()
	s.broken["/a"] = false
	s.mu.Unlock()
	clock.Advance(31 * time.Second)
	get(t, st, "/a")
	st.Wait()
	if body, _ := get(t, st, "/a"); body != "render 3" {
		t.Errorf("one interval after the file was fixed: %q, want the third render", body)
	}
}

func TestSharedStoreRegeneratesOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	clock.Advance(time.Hour)
	shared := &fakeShared{claimed: map[string]bool{}}
	var replicas []*Store
	var sites []*site
	for range 2 {
		s := &site{clock: clock, broken: map[string]bool{}, gone: map[string]bool{}}
		st := New(Config{Render: s.render, Now: clock.Now, Shared: shared})
		t.Cleanup(st.Close)
		replicas, sites = append(replicas, st), append(sites, s)
		get(t, st, "/a")
	}
	clock.Advance(30 * time.Second)
	for _, st := range replicas {
		get(t, st, "/a")
		st.Wait()
	}
	if got := sites[0].renders.Load() + sites[1].renders.Load(); got != 3 {
		t.Errorf("renders across two replicas = %d, want 3 (one each at start, one regeneration)", got)
	}
	if len(shared.published) != 1 {
		t.Fatalf("published %d pages, want 1", len(shared.published))
	}
	// The other replica gets the new generation through Offer…
	loser := replicas[1]
	if sites[1].renders.Load() == 2 {
		loser = replicas[0]
	}
	if !loser.Offer(shared.published[0]) {
		t.Error("Offer of a newer generation was refused")
	}
	winner, _ := get(t, loser, "/a")
	if winner != string(shared.published[0].Body) {
		t.Errorf("after Offer the replica serves %q, want the published %q", winner, shared.published[0].Body)
	}
	// …and an older generation never replaces a newer one.
	old := &page.Page{Route: "/a", Mode: content.ISR, Revalidate: 30 * time.Second, Generated: clock.Now().Add(-time.Hour), Body: []byte("old")}
	if loser.Offer(old) {
		t.Error("Offer of an older generation was accepted")
	}
}

func TestSharedStoreDownKeepsServing(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	clock.Advance(time.Hour)
	s := &site{clock: clock, broken: map[string]bool{}, gone: map[string]bool{}}
	st := New(Config{Render: s.render, Now: clock.Now, Shared: &fakeShared{down: true}})
	t.Cleanup(st.Close)
	get(t, st, "/a")
	clock.Advance(time.Minute)
	get(t, st, "/a")
	st.Wait()
	if body, status := get(t, st, "/a"); status != Hit || body != "render 2" {
		t.Errorf("with the shared store down: %q %s, want render 2 HIT (regenerated locally)", body, status)
	}
}

func TestPanickingRenderKeepsTheLastGoodPage(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	clock.Advance(time.Hour)
	var panics atomic.Bool
	render := func(_ context.Context, route string) (*page.Page, error) {
		if panics.Load() {
			panic("template bug")
		}
		return &page.Page{Route: route, Mode: content.ISR, Revalidate: 30 * time.Second, Generated: clock.Now(), Body: []byte("good")}, nil
	}
	st := New(Config{Render: render, Now: clock.Now})
	t.Cleanup(st.Close)
	get(t, st, "/a")
	panics.Store(true)
	clock.Advance(time.Minute)
	get(t, st, "/a") // starts a background regeneration that panics
	st.Wait()
	if body, _ := get(t, st, "/a"); body != "good" {
		t.Errorf("after a panicking regeneration the body is %q, want the last good page", body)
	}
	if _, _, err := st.Get(context.Background(), "/new"); err == nil || !strings.Contains(err.Error(), "panic") {
		t.Errorf("a panicking miss: err = %v, want the panic as an error", err)
	}
	if _, err := st.Revalidate(context.Background(), "/a"); err == nil {
		t.Error("a panicking revalidation returned no error")
	}
}
