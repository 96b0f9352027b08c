package cache

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/renderwise/renderwise/internal/page"
)

// Marks a tag revalidation leaves on an entry until it is rendered again.
const (
	unmarked = iota
	markStale
	markExpired
)

// awaitShared bounds how long a request for an expired page waits for the
// replica that claimed its render to publish it; after that it renders the
// page itself (DESIGN.md §7: the next request gets a fresh page).
const awaitShared = 3 * time.Second

// RevalidateTag marks every stored page that declared tag ([page.Page.Tags])
// as out of date, SSG pages too, like Next.js's revalidateTag and updateTag:
//
//	expire false  stale: the next request gets the stored page at once
//	              (STALE) and starts one background regeneration
//	expire true   expired: the next request waits for a fresh render
//	              (MISS, one render however many wait); should it fail, they
//	              get the last good page (STALE) and the error is logged
//
// With a shared store every replica marks its pages too, and each page is
// rendered once across them: the replica that claims it renders it, the
// others get it published. It returns the routes this replica marked,
// sorted; none for a tag no page declared. It renders nothing itself, so it
// answers at once however many pages carry the tag.
func (s *Store) RevalidateTag(tag string, expire bool) []string {
	at := s.now()
	routes := s.MarkTag(tag, expire, at)
	if s.shared != nil {
		if err := s.shared.RevalidateTag(s.ctx, tag, expire, at); err != nil {
			s.log.Warn("shared store unreachable; the tag is revalidated on this replica only", "tag", tag, "err", err)
		}
	}
	if s.metrics != nil {
		s.metrics.TagRevalidations.WithLabelValues(strconv.FormatBool(expire)).Inc()
		s.metrics.TagRevalidatedPages.Add(float64(len(routes)))
	}
	s.log.Info("revalidated tag", "tag", tag, "expire", expire, "pages", len(routes))
	return routes
}

// MarkTag marks this replica's pages of tag as revalidated at at, without
// telling anyone: [Store.RevalidateTag] does that, and the shared store
// calls it for a revalidation another replica received. A page generated
// after at is already fresh and stays unmarked.
func (s *Store) MarkTag(tag string, expire bool, at time.Time) []string {
	var routes []string
	s.mu.RLock()
	for route, e := range s.entries {
		p := e.page.Load()
		if _, ok := slices.BinarySearch(p.Tags, tag); !ok || p.Generated.After(at) {
			continue
		}
		if at.UnixNano() > e.markedAt.Load() {
			e.markedAt.Store(at.UnixNano())
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
	return routes
}

// expired renders a route whose tag was revalidated with expire: the
// callers that arrive meanwhile share the render, and the mark stays until
// the render is over, so that no caller gets the old page as fresh. With a
// shared store, a replica that does not win the claim waits for the page
// the winner publishes, up to awaitShared.
func (s *Store) expired(ctx context.Context, route string, e *entry) (*page.Page, Status) {
	v, _, _ := s.flight.Do("expired\x00"+route, func() (any, error) {
		marked := e.markedAt.Load()
		since := time.Unix(0, marked)
		defer func() {
			if e.markedAt.Load() == marked { // not revalidated again meanwhile
				e.mark.CompareAndSwap(markExpired, unmarked)
			}
		}()
		if p := e.page.Load(); e.mark.Load() != markExpired || p.Generated.After(since) {
			return p, nil // rendered by the call before this one
		}
		claimed := false
		if s.shared != nil {
			var err error
			claimed, err = s.shared.Claim(ctx, route, claimTTL, since)
			if err != nil {
				s.log.Warn("shared store unreachable; rendering locally", "path", route, "err", err)
			} else if !claimed {
				if p := s.await(ctx, e, since); p != nil {
					return p, nil
				}
				s.log.Warn("no replica published the expired page in time; rendering it here", "path", route, "waited", awaitShared)
			}
		}
		p, err := s.safeRender(ctx, route)
		if err != nil {
			s.release(route, claimed)
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

// await waits until e holds a page generated after since (offered by
// the replica that rendered it), for at most awaitShared or until ctx is
// done, and returns it; nil if none came.
func (s *Store) await(ctx context.Context, e *entry, since time.Time) *page.Page {
	deadline := time.NewTimer(awaitShared)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if p := e.page.Load(); p.Generated.After(since) {
			return p
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}
