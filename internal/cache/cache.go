// Package cache owns the pages that are rendered ahead of requests: SSG
// pages, kept until the next rebuild, and ISR pages, regenerated in the
// background after their interval (DESIGN.md §4):
//
//	within the interval      HIT    the stored page
//	after the interval       STALE  the stored page at once, and one
//	                                background regeneration however many
//	                                requests arrive
//	regeneration fails       HIT    the last good page stays and counts as
//	                                fresh for one more interval; then the
//	                                next request starts a new attempt
//	not stored yet           MISS   rendered now (one render for concurrent
//	                                requests), then stored
//	a tag it declared was    STALE  as after the interval, SSG pages too
//	revalidated              MISS   with expire: rendered now (see
//	                                [Store.RevalidateTag])
//
// The cache calls a [RenderFunc] and reads time from a clock it is given; it
// knows nothing of HTTP or HTML.
package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/metrics"
	"github.com/renderwise/renderwise/internal/page"
)

// Status is the result of a lookup, sent to clients as X-Cache.
type Status string

// Lookup results.
const (
	Hit   Status = "HIT"
	Stale Status = "STALE"
	Miss  Status = "MISS"
)

// RenderFunc renders a route. It returns an error wrapping
// [content.ErrNotFound] when the route names no page (any more).
type RenderFunc func(ctx context.Context, route string) (*page.Page, error)

// Config holds a Store's collaborators.
type Config struct {
	Render  RenderFunc
	Now     func() time.Time // the clock; time.Now if nil
	Log     *slog.Logger
	Metrics *metrics.Metrics
	Shared  Shared // optional: a store shared by several replicas
}

// Shared is a page store several replicas share (e.g. Redis), so that they
// serve one generation of each ISR page and regenerate it once across the
// fleet. Errors mean "carry on from memory": the cache logs them and never
// fails a request because of them. Pages published by other replicas come
// back through [Store.Offer].
type Shared interface {
	// Claim takes the fleet-wide right to regenerate route for ttl; it
	// reports false if another replica holds it, or if the shared
	// generation makes a render needless: one not due yet or, when since
	// is set (a cache tag of the page was revalidated then), one generated
	// after since.
	Claim(ctx context.Context, route string, ttl time.Duration, since time.Time) (bool, error)
	// Publish stores p unless a newer generation of its route is stored,
	// tells every replica, and releases this replica's claim.
	Publish(ctx context.Context, p *page.Page) error
	// Release gives up this replica's claim on route without publishing
	// (its regeneration failed), so that the next stale request on any
	// replica may try again instead of waiting for the claim to expire.
	Release(ctx context.Context, route string) error
	// RevalidateTag tells the other replicas that tag was revalidated at
	// at; they mark their pages of it ([Store.MarkTag]).
	RevalidateTag(ctx context.Context, tag string, expire bool, at time.Time) error
}

// claimTTL bounds how long a crashed replica can hold a regeneration.
const claimTTL = 30 * time.Second

// Store holds pre-rendered pages by route. It is safe for concurrent use.
type Store struct {
	render  RenderFunc
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics.Metrics
	shared  Shared

	mu      sync.RWMutex
	entries map[string]*entry
	flight  singleflight.Group

	ctx    context.Context // cancelled by Close; parent of regenerations
	cancel context.CancelFunc
	wg     sync.WaitGroup // background regenerations
}

type entry struct {
	page         atomic.Pointer[page.Page]
	due          atomic.Int64 // unix nanoseconds when a regeneration may start; ISR only
	regenerating atomic.Bool
	mark         atomic.Int32 // unmarked, markStale or markExpired (RevalidateTag)
	markedAt     atomic.Int64 // unix nanoseconds of the latest mark
}

// New returns an empty Store.
func New(cfg Config) *Store {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Store{
		render: cfg.Render, now: cfg.Now, log: cfg.Log, metrics: cfg.Metrics, shared: cfg.Shared,
		entries: map[string]*entry{}, ctx: ctx, cancel: cancel,
	}
}

// Put stores a page, replacing any page of the same route.
func (s *Store) Put(p *page.Page) {
	e := &entry{}
	e.page.Store(p)
	e.due.Store(p.StaleAt().UnixNano())
	s.mu.Lock()
	old := s.entries[p.Route]
	s.entries[p.Route] = e
	s.mu.Unlock()
	var prev *page.Page
	if old != nil {
		prev = old.page.Load()
	}
	s.account(prev, p)
}

// Replace stores exactly pages, dropping every other page (a full rebuild).
func (s *Store) Replace(pages []*page.Page) {
	entries := make(map[string]*entry, len(pages))
	for _, p := range pages {
		e := &entry{}
		e.page.Store(p)
		e.due.Store(p.StaleAt().UnixNano())
		entries[p.Route] = e
	}
	s.mu.Lock()
	old := s.entries
	s.entries = entries
	s.mu.Unlock()
	for _, e := range old {
		s.account(e.page.Load(), nil)
	}
	for _, p := range pages {
		s.account(nil, p)
	}
}

// Peek returns the stored page of a route without any side effect.
func (s *Store) Peek(route string) (*page.Page, bool) {
	s.mu.RLock()
	e, ok := s.entries[route]
	s.mu.RUnlock()
	if !ok {
		return nil, false
	}
	return e.page.Load(), true
}

// Get returns the page of a route and how it was found. A stale ISR page
// starts one background regeneration. A route not stored is rendered now;
// the error of that render is returned as is.
func (s *Store) Get(ctx context.Context, route string) (*page.Page, Status, error) {
	s.mu.RLock()
	e, ok := s.entries[route]
	s.mu.RUnlock()
	if !ok {
		p, err := s.miss(ctx, route)
		if err != nil {
			return nil, Miss, err
		}
		s.count(p.Mode, Miss)
		return p, Miss, nil
	}
	p := e.page.Load()
	mark := e.mark.Load()
	if mark == markExpired {
		p, st := s.expired(ctx, route, e)
		return p, st, nil
	}
	if mark == unmarked && (p.Mode != content.ISR || s.now().UnixNano() < e.due.Load()) {
		s.count(p.Mode, Hit)
		return p, Hit, nil
	}
	if e.regenerating.CompareAndSwap(false, true) {
		s.wg.Add(1)
		go s.regenerate(route, e)
	}
	s.count(p.Mode, Stale)
	return p, Stale, nil
}

// miss renders a route that is not stored. Concurrent misses of one route
// share one render.
func (s *Store) miss(ctx context.Context, route string) (*page.Page, error) {
	v, err, _ := s.flight.Do(route, func() (any, error) {
		if p, ok := s.Peek(route); ok { // stored while we waited
			return p, nil
		}
		p, err := s.safeRender(ctx, route)
		if err != nil {
			return nil, err
		}
		s.Put(p)
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*page.Page), nil
}

// regenerate renders a stale ISR route in the background. With a shared
// store, only the replica that claims the route renders it; the others keep
// serving their copy until the new generation is offered to them.
func (s *Store) regenerate(route string, e *entry) {
	defer s.wg.Done()
	defer e.regenerating.Store(false)
	// A tag revalidated from here on marks the entry again, for a render
	// that starts after this one.
	var since time.Time
	if e.mark.CompareAndSwap(markStale, unmarked) {
		since = time.Unix(0, e.markedAt.Load())
	}
	old := e.page.Load()
	claimed := false
	if s.shared != nil {
		var err error
		claimed, err = s.shared.Claim(s.ctx, route, claimTTL, since)
		if err != nil {
			s.log.Warn("shared store unreachable; regenerating locally", "path", route, "err", err)
		} else if !claimed {
			e.due.Store(s.now().Add(old.Revalidate).UnixNano())
			return
		}
	}
	start := s.now()
	p, err := s.safeRender(s.ctx, route)
	switch {
	case errors.Is(err, content.ErrNotFound):
		s.release(route, claimed)
		s.delete(route, e)
		s.log.Info("regenerated page is gone", "path", route)
		s.regenerated("ok")
	case err != nil:
		// Keep the last good page; try again one interval from now.
		s.release(route, claimed)
		e.due.Store(s.now().Add(old.Revalidate).UnixNano())
		s.log.Error("regeneration failed; serving the last good page", "path", route, "err", err)
		s.regenerated("error")
	default:
		s.publish(p)
		e.due.Store(p.StaleAt().UnixNano())
		if s.newer(e, p) {
			s.account(e.page.Swap(p), p)
		}
		s.log.Debug("regenerated", "path", route, "duration", s.now().Sub(start))
		s.regenerated("ok")
	}
}

// safeRender renders a route, turning a panic into an error: a render runs
// in the background too, where a panic would take the whole server down.
func (s *Store) safeRender(ctx context.Context, route string) (p *page.Page, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("render %s: panic: %v", route, v)
		}
	}()
	return s.render(ctx, route)
}

// release gives up a claim this replica holds on route.
func (s *Store) release(route string, claimed bool) {
	if !claimed {
		return
	}
	if err := s.shared.Release(s.ctx, route); err != nil {
		s.log.Warn("shared store unreachable; the claim expires by itself", "path", route, "err", err)
	}
}

// publish hands a new page to the shared store, if there is one.
func (s *Store) publish(p *page.Page) {
	if s.shared == nil {
		return
	}
	if err := s.shared.Publish(s.ctx, p); err != nil {
		s.log.Warn("shared store unreachable; page kept in memory only", "path", p.Route, "err", err)
	}
}

// newer reports whether p is a later generation than the page of e.
func (s *Store) newer(e *entry, p *page.Page) bool {
	return p.Generated.After(e.page.Load().Generated)
}

// Offer stores a page published by another replica, unless this replica
// already has the same or a newer generation of it. A slow, old
// regeneration therefore never replaces a newer page.
func (s *Store) Offer(p *page.Page) bool {
	s.mu.RLock()
	e, ok := s.entries[p.Route]
	s.mu.RUnlock()
	if !ok {
		s.Put(p)
		return true
	}
	if !s.newer(e, p) {
		return false
	}
	e.due.Store(p.StaleAt().UnixNano())
	s.account(e.page.Swap(p), p)
	if p.Generated.UnixNano() > e.markedAt.Load() {
		// Rendered since its tag was revalidated, by another replica.
		e.mark.Store(unmarked)
	}
	return true
}

// Adopt stores p, the generation the other replicas serve, in place of
// mine, even if mine is newer: a replica that starts later than the others
// then serves the same generation as they do. It does nothing and reports
// false if the stored page of the route is no longer mine (a newer one was
// offered meanwhile) or the route is not stored.
func (s *Store) Adopt(p, mine *page.Page) bool {
	s.mu.RLock()
	e, ok := s.entries[p.Route]
	s.mu.RUnlock()
	if !ok || mine == nil || p.Route != mine.Route || !e.page.CompareAndSwap(mine, p) {
		return false
	}
	e.due.Store(p.StaleAt().UnixNano())
	s.account(mine, p)
	return true
}

// Revalidate renders a route now (on-demand revalidation) and stores the
// result, sharing it with the other replicas. If the route is gone, its
// page is removed and the error returned.
func (s *Store) Revalidate(ctx context.Context, route string) (*page.Page, error) {
	p, err := s.safeRender(ctx, route)
	if errors.Is(err, content.ErrNotFound) {
		s.mu.RLock()
		e := s.entries[route]
		s.mu.RUnlock()
		if e != nil {
			s.delete(route, e)
		}
	}
	if err != nil {
		return nil, err
	}
	s.publish(p)
	s.Put(p)
	return p, nil
}

// delete removes a route's entry if it is still e.
func (s *Store) delete(route string, e *entry) {
	s.mu.Lock()
	cur := s.entries[route]
	if cur == e {
		delete(s.entries, route)
	}
	s.mu.Unlock()
	if cur == e {
		s.account(e.page.Load(), nil)
	}
}

// Len returns the number of stored pages.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.entries)
}

// Wait blocks until every background regeneration has finished.
func (s *Store) Wait() { s.wg.Wait() }

// Close cancels background regenerations and waits for them.
func (s *Store) Close() {
	s.cancel()
	s.wg.Wait()
}

func (s *Store) count(mode content.Mode, st Status) {
	if s.metrics != nil {
		s.metrics.CacheResults.WithLabelValues(string(mode), string(st)).Inc()
	}
}

func (s *Store) regenerated(result string) {
	if s.metrics != nil {
		s.metrics.Regenerations.WithLabelValues(result).Inc()
	}
}

// account keeps the pages gauges in step when old is replaced by new.
func (s *Store) account(old, new *page.Page) {
	if s.metrics == nil {
		return
	}
	size := func(p *page.Page) float64 { return float64(len(p.Body) + len(p.Gzip) + len(p.Brotli)) }
	if old != nil {
		s.metrics.Pages.Dec()
		s.metrics.PageBytes.Sub(size(old))
	}
	if new != nil {
		s.metrics.Pages.Inc()
		s.metrics.PageBytes.Add(size(new))
	}
}
