// Package metrics owns Renderwise's Prometheus collectors. They are
// registered on a registry the caller gives, never globally, so tests and
// several servers in one process do not collide.
package metrics

import "github.com/prometheus/client_golang/prometheus"

// Metrics holds every collector.
type Metrics struct {
	Renders        *prometheus.CounterVec   // pages rendered, by mode
	RenderSeconds  *prometheus.HistogramVec // render duration, by mode
	CacheResults   *prometheus.CounterVec   // lookups, by mode and result (HIT, STALE, MISS)
	Regenerations  *prometheus.CounterVec   // ISR regenerations, by result (ok, error)
	Pages          prometheus.Gauge         // pages held in memory
	PageBytes      prometheus.Gauge         // bytes of those pages, all encodings
	Requests       *prometheus.CounterVec   // HTTP requests, by route pattern, method, status and mode
	RequestSeconds *prometheus.HistogramVec // HTTP latency, by route pattern
	Refusals       *prometheus.CounterVec   // requests refused to protect the server, by reason

	TagRevalidations    *prometheus.CounterVec // tag revalidations, by expire
	TagRevalidatedPages prometheus.Counter     // pages marked by them
	Purges              *prometheus.CounterVec // purges sent to the caching proxy, by result
	Holes               *prometheus.CounterVec // holes of PPR pages rendered, by hole and result
}

// New creates the collectors and registers them on reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Renders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_renders_total", Help: "Pages rendered, by rendering mode.",
		}, []string{"mode"}),
		RenderSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "renderwise_render_duration_seconds", Help: "Time to render a page, by rendering mode.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"mode"}),
		CacheResults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_cache_results_total", Help: "Page cache lookups, by mode and result.",
		}, []string{"mode", "result"}),
		Regenerations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_regenerations_total", Help: "ISR regenerations, by result.",
		}, []string{"result"}),
		Pages: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "renderwise_pages", Help: "Pages held in memory.",
		}),
		PageBytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "renderwise_page_bytes", Help: "Bytes of the pages held in memory, all encodings.",
		}),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_http_requests_total", Help: "HTTP requests, by route pattern, method, status and mode.",
		}, []string{"route", "method", "status", "mode"}),
		RequestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "renderwise_http_request_duration_seconds", Help: "HTTP request latency, by route pattern.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 12),
		}, []string{"route"}),
		Refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_refusals_total", Help: "Requests refused to protect the server: token guesses over the rate limit (rate_limit), image resizes with no memory free (image_memory).",
		}, []string{"reason"}),
		TagRevalidations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_tag_revalidations_total", Help: "Revalidations by cache tag, by expire (false: stale while it regenerates; true: the next request waits).",
		}, []string{"expire"}),
		TagRevalidatedPages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "renderwise_tag_revalidated_pages_total", Help: "Stored pages marked out of date by tag revalidations.",
		}),
		Purges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_purges_total", Help: "Tag purges sent to the caching proxy (--purge-url), by result.",
		}, []string{"result"}),
		Holes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renderwise_holes_total", Help: "Holes of partially prerendered pages rendered per request, by hole and result (ok, error: its error fallback was sent, canceled: the reader left).",
		}, []string{"hole", "result"}),
	}
	reg.MustRegister(m.Holes, m.Renders, m.RenderSeconds, m.CacheResults, m.Regenerations, m.Pages, m.PageBytes, m.Requests, m.RequestSeconds, m.Refusals, m.TagRevalidations, m.TagRevalidatedPages, m.Purges)
	return m
}
