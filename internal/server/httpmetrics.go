package server

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/renderwise/renderwise/internal/metrics"
)

// httpMetrics keeps the request counter and latency histogram of each label
// combination once looked up, so counting a request allocates nothing.
type httpMetrics struct {
	m        *metrics.Metrics
	mu       sync.RWMutex
	byLabels map[httpLabels]httpCollectors
}

type httpLabels struct {
	route, method, mode string
	status              int
}

type httpCollectors struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func (h *httpMetrics) observe(route, method string, status int, mode string, d time.Duration) {
	switch method {
	case "GET", "HEAD", "POST":
	default:
		method = "OTHER" // clients choose methods; labels must stay few
	}
	key := httpLabels{route, method, mode, status}
	h.mu.RLock()
	c, ok := h.byLabels[key]
	h.mu.RUnlock()
	if !ok {
		c = httpCollectors{
			requests: h.m.Requests.WithLabelValues(route, method, strconv.Itoa(status), mode),
			latency:  h.m.RequestSeconds.WithLabelValues(route),
		}
		h.mu.Lock()
		h.byLabels[key] = c
		h.mu.Unlock()
	}
	c.requests.Inc()
	c.latency.Observe(d.Seconds())
}
