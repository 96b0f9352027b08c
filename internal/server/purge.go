package server

import (
	"context"
	"net/http"
	"time"
)

// purgeClient sends purges to the proxy in front; a proxy that does not
// answer in time is logged, and the pages age out by their Cache-Control.
var purgeClient = &http.Client{Timeout: 3 * time.Second}

// purge tells the caching proxy at Config.PurgeURL to drop (expire) or mark
// stale (not expire) every object tagged tag, as the shipped Varnish
// configuration does with the xkey module: a PURGE request carrying the
// tag in xkey-purge or xkey-softpurge. It reports whether the proxy
// answered 2xx; without a purge URL it does nothing.
func (s *Server) purge(ctx context.Context, tag string, expire bool) bool {
	if s.cfg.PurgeURL == "" {
		return false
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), "PURGE", s.cfg.PurgeURL, nil)
	if err != nil {
		s.log.Error("purge at the proxy", "tag", tag, "err", err)
		return false
	}
	header := "Xkey-Softpurge"
	if expire {
		header = "Xkey-Purge"
	}
	req.Header.Set(header, tag)
	resp, err := purgeClient.Do(req)
	if err != nil {
		s.log.Warn("purge at the proxy failed; its copies age out by their Cache-Control", "tag", tag, "err", err)
		s.metrics.Purges.WithLabelValues("error").Inc()
		return false
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		s.log.Warn("the proxy refused a purge", "tag", tag, "status", resp.StatusCode)
		s.metrics.Purges.WithLabelValues("error").Inc()
		return false
	}
	s.metrics.Purges.WithLabelValues("ok").Inc()
	return true
}
