package page

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/renderwise/renderwise/internal/compress"
	"github.com/renderwise/renderwise/web"
)

// Shell is the static part of a partially prerendered (PPR) page: its
// bytes cut at its holes, each piece compressed once. Pieces[i] comes
// before Holes[i]; there is one piece more than there are holes.
type Shell struct {
	Pieces [][]byte
	Gzip   []compress.Piece
	Holes  []string // names, in the order they occur
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

// cutShell cuts a rendered PPR page at its hole marks.
func cutShell(body []byte) (*Shell, error) {
	s := &Shell{}
	for {
		i := bytes.Index(body, []byte("\x00hole:"))
		if i < 0 {
			break
		}
		end := bytes.IndexByte(body[i+1:], 0)
		if end < 0 {
			return nil, fmt.Errorf("an unterminated hole mark")
		}
		s.Pieces = append(s.Pieces, body[:i])
		s.Holes = append(s.Holes, string(body[i+len("\x00hole:"):i+1+end]))
		body = body[i+1+end+1:]
	}
	s.Pieces = append(s.Pieces, body)
	for _, p := range s.Pieces {
		s.Gzip = append(s.Gzip, compress.NewPiece(p))
	}
	return s, nil
}

// HoleRequest is what a hole shows of the request it is rendered for. The
// server waits for the live hole's data (?delay=) before it asks for it:
// this package neither sleeps nor reads the clock.
type HoleRequest struct {
	Start  time.Time     // when the request arrived
	At     time.Time     // now, as the hole is rendered
	Waited time.Duration // how long the live hole's data took
}

// RenderHole renders one hole of a PPR page for a request.
func RenderHole(ctx context.Context, w io.Writer, name string, req HoleRequest) error {
	at := req.At.UTC()
	clock, iso := at.Format("15:04:05.000 UTC"), at.Format(time.RFC3339Nano)
	switch name {
	case HoleDelivery:
		return web.DeliveryHole(clock, iso, formatDuration(at.Sub(req.Start))).Render(ctx, w)
	case HoleLive:
		return web.LiveHole(strconv.FormatInt(req.Waited.Milliseconds(), 10), clock, iso).Render(ctx, w)
	}
	return fmt.Errorf("no hole named %q", name)
}
