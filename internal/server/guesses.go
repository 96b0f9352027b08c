package server

import (
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// guessLimiter bounds how often one client may present a wrong secret
// (the revalidate and preview tokens): a few tries at once, then one every
// few seconds, per client address (the forwarded one behind trusted
// proxies). A client that has not guessed wrong is never slowed down; one that
// keeps guessing gets 429 with Retry-After and is counted in
// renderwise_refusals_total{reason="rate_limit"}.
type guessLimiter struct {
	every time.Duration // one more guess per interval
	burst int

	mu      sync.Mutex
	clients map[string]*rate.Limiter
}

// maxGuessClients bounds the limiter's memory: past it, clients whose
// allowance has refilled (they stopped guessing) are forgotten.
const maxGuessClients = 10_000

func newGuessLimiter(every time.Duration, burst int) *guessLimiter {
	return &guessLimiter{every: every, burst: burst, clients: map[string]*rate.Limiter{}}
}

// wait returns how long the client at addr must wait before it may guess
// again; zero if it may guess now.
func (g *guessLimiter) wait(addr string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	lim, ok := g.clients[addr]
	if !ok || lim.TokensAt(now) >= 1 {
		return 0
	}
	return max(time.Second, time.Duration((1-lim.TokensAt(now))*float64(g.every)))
}

// failed records a wrong guess by the client at addr.
func (g *guessLimiter) failed(addr string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	lim, ok := g.clients[addr]
	if !ok {
		if len(g.clients) >= maxGuessClients {
			for a, l := range g.clients {
				if l.TokensAt(now) >= float64(g.burst) {
					delete(g.clients, a)
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(g.every), g.burst)
		g.clients[addr] = lim
	}
	lim.AllowN(now, 1)
}

// checkGuesses refuses a request from a client that has guessed too often.
func (s *Server) checkGuesses(r *http.Request) error {
	if d := s.guesses.wait(s.clientIP(r), s.now()); d > 0 {
		s.metrics.Refusals.WithLabelValues("rate_limit").Inc()
		return &StatusError{Status: http.StatusTooManyRequests, Msg: "too many wrong tokens from this address; try again later", RetryAfter: d}
	}
	return nil
}

// wrongGuess records a wrong token from the client of r.
func (s *Server) wrongGuess(r *http.Request) { s.guesses.failed(s.clientIP(r), s.now()) }
