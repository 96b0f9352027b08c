package page

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/compress"
	"github.com/renderwise/renderwise/web"
)

// Shell is the static part of a partially prerendered (PPR) page: its
// bytes cut at its slots, each piece compressed once. Pieces[i] comes
// before Slots[i]; there is one piece more than there are slots.
type Shell struct {
	Pieces [][]byte
	Gzip   []compress.Piece
	Slots  []Slot // in the order they occur
}

// Slot is a place in a shell filled for each request: a hole rendered for
// it, or a cached part ([PartPath]) taken from the page cache.
type Slot struct {
	Name   string
	Cached bool
}

// The holes a PPR page has. Holes stream in order, in the one response: a
// hole is as late as the slowest hole before it, so the page puts its slow
// one (live) after the article, where it delays nothing the reader needs
// first.
const (
	HoleDelivery = "delivery" // in the delivery panel: when this request was rendered
	HoleLive     = "live"     // after the article: the simulated slow data source
)

// MaxDelay bounds the simulated data source's ?delay= (DESIGN.md §7).
const MaxDelay = 2 * time.Second

// cutShell cuts a rendered PPR page at its hole and part marks
// ([web.Hole], [web.Part]).
func cutShell(body []byte) (*Shell, error) {
	s := &Shell{}
	for {
		i := bytes.IndexByte(body, 0)
		if i < 0 {
			break
		}
		end := bytes.IndexByte(body[i+1:], 0)
		if end < 0 {
			return nil, fmt.Errorf("an unterminated hole mark")
		}
		mark := string(body[i+1 : i+1+end])
		var slot Slot
		if name, ok := strings.CutPrefix(mark, "hole:"); ok {
			slot.Name = name
		} else if name, ok := strings.CutPrefix(mark, "part:"); ok {
			slot = Slot{Name: name, Cached: true}
		} else {
			return nil, fmt.Errorf("an unknown mark %q", mark)
		}
		s.Pieces = append(s.Pieces, body[:i])
		s.Slots = append(s.Slots, slot)
		body = body[i+1+end+1:]
	}
	s.Pieces = append(s.Pieces, body)
	for _, p := range s.Pieces {
		s.Gzip = append(s.Gzip, compress.NewPiece(p))
	}
	return s, nil
}

// HoleRequest is what a hole shows of the request it is rendered for. The
// server waits for the live hole's data (?delay=) and looks up the cached
// parts before it asks for a hole: this package neither sleeps nor reads
// the clock.
type HoleRequest struct {
	Start  time.Time     // when the request arrived
	At     time.Time     // now, as the hole is rendered
	Lookup time.Duration // how long the shell took to find
	Waited time.Duration // how long the live hole's data took
	Parts  []PartState   // the page's cached parts, as found for the request
	Edge   bool          // fetched by an ESI proxy, which holds the shell and parts
}

// PartState is a cached part as a request found it in the page cache.
type PartState struct {
	Name       string
	Status     string // HIT, STALE or MISS
	Generated  time.Time
	Revalidate time.Duration
}

// RenderHole renders one hole of a PPR page for a request.
func RenderHole(ctx context.Context, w io.Writer, name string, req HoleRequest) error {
	at := req.At.UTC()
	clock, iso := at.Format("15:04:05.000 UTC"), at.Format(time.RFC3339Nano)
	switch name {
	case HoleDelivery:
		found := "For your request the shell came from memory in " + formatDuration(req.Lookup)
		if req.Edge {
			found = "For your request the shell and its cached parts came from the cache in front of this server, which fetched this sentence from the server (ESI)"
		}
		for _, p := range req.Parts {
			found += fmt.Sprintf("; the cached part “%s” was %s, %s old (kept for %s)",
				PartTitle(p.Name), p.Status, formatAge(req.At.Sub(p.Generated)), interval(p.Revalidate))
		}
		v := web.HoleView{Found: found + ".", At: clock, AtISO: iso, After: formatDuration(at.Sub(req.Start))}
		return web.DeliveryHole(v).Render(ctx, w)
	case HoleLive:
		return web.LiveHole(strconv.FormatInt(req.Waited.Milliseconds(), 10), clock, iso).Render(ctx, w)
	case HoleRendered:
		return web.RenderedHole(at.Format("2006-01-02 15:04:05 UTC"), at.Format(time.RFC3339)).Render(ctx, w)
	case HoleTook:
		return web.TookHole(formatDuration(at.Sub(req.Start))).Render(ctx, w)
	}
	return fmt.Errorf("no hole named %q", name)
}

// formatAge says how old a cached part is, to the second.
func formatAge(d time.Duration) string {
	s := int(max(d, 0).Round(time.Second) / time.Second)
	if s == 1 {
		return "1 second"
	}
	return strconv.Itoa(s) + " seconds"
}
