package shared

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/renderwise/renderwise/internal/cache"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// These tests run a real redis-server (Debian package redis-server). In CI
// (CI set) a missing redis-server is a failure, elsewhere a skip.

// redisServer is a redis-server process started for one test.
type redisServer struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed; CI needs it (apt-get install -y redis-server)")
		}
		t.Skip("redis-server is not installed (apt-get install -y redis-server); skipping the Redis tests")
	}
	r := &redisServer{t: t, port: freePort(t)}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *redisServer) url() string { return "redis://127.0.0.1:" + strconv.Itoa(r.port) + "/0" }

// start runs redis-server on r.port and waits until it answers.
func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--loglevel", "warning")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(r.port))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("redis-server did not listen on %d: %v", r.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills the process this test started, by its PID.
func (r *redisServer) stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	r.cmd.Process.Kill()
	r.cmd.Wait()
	r.cmd = nil
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// clock is a clock tests move by hand.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func newRedis(t *testing.T, url, ns string, c *clock) *Redis {
	t.Helper()
	r, err := New(Config{URL: url, Namespace: ns, Now: c.Now, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func isrPage(route string, generated time.Time, body string) *page.Page {
	return &page.Page{
		Route: route, Status: 200, ContentType: "text/html; charset=utf-8", Mode: content.ISR,
		Body: []byte(body), Gzip: []byte("gz:" + body), Brotli: []byte("br:" + body), ETag: `"` + body + `"`,
		Modified: generated.Add(-24 * time.Hour), Generated: generated, Revalidate: 30 * time.Second,
	}
}

func TestPublishKeepsTheNewestGeneration(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	r := newRedis(t, srv.url(), t.Name(), c)
	ctx := context.Background()

	if p, err := r.Latest(ctx, "/a"); p != nil || err != nil {
		t.Fatalf("Latest before any Publish = %v, %v; want nil, nil", p, err)
	}
	newer := isrPage("/a", c.Now(), "newer")
	if err := r.Publish(ctx, newer); err != nil {
		t.Fatal(err)
	}
	older := isrPage("/a", c.Now().Add(-time.Nanosecond), "older")
	if err := r.Publish(ctx, older); err != nil {
		t.Fatal(err)
	}
	got, err := r.Latest(ctx, "/a")
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || !bytes.Equal(got.Body, newer.Body) {
		t.Fatalf("Latest after publishing newer then older (1ns apart) = %+v, want the newer page", got)
	}
	// Every field survives the round trip.
	if got.Route != newer.Route || got.Status != newer.Status || got.ContentType != newer.ContentType ||
		got.Mode != newer.Mode || !bytes.Equal(got.Gzip, newer.Gzip) || !bytes.Equal(got.Brotli, newer.Brotli) ||
		got.ETag != newer.ETag || !got.Modified.Equal(newer.Modified) || !got.Generated.Equal(newer.Generated) ||
		got.Revalidate != newer.Revalidate {
		t.Errorf("round trip: got %+v, want %+v", got, newer)
	}
}

func TestClaim(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	a := newRedis(t, srv.url(), t.Name(), c)
	b := newRedis(t, srv.url(), t.Name(), c)
	ctx := context.Background()

	claim := func(r *Redis, want bool, when string) {
		t.Helper()
		got, err := r.Claim(ctx, "/a", 30*time.Second, time.Time{})
		if err != nil || got != want {
			t.Fatalf("Claim %s = %v, %v; want %v", when, got, err, want)
		}
	}
	claim(a, true, "on an empty store")
	claim(b, false, "while A holds the claim")
	claim(a, false, "by A again (a claim is not re-entrant)")

	// Publishing releases the claim, and the published generation is not
	// due for 30s: a replica that missed it must not render it again.
	if err := a.Publish(ctx, isrPage("/a", c.Now(), "one")); err != nil {
		t.Fatal(err)
	}
	claim(b, false, "right after a generation was published")
	c.Advance(29 * time.Second)
	claim(b, false, "29s into a 30s interval")
	c.Advance(2 * time.Second)
	claim(b, true, "once the published generation is due")
	claim(a, false, "while B holds the claim")

	// After a tag revalidation at since, a generation made before since is
	// no reason not to render, however fresh; one made after it is.
	if err := b.Publish(ctx, isrPage("/a", c.Now(), "two")); err != nil {
		t.Fatal(err)
	}
	claimSince := func(r *Redis, since time.Time, want bool, when string) {
		t.Helper()
		if got, err := r.Claim(ctx, "/a", 30*time.Second, since); err != nil || got != want {
			t.Fatalf("Claim %s = %v, %v; want %v", when, got, err, want)
		}
	}
	claimSince(a, c.Now().Add(-time.Second), false, "since a revalidation older than the shared generation")
	claimSince(a, c.Now().Add(time.Second), true, "since a revalidation newer than the shared generation")
	claimSince(b, c.Now().Add(time.Second), false, "while A holds the claim after a revalidation")

	// A claim of another namespace (another build) is separate.
	other := newRedis(t, srv.url(), t.Name()+"-other", c)
	if got, err := other.Claim(ctx, "/a", time.Second, time.Time{}); err != nil || !got {
		t.Errorf("Claim in another namespace = %v, %v; want true", got, err)
	}
}

// TestRelease: a replica gives up its own claim (its regeneration failed),
// and never another replica's.
func TestRelease(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	a := newRedis(t, srv.url(), t.Name(), c)
	b := newRedis(t, srv.url(), t.Name(), c)
	ctx := context.Background()
	if ok, err := a.Claim(ctx, "/a", 30*time.Second, time.Time{}); err != nil || !ok {
		t.Fatalf("A's claim: %v %v", ok, err)
	}
	if err := b.Release(ctx, "/a"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.Claim(ctx, "/a", 30*time.Second, time.Time{}); ok {
		t.Fatal("B released A's claim")
	}
	if err := a.Release(ctx, "/a"); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.Claim(ctx, "/a", 30*time.Second, time.Time{}); err != nil || !ok {
		t.Errorf("B's claim after A released its own: %v %v, want true", ok, err)
	}
}

func TestClaimExpires(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	a := newRedis(t, srv.url(), t.Name(), c)
	b := newRedis(t, srv.url(), t.Name(), c)
	ctx := context.Background()
	if ok, err := a.Claim(ctx, "/a", 50*time.Millisecond, time.Time{}); !ok || err != nil {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	// Redis expires the key on its own clock; wait for that, bounded.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, err := b.Claim(ctx, "/a", time.Second, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("a claim with a 50ms TTL was still held after 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// offers wraps a cache.Store and tells the test about every accepted offer.
type offers struct {
	*cache.Store
	ch    chan *page.Page
	marks chan string // MarkTag calls: "tag expire at routes"
}

func (o *offers) Offer(p *page.Page) bool {
	ok := o.Store.Offer(p)
	if ok {
		o.ch <- p
	}
	return ok
}

func (o *offers) wait(t *testing.T, what string) *page.Page {
	t.Helper()
	select {
	case p := <-o.ch:
		return p
	case <-time.After(10 * time.Second):
		t.Fatalf("no page offered within 10s: %s", what)
		return nil
	}
}

func (o *offers) MarkTag(tag string, expire bool, at time.Time) []string {
	routes := o.Store.MarkTag(tag, expire, at)
	o.marks <- fmt.Sprintf("%s %t %d %v", tag, expire, at.UnixNano(), routes)
	return routes
}

func newStore(t *testing.T, c *clock) *offers {
	t.Helper()
	st := cache.New(cache.Config{
		Render: func(context.Context, string) (*page.Page, error) { return nil, errors.New("no renders in this test") },
		Now:    c.Now,
	})
	t.Cleanup(st.Close)
	return &offers{Store: st, ch: make(chan *page.Page, 16), marks: make(chan string, 16)}
}

// follow runs r.Follow(st) until the test ends.
func follow(t *testing.T, r *Redis, st Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { r.Follow(ctx, st) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
}

func TestFollowOffersWhatOthersPublish(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	a, b := newRedis(t, srv.url(), t.Name(), c), newRedis(t, srv.url(), t.Name(), c)
	stA, stB := newStore(t, c), newStore(t, c)
	stA.Put(isrPage("/a", c.Now(), "start A"))
	stB.Put(isrPage("/a", c.Now(), "start B"))
	ctx := context.Background()

	// Published before B follows: B catches up when it subscribes.
	c.Advance(time.Second)
	if err := a.Publish(ctx, isrPage("/a", c.Now(), "one")); err != nil {
		t.Fatal(err)
	}
	follow(t, b, stB)
	if p := stB.wait(t, "catching up"); string(p.Body) != "one" {
		t.Errorf("B caught up with %q, want one", p.Body)
	}

	// Published while B follows: B gets it at once. (A catches up with
	// "one" first: a page it published without storing it, unlike the
	// cache, which stores what it publishes.)
	follow(t, a, stA)
	if p := stA.wait(t, "A catching up"); string(p.Body) != "one" {
		t.Errorf("A caught up with %q, want one", p.Body)
	}
	c.Advance(time.Second)
	if err := a.Publish(ctx, isrPage("/a", c.Now(), "two")); err != nil {
		t.Fatal(err)
	}
	if p := stB.wait(t, "a live publication"); string(p.Body) != "two" {
		t.Errorf("B got %q, want two", p.Body)
	}
	if got, _ := stB.Peek("/a"); string(got.Body) != "two" {
		t.Errorf("B serves %q, want two", got.Body)
	}
	// A does not read back its own publications.
	select {
	case p := <-stA.ch:
		t.Errorf("A was offered %q: its own publication", p.Body)
	default:
	}
}

// TestFollowMarksRevalidatedTags: a tag revalidated on one replica marks
// the pages of the others, with the time it was revalidated; a replica does
// not act on its own announcement.
func TestFollowMarksRevalidatedTags(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	a, b := newRedis(t, srv.url(), t.Name(), c), newRedis(t, srv.url(), t.Name(), c)
	stA, stB := newStore(t, c), newStore(t, c)
	p := isrPage("/a", c.Now(), "start")
	p.Tags = []string{"tag:go"}
	stA.Put(p)
	stB.Put(p)
	follow(t, a, stA)
	follow(t, b, stB)
	// Both followers are subscribed once a third replica's page reached them.
	pub := newRedis(t, srv.url(), t.Name(), c)
	if err := pub.Publish(context.Background(), isrPage("/b", c.Now(), "b")); err != nil {
		t.Fatal(err)
	}
	stA.wait(t, "A following")
	stB.wait(t, "B following")
	c.Advance(time.Second)
	at := c.Now()
	if err := a.RevalidateTag(context.Background(), "tag:go", true, at); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("tag:go true %d [/a]", at.UnixNano())
	select {
	case got := <-stB.marks:
		if got != want {
			t.Errorf("B marked %q, want %q", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("B was not told of the tag revalidation within 10s")
	}
	select {
	case got := <-stA.marks:
		t.Errorf("A marked %q: its own announcement", got)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestFollowReconnectsAndCatchesUp(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	a, b := newRedis(t, srv.url(), t.Name(), c), newRedis(t, srv.url(), t.Name(), c)
	stB := newStore(t, c)
	stB.Put(isrPage("/a", c.Now(), "start"))
	ctx := context.Background()
	follow(t, b, stB)
	if err := b.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	srv.stop()
	c.Advance(time.Second)
	if err := a.Publish(ctx, isrPage("/a", c.Now(), "lost")); err == nil {
		t.Fatal("Publish with Redis down succeeded")
	}
	srv.start() // empty: --save '' keeps nothing
	c.Advance(time.Second)
	// Published once B's follower may or may not be back: either the live
	// message or the catch-up on resubscribing brings it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := a.Publish(ctx, isrPage("/a", c.Now(), "after restart")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Publish still failing 10s after Redis restarted")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if p := stB.wait(t, "after Redis restarted"); string(p.Body) != "after restart" {
		t.Errorf("B got %q after the restart, want the page published then", p.Body)
	}
}

func TestJoin(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := newClock()
	r := newRedis(t, srv.url(), t.Name(), c)
	ctx := context.Background()
	start := c.Now()
	// Shared: /fresh (not due yet), /due (due); none for /mine.
	for _, p := range []*page.Page{isrPage("/fresh", start.Add(-10*time.Second), "shared fresh"), isrPage("/due", start.Add(-time.Minute), "shared due")} {
		if err := r.Publish(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	st := newStore(t, c)
	for _, route := range []string{"/fresh", "/due", "/mine"} {
		st.Put(isrPage(route, start, "mine "+route))
	}
	st.Put(&page.Page{Route: "/ssg", Mode: content.SSG, Generated: start, Body: []byte("ssg")})

	adopted, published, err := r.Join(ctx, st, []string{"/fresh", "/due", "/mine", "/ssg", "/unknown"}, start)
	if err != nil || adopted != 1 || published != 2 {
		t.Errorf("Join = %d adopted, %d published, %v; want 1, 2, nil", adopted, published, err)
	}
	for route, want := range map[string]string{"/fresh": "shared fresh", "/due": "mine /due", "/mine": "mine /mine", "/ssg": "ssg"} {
		if p, _ := st.Peek(route); string(p.Body) != want {
			t.Errorf("%s: serves %q, want %q", route, p.Body, want)
		}
	}
	for route, want := range map[string]string{"/fresh": "shared fresh", "/due": "mine /due", "/mine": "mine /mine"} {
		if p, err := r.Latest(ctx, route); err != nil || p == nil || string(p.Body) != want {
			t.Errorf("%s: shared %v %v, want %q", route, p, err, want)
		}
	}
	if p, _ := r.Latest(ctx, "/ssg"); p != nil {
		t.Error("Join published an SSG page")
	}
}

func TestUnreachableRedisFailsFast(t *testing.T) {
	t.Parallel()
	// A server that accepts connections and never answers: the worst case,
	// where only timeouts help.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	stop := make(chan struct{})
	t.Cleanup(func() {
		close(stop)
		ln.Close()
		conns.Wait()
	})
	conns.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Go(func() {
				<-stop
				c.Close()
			})
		}
	})
	c := newClock()
	r := newRedis(t, "redis://"+ln.Addr().String()+"/0", t.Name(), c)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"Claim":   func() error { _, err := r.Claim(ctx, "/a", time.Second, time.Time{}); return err },
		"Publish": func() error { return r.Publish(ctx, isrPage("/a", c.Now(), "x")) },
		"Latest":  func() error { _, err := r.Latest(ctx, "/a"); return err },
	} {
		start := time.Now()
		err := call()
		if err == nil {
			t.Errorf("%s against a silent server: no error", name)
		}
		// 300ms timeout; allow for a slow machine, but far less than
		// go-redis's defaults (5s dial, 3s read, 3 retries).
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s against a silent server took %s, want about the 300ms timeout", name, d)
		}
	}
}

func TestNewRejectsABadURL(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"http://127.0.0.1:6379", "redis://127.0.0.1:6379/notadb", "::", "redis://user:s3cret@host:port/0"} {
		_, err := New(Config{URL: url})
		if err == nil {
			t.Errorf("New(%q): no error", url)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("New(%q): the error shows the password: %v", url, err)
		}
	}
}
