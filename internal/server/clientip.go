package server

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address of the client: the peer, or — only when the peer
// is a configured trusted proxy — the nearest address in X-Forwarded-For
// that is not a trusted proxy. Without trusted proxies the header is
// ignored, so a client cannot forge its address. (chi's middleware.RealIP
// believes X-Forwarded-For and X-Real-IP from any peer, which is what the
// design forbids; the rate limit and the access log depend on this answer.)
func (s *Server) clientIP(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if !s.trusted(addr) {
		return addr.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		addr = hop.Unmap()
		if !s.trusted(addr) {
			break
		}
	}
	return addr.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
