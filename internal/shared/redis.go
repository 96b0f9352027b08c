package shared

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/renderwise/renderwise/internal/page"
)

// pageTTL is how long a page stays in Redis after it was last published:
// long enough to outlive any regeneration interval, short enough that the
// keys of an old build's namespace go away on their own.
const pageTTL = 7 * 24 * time.Hour

// Config holds the settings of a [Redis].
type Config struct {
	// URL is redis://[user:password@]host:port[/db] (or rediss://, unix://).
	URL string
	// Namespace separates builds: replicas share pages only within one
	// namespace. Empty means "default".
	Namespace string
	// Timeout bounds every call to Redis; 500ms if zero.
	Timeout time.Duration
	Log     *slog.Logger
	Now     func() time.Time // the clock; time.Now if nil
}

// Redis is a page store shared by replicas. It is safe for concurrent use.
type Redis struct {
	client     *redis.Client
	prefix     string
	channel    string // pages published
	tagChannel string // tags revalidated
	id         string // this replica's claim token
	timeout    time.Duration
	log        *slog.Logger
	now        func() time.Time
	addr       string
}

// New returns a Redis for cfg.URL. It does not connect: a Redis that is
// down at start only means pages stay in memory until it is back.
func New(cfg Config) (*Redis, error) {
	opt, err := parseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 500 * time.Millisecond
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "default"
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// Short timeouts everywhere: a slow Redis must never hold a request.
	// The URL may still set them (?dial_timeout=…) for a distant Redis.
	u, _ := url.Parse(cfg.URL) // parsed by ParseURL above
	q := u.Query()
	if !q.Has("dial_timeout") {
		opt.DialTimeout = cfg.Timeout
	}
	if !q.Has("read_timeout") {
		opt.ReadTimeout = cfg.Timeout
	}
	if !q.Has("write_timeout") {
		opt.WriteTimeout = cfg.Timeout
	}
	if !q.Has("pool_timeout") {
		opt.PoolTimeout = cfg.Timeout
	}
	if !q.Has("max_retries") {
		opt.MaxRetries = 1 // one retry on a fresh connection after Redis restarts
	}
	opt.ContextTimeoutEnabled = true
	opt.DisableIdentity = true // no CLIENT SETINFO round trip on each connection
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	// go-redis logs through one package-level logger; send it to ours, at
	// debug level: the errors that matter are returned and logged by us.
	redis.SetLogger(redisLogger{cfg.Log})

	token := make([]byte, 8)
	rand.Read(token)
	prefix := "renderwise:{" + cfg.Namespace + "}:"
	return &Redis{
		client: redis.NewClient(opt), prefix: prefix, channel: prefix + "pages", tagChannel: prefix + "tags", id: hex.EncodeToString(token),
		timeout: cfg.Timeout, log: cfg.Log, now: cfg.Now, addr: opt.Addr,
	}, nil
}

// CheckURL reports what is wrong with a Redis URL, if anything.
func CheckURL(raw string) error {
	_, err := parseURL(raw)
	return err
}

func parseURL(raw string) (*redis.Options, error) {
	opt, err := redis.ParseURL(raw)
	if err != nil {
		// url.Error repeats the whole URL, password included: drop it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("redis URL: %w", err)
	}
	return opt, nil
}

// Addr is the address of the Redis server, for logs (the URL may hold a
// password; the address does not).
func (r *Redis) Addr() string { return r.addr }

// Close closes the connections to Redis.
func (r *Redis) Close() error { return r.client.Close() }

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	return r.client.Ping(ctx).Err()
}

// claimScript takes the right to regenerate a route, unless the shared
// generation makes it needless: the replica asking has only missed it (it
// arrives through Follow) and must not render it again. Without since
// (ARGV[4] empty) that is a generation not due yet; with since (a cache tag
// of the page was revalidated then), a generation made after since.
//
//	KEYS: page, claim    ARGV: now, token, ttl ms, since
var claimScript = redis.NewScript(`
local h = redis.call('HMGET', KEYS[1], 'gen', 'stale')
if ARGV[4] == '' then
  if h[2] and h[2] > ARGV[1] then return 0 end
elseif h[1] and h[1] > ARGV[4] then return 0 end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0
`)

// Claim takes the fleet-wide right to regenerate route for ttl. It reports
// false if another replica holds it, or if a generation that makes the
// render needless was published since this replica's copy went stale (see
// [cache.Shared]).
func (r *Redis) Claim(ctx context.Context, route string, ttl time.Duration, since time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	after := ""
	if !since.IsZero() {
		after = stamp(since)
	}
	n, err := claimScript.Run(ctx, r.client, []string{r.key("page", route), r.key("claim", route)},
		stamp(r.now()), r.id, max(ttl.Milliseconds(), 1), after).Int()
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", route, err)
	}
	return n == 1, nil
}

// RevalidateTag announces a tag revalidation to every replica, as
// "TOKEN|EXPIRE|AT|TAG" on the tags channel (EXPIRE is 0 or 1, AT a
// stamp); each marks its own pages of the tag.
func (r *Redis) RevalidateTag(ctx context.Context, tag string, expire bool, at time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	e := "0"
	if expire {
		e = "1"
	}
	if err := r.client.Publish(ctx, r.tagChannel, r.id+"|"+e+"|"+stamp(at)+"|"+tag).Err(); err != nil {
		return fmt.Errorf("revalidate tag %s: %w", tag, err)
	}
	return nil
}

// releaseScript deletes a claim if this replica holds it.
//
//	KEYS: claim    ARGV: token
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Release gives up this replica's claim on route, if it holds one: its
// regeneration failed, and another replica (or this one, next interval) may
// try. A claim held by another replica is left alone.
func (r *Redis) Release(ctx context.Context, route string) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := releaseScript.Run(ctx, r.client, []string{r.key("claim", route)}, r.id).Err(); err != nil {
		return fmt.Errorf("release %s: %w", route, err)
	}
	return nil
}

// publishScript stores a page unless the same or a newer generation is
// stored, releases this replica's claim, and announces the route as
// "TOKEN|ROUTE" (a replica skips its own announcements).
//
//	KEYS: page, claim, routes    ARGV: gen, stale, page, token, route, channel, keep ms
var publishScript = redis.NewScript(`
if redis.call('GET', KEYS[2]) == ARGV[4] then redis.call('DEL', KEYS[2]) end
local cur = redis.call('HGET', KEYS[1], 'gen')
if cur and cur >= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'gen', ARGV[1], 'stale', ARGV[2], 'page', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('SADD', KEYS[3], ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[7])
redis.call('PUBLISH', ARGV[6], ARGV[4] .. '|' .. ARGV[5])
return 1
`)

// Publish stores p unless the same or a newer generation of its route is
// stored, and tells every replica. A page that is not newer is dropped
// without error: the shared generation is the one to serve.
func (r *Redis) Publish(ctx context.Context, p *page.Page) error {
	_, err := r.publish(ctx, p)
	return err
}

// publish is Publish, reporting whether p was stored.
func (r *Redis) publish(ctx context.Context, p *page.Page) (bool, error) {
	data, err := encode(p)
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	n, err := publishScript.Run(ctx, r.client,
		[]string{r.key("page", p.Route), r.key("claim", p.Route), r.prefix + "routes"},
		stamp(p.Generated), stamp(p.StaleAt()), data, r.id, p.Route, r.channel, pageTTL.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("publish %s: %w", p.Route, err)
	}
	return n == 1, nil
}

// Latest returns the shared generation of route, or nil if there is none.
func (r *Redis) Latest(ctx context.Context, route string) (*page.Page, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	data, err := r.client.HGet(ctx, r.key("page", route), "page").Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", route, err)
	}
	return decode(route, data)
}

// routes returns every route with a shared page.
func (r *Redis) routes(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	routes, err := r.client.SMembers(ctx, r.prefix+"routes").Result()
	if err != nil {
		return nil, fmt.Errorf("list routes: %w", err)
	}
	return routes, nil
}

func (r *Redis) key(kind, route string) string { return r.prefix + kind + ":" + route }

// stamp is t as a fixed-width decimal of Unix nanoseconds, so that Lua can
// compare two of them as strings.
func stamp(t time.Time) string {
	n := max(t.UnixNano(), 0)
	return fmt.Sprintf("%020d", n)
}

// encode and decode use gob: the page is a plain struct of bytes, strings
// and times, and gob tolerates fields added later.
func encode(p *page.Page) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(p.Body) + len(p.Gzip) + len(p.Brotli) + 512)
	if err := gob.NewEncoder(&buf).Encode(p); err != nil {
		return nil, fmt.Errorf("encode %s: %w", p.Route, err)
	}
	return buf.Bytes(), nil
}

func decode(route string, data []byte) (*page.Page, error) {
	var p page.Page
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&p); err != nil {
		return nil, fmt.Errorf("decode %s: %w", route, err)
	}
	if p.Route != route {
		return nil, fmt.Errorf("decode %s: the stored page is of %s", route, p.Route)
	}
	return &p, nil
}

// redisLogger sends go-redis's own log lines to slog at debug level.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis client: "+fmt.Sprintf(format, v...))
}
