package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/rendercode"
	"github.com/renderwise/renderwise/internal/shared"
)

// newShared connects serve to the Redis given with --redis, or returns nil
// without it.
func newShared(cfg ServeConfig, set *assets.Set, log *slog.Logger) (*shared.Redis, error) {
	if cfg.Redis == "" {
		return nil, nil
	}
	ns, err := sharedNamespace(cfg.BaseURL, set)
	if err != nil {
		return nil, err
	}
	rs, err := shared.New(shared.Config{URL: cfg.Redis, Namespace: ns, Log: log, Now: cfg.now})
	if err != nil {
		return nil, fmt.Errorf("%w: --redis: %v", ErrUsage, err)
	}
	return rs, nil
}

// sharedNamespace names the pages replicas may share: those of one
// rendering code (internal/rendercode, which covers the templates and the
// page format the replicas exchange), one set of assets and one base URL.
// During a rolling deploy that changes rendering, old and new replicas
// therefore never serve each other's pages, which link stylesheets by
// fingerprints the other build does not have; a deploy that changes only
// the server keeps sharing. Content is left out on purpose: a new
// generation with new content is what replicas share.
func sharedNamespace(baseURL string, set *assets.Set) (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, rendercode.Version())
	fmt.Fprintln(h, baseURL)
	for _, name := range slices.Sorted(maps.Keys(set.All())) {
		fmt.Fprintln(h, name)
	}
	return hex.EncodeToString(h.Sum(nil)[:6]), nil
}

// followShared starts following the shared store and makes this replica
// serve the generation the others serve (see [shared.Redis.Join]). The
// returned function stops following and closes the connections; it is a
// no-op without --redis.
func (a *app) followShared(ctx context.Context) (stop func()) {
	if a.shared == nil {
		return func() {}
	}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.shared.Follow(fctx, a.cache)
	}()
	now := time.Now
	if a.cfg.now != nil {
		now = a.cfg.now
	}
	var paths []string
	for _, rt := range page.Routes(a.store.Site()) {
		paths = append(paths, rt.Path)
	}
	adopted, published, err := a.shared.Join(ctx, a.cache, paths, now())
	if err != nil {
		a.log.Warn("shared store unreachable at start; serving this replica's pages", "addr", a.shared.Addr(), "err", err)
	} else {
		a.log.Info("joined the shared store", "addr", a.shared.Addr(), "adopted", adopted, "published", published)
	}
	return func() {
		cancel()
		<-done
		a.shared.Close()
	}
}
