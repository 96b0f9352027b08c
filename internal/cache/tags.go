package cache

import (
	"context"
	"slices"
	"strconv"

	"github.com/renderwise/renderwise/internal/page"
)

// Marks a tag revalidation leaves on an entry until it is rendered again.
const (
	unmarked = iota
	markStale
	markExpired
)

// RevalidateTag marks every stored page that declared tag ([page.Page.Tags])
// as out of date, SSG pages too, like Next.js's revalidateTag and updateTag:
//
//	expire false  stale: the next request gets the stored page at once
//	              (STALE) and starts one background regeneration
//	expire true   expired: the next request waits for a fresh render
//	              (MISS, one render however many wait); should it fail, they
//	              get the last good page (STALE) and the error is logged
//
// It returns the routes it marked, sorted; none for a tag no page declared.
// It renders nothing itself, so it answers at once however many pages carry
// the tag.
func (s *Store) RevalidateTag(tag string, expire bool) []string {
	var routes []string
	s.mu.RLock()
	for route, e := range s.entries {
		if _, ok := slices.BinarySearch(e.page.Load().Tags, tag); !ok {
			continue
		}
		if expire {
			e.mark.Store(markExpired)
		} else {
			e.mark.CompareAndSwap(unmarked, markStale)
		}
		routes = append(routes, route)
	}
	s.mu.RUnlock()
	slices.Sort(routes)
	if s.metrics != nil {
		s.metrics.TagRevalidations.WithLabelValues(strconv.FormatBool(expire)).Inc()
		s.metrics.TagRevalidatedPages.Add(float64(len(routes)))
	}
	s.log.Info("revalidated tag", "tag", tag, "expire", expire, "pages", len(routes))
	return routes
}

// expired renders a route whose tag was revalidated with expire: the
// callers that arrive meanwhile share the render.
func (s *Store) expired(ctx context.Context, route string, e *entry) (*page.Page, Status) {
	v, _, _ := s.flight.Do("expired\x00"+route, func() (any, error) {
		if !e.mark.CompareAndSwap(markExpired, unmarked) {
			return nil, nil // rendered by the call before this one
		}
		p, err := s.safeRender(ctx, route)
		if err != nil {
			s.log.Error("render after an expired tag failed; serving the last good page", "path", route, "err", err)
			s.regenerated("error")
			return nil, nil
		}
		s.publish(p)
		e.due.Store(p.StaleAt().UnixNano())
		if s.newer(e, p) {
			s.account(e.page.Swap(p), p)
		}
		s.regenerated("ok")
		return p, nil
	})
	if p, ok := v.(*page.Page); ok && p != nil {
		s.count(p.Mode, Miss)
		return p, Miss
	}
	p := e.page.Load()
	s.count(p.Mode, Stale)
	return p, Stale
}
