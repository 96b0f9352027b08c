package shared

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Store is where pages published by other replicas go; [cache.Store] is
// one.
type Store interface {
	Peek(route string) (*page.Page, bool)
	// Offer stores p unless the same or a newer generation is stored.
	Offer(p *page.Page) bool
	// Adopt stores p in place of mine, even if mine is newer, unless the
	// stored page is no longer mine.
	Adopt(p, mine *page.Page) bool
	// MarkTag marks the stored pages of tag as revalidated at at (by
	// another replica) and returns their routes.
	MarkTag(tag string, expire bool, at time.Time) []string
}

// Reconnection: the first retry comes after backoffMin, then twice as late
// each time, up to backoffMax.
const (
	backoffMin = 100 * time.Millisecond
	backoffMax = 5 * time.Second
)

// followHealth is how long the follower waits for a message before it
// pings Redis; with no answer within another followHealth it reconnects.
// A connection that died without a word (a host gone, a firewall dropping
// it) is found within twice this.
const followHealth = 5 * time.Second

// Follow offers st every page another replica publishes, and marks its
// pages of every tag another replica revalidates, until ctx is done. When Redis is unreachable it logs it once, retries with backoff
// and, every time it is subscribed again, catches up on the pages published
// meanwhile. It returns when ctx is done.
func (r *Redis) Follow(ctx context.Context, st Store) {
	wait := backoffMin
	down, first := false, true
	up := func() {
		switch {
		case first:
			r.log.Info("following the shared store", "addr", r.addr)
		case down:
			r.log.Info("shared store reachable again; catching up", "addr", r.addr)
		}
		first, down, wait = false, false, backoffMin
	}
	for {
		err := r.follow(ctx, st, up)
		if ctx.Err() != nil {
			return
		}
		if !down {
			r.log.Warn("shared store unreachable; serving from memory and retrying", "addr", r.addr, "err", err)
			down = true
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, backoffMax)
	}
}

// follow subscribes, calls up, catches up and applies published routes
// until the connection fails or ctx is done.
func (r *Redis) follow(ctx context.Context, st Store, up func()) error {
	ps := r.client.Subscribe(ctx, r.channel, r.tagChannel)
	defer ps.Close()
	// A blocked read does not watch ctx; closing the connection ends it.
	stop := context.AfterFunc(ctx, func() { ps.Close() })
	defer stop()

	for range 2 { // one confirmation per channel
		msg, err := ps.ReceiveTimeout(ctx, r.timeout)
		if err != nil {
			return err
		}
		if _, ok := msg.(*redis.Subscription); !ok {
			return fmt.Errorf("subscribe: got %T first", msg)
		}
	}
	up()
	r.catchUp(ctx, st)
	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, followHealth)
		if isTimeout(err) && !pinged {
			if err := ps.Ping(ctx); err != nil {
				return err
			}
			pinged = true
			continue
		}
		if err != nil {
			return err
		}
		pinged = false
		m, ok := msg.(*redis.Message)
		if !ok {
			continue
		}
		from, rest, _ := strings.Cut(m.Payload, "|")
		switch {
		case from == r.id:
		case m.Channel == r.tagChannel:
			r.mark(st, rest)
		default:
			r.apply(ctx, st, rest)
		}
	}
}

// apply reads the shared page of route and offers it to st.
func (r *Redis) apply(ctx context.Context, st Store, route string) {
	p, err := r.Latest(ctx, route)
	if err != nil {
		r.log.Warn("shared page unreadable; keeping this replica's", "path", route, "err", err)
		return
	}
	if p != nil && st.Offer(p) {
		r.log.Debug("page from another replica", "path", route, "generated", p.Generated)
	}
}

// mark applies a tag revalidation announced as EXPIRE|AT|TAG.
func (r *Redis) mark(st Store, msg string) {
	e, rest, _ := strings.Cut(msg, "|")
	at, tag, _ := strings.Cut(rest, "|")
	ns, err := strconv.ParseInt(at, 10, 64)
	if tag == "" || err != nil {
		r.log.Warn("shared store: a tag revalidation this replica cannot read", "message", msg)
		return
	}
	routes := st.MarkTag(tag, e == "1", time.Unix(0, ns))
	r.log.Info("revalidated tag from another replica", "tag", tag, "expire", e == "1", "pages", len(routes))
}

// catchUp offers st every shared page newer than its own. It reads every
// generation time in one round trip, then only the pages it lacks.
func (r *Redis) catchUp(ctx context.Context, st Store) {
	routes, err := r.routes(ctx)
	if err != nil {
		r.log.Warn("shared store: cannot catch up", "err", err)
		return
	}
	tctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	pipe := r.client.Pipeline()
	gens := make([]*redis.StringCmd, len(routes))
	for i, route := range routes {
		gens[i] = pipe.HGet(tctx, r.key("page", route), "gen")
	}
	if _, err := pipe.Exec(tctx); err != nil && !errors.Is(err, redis.Nil) {
		r.log.Warn("shared store: cannot catch up", "err", err)
		return
	}
	for i, route := range routes {
		gen, err := gens[i].Result()
		if err != nil {
			continue // expired since SMEMBERS
		}
		if mine, ok := st.Peek(route); ok && stamp(mine.Generated) >= gen {
			continue
		}
		r.apply(ctx, st, route)
	}
}

// Join makes a replica that has just rendered its pages serve the
// generation the others serve. For each stored ISR page among routes: if a
// shared generation is not due yet, st adopts it in place of its own (which
// is newer, but then the replicas would disagree); otherwise this replica's
// page, fresh from its start, is published for all. It stops at the first
// error: the replica then serves its own pages until the next regeneration.
func (r *Redis) Join(ctx context.Context, st Store, routes []string, now time.Time) (adopted, published int, err error) {
	for _, route := range routes {
		mine, ok := st.Peek(route)
		if !ok || mine.Mode != content.ISR {
			continue
		}
		theirs, err := r.Latest(ctx, route)
		if err != nil {
			return adopted, published, err
		}
		if theirs != nil && now.Before(theirs.StaleAt()) {
			if !theirs.Generated.Equal(mine.Generated) && st.Adopt(theirs, mine) {
				adopted++
			}
			continue
		}
		stored, err := r.publish(ctx, mine)
		if err != nil {
			return adopted, published, err
		}
		if stored {
			published++
		}
	}
	return adopted, published, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
