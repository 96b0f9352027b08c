package cache

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

func TestAdopt(t *testing.T) {
	t.Parallel()
	st, _, clock, m := newStore(t)
	get(t, st, "/a")
	mine, _ := st.Peek("/a")
	theirs := &page.Page{Route: "/a", Mode: content.ISR, Revalidate: 30 * time.Second, Generated: clock.Now().Add(-10 * time.Second), Body: []byte("theirs")}

	if !st.Adopt(theirs, mine) {
		t.Fatal("Adopt of an older, fresh generation in place of mine was refused")
	}
	if body, status := get(t, st, "/a"); body != "theirs" || status != Hit {
		t.Errorf("after Adopt: %q %s, want theirs HIT", body, status)
	}
	// Due when their generation is due, not when mine would have been.
	clock.Advance(21 * time.Second)
	if _, status := get(t, st, "/a"); status != Stale {
		t.Errorf("21s after Adopt of a page generated 10s earlier with a 30s interval: %s, want STALE", status)
	}
	st.Wait()
	if got := testutil.ToFloat64(m.Pages); got != 1 {
		t.Errorf("pages gauge = %v, want 1", got)
	}
}

func TestAdoptNeverReplacesAPageThatIsNoLongerMine(t *testing.T) {
	t.Parallel()
	st, _, clock, _ := newStore(t)
	get(t, st, "/a")
	mine, _ := st.Peek("/a")
	newer := &page.Page{Route: "/a", Mode: content.ISR, Revalidate: 30 * time.Second, Generated: clock.Now().Add(time.Second), Body: []byte("newer")}
	if !st.Offer(newer) {
		t.Fatal("Offer of a newer generation was refused")
	}
	older := &page.Page{Route: "/a", Mode: content.ISR, Revalidate: 30 * time.Second, Generated: clock.Now().Add(-time.Second), Body: []byte("older")}
	if st.Adopt(older, mine) {
		t.Error("Adopt replaced a page offered after mine")
	}
	if body, _ := get(t, st, "/a"); body != "newer" {
		t.Errorf("serves %q, want newer", body)
	}
	if st.Adopt(&page.Page{Route: "/b", Generated: clock.Now()}, mine) {
		t.Error("Adopt stored a route that is not stored")
	}
}
