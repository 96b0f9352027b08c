vcl 4.1;

# Varnish in front of several Renderwise replicas (docs/deploy.md).
#
# The replicas already say what may be cached (DESIGN.md §4), and this file
# mostly lets Varnish follow them:
#
#   SSG   Cache-Control: public, max-age=0, must-revalidate, s-maxage=31536000
#         kept for a year, until purged or banned
#   ISR   Cache-Control: public, max-age=0, must-revalidate, s-maxage=N,
#                        stale-while-revalidate=31536000
#         fresh for N seconds, then served stale (grace) while one
#         background fetch asks a replica for the page again
#   PPR   to this proxy (Surrogate-Capability, from a trusted proxy): the
#         shell with <esi:include> holes, Cache-Control as SSG; cached and
#         assembled per reader, who gets private, no-store
#   SSR, preview, errors, holes
#         Cache-Control: private, no-store
#         never cached: the builtin VCL makes them hit-for-miss
#
# Varnish 6 and 7 map s-maxage to the TTL (it wins over max-age) and
# stale-while-revalidate to the grace; must-revalidate is for browsers and
# Varnish ignores it. Browsers get the origin's Cache-Control unchanged, so
# they revalidate every time and Varnish answers them 304 from memory.
#
# Tested by deploy/varnish_test.go (go test ./deploy), which runs this file
# with the backends block below replaced by the replicas it starts.
#
# Purging, from the Varnish host only (acl purgers):
#
#   curl -X PURGE http://127.0.0.1:6081/articles/x     one page, every encoding
#   curl -X BAN   http://127.0.0.1:6081/articles/      every page whose URL starts so
#   curl -X BAN   http://127.0.0.1:6081/               everything (after a deploy)
#   curl -X PURGE -H 'xkey-purge: tag:nextjs' http://127.0.0.1:6081/
#                                                      every page that declared the tag
#   curl -X PURGE -H 'xkey-softpurge: tag:nextjs' http://127.0.0.1:6081/
#                                                      the same, kept as stale (grace)
#
# Cache tags (DESIGN.md §7) use the xkey module of Debian's varnish-modules:
# each page names what it shows in Surrogate-Key, stored here as xkey and
# never passed on to browsers. A replica started with
# --purge-url http://127.0.0.1:6081/ sends those purges itself after every
# tag revalidation (POST /api/revalidate {"tag": …}).

import directors;
import std;
import xkey;

# Replicas are probed on /readyz, not /healthz: a replica answers 503 there
# while it renders its pages at start and from the moment it is told to
# stop, so with --shutdown-delay longer than two probe intervals (e.g. 5s)
# Varnish stops sending it requests before it closes its listener.
probe renderwise_ready {
	.url = "/readyz";
	.interval = 1s;
	.timeout = 1s;
	.window = 3;
	.threshold = 2;
}

# Two directors over the same replicas. Requests that are not cached (SSR,
# preview, POST) are spread round robin. Fetches of cacheable pages go to
# one replica per URL (a consistent-hash shard director; the next healthy
# replica if that one is sick): with Varnish in front those fetches are a
# few per page and interval, and sending them to one replica means one ISR
# regeneration per page and interval even when the replicas share no state.
# Round robin would ask each replica in turn, each would answer with its own
# stale copy and regenerate it, and a new generation would take up to one
# more interval per replica to show. (With --redis the replicas share one
# generation anyway, and the shard director costs nothing.)
#
# Between BEGIN and END: one backend per replica, added to both directors.
# The test replaces this block with the replicas it starts.
# BEGIN backends
backend replica1 {
	.host = "127.0.0.1";
	.port = "8081";
	.probe = renderwise_ready;
}

backend replica2 {
	.host = "127.0.0.1";
	.port = "8082";
	.probe = renderwise_ready;
}

backend replica3 {
	.host = "127.0.0.1";
	.port = "8083";
	.probe = renderwise_ready;
}

sub vcl_init {
	new replicas = directors.round_robin();
	replicas.add_backend(replica1);
	replicas.add_backend(replica2);
	replicas.add_backend(replica3);

	new by_url = directors.shard();
	by_url.add_backend(replica1);
	by_url.add_backend(replica2);
	by_url.add_backend(replica3);
	by_url.reconfigure();
}
# END backends

# Who may PURGE and BAN: this host only. Add the address of a deploy job
# here if it runs elsewhere.
acl purgers {
	"localhost";
	"127.0.0.1";
	"::1";
}

sub vcl_recv {
	set req.backend_hint = replicas.backend();
	# Headers this file uses internally; never believe a client's.
	unset req.http.X-RW-Encoding;
	unset req.http.X-RW-Cache;
	# This proxy processes ESI: a replica (which trusts this host through
	# --trusted-proxies) then sends PPR pages as a cacheable shell with
	# <esi:include> holes (see vcl_backend_response). A client's own claim
	# is never passed on.
	set req.http.Surrogate-Capability = "varnish=ESI/1.0";
	# An included part or hole goes into a page Varnish compresses with
	# gzip: never ask for brotli there.
	if (req.esi_level > 0) {
		set req.http.Accept-Encoding = "gzip";
	}

	if (req.method == "PURGE") {
		if (client.ip !~ purgers) {
			return (synth(403, "Forbidden"));
		}
		# By cache tag: every object that declared it, all encodings.
		if (req.http.xkey-purge) {
			return (synth(200, "Purged " + xkey.purge(req.http.xkey-purge) + " objects"));
		}
		if (req.http.xkey-softpurge) {
			return (synth(200, "Marked " + xkey.softpurge(req.http.xkey-softpurge) + " objects stale"));
		}
		# The brotli variant of a page is stored under its own hash (see
		# below): purge it first, then vcl_purge restarts once to purge the
		# gzip and identity variant.
		if (req.restarts == 0) {
			set req.http.X-RW-Encoding = "br";
		}
		return (purge);
	}
	if (req.method == "BAN") {
		if (client.ip !~ purgers) {
			return (synth(403, "Forbidden"));
		}
		# Lazy invalidation of every page whose path starts with the
		# request's path; objects carry their URL in X-Url for this.
		if (std.ban("obj.http.X-Url ~ ^" + regsuball(req.url, "([.?*+^$()\[\]{}|\\])", "\\\1"))) {
			return (synth(200, "Banned"));
		}
		return (synth(400, std.ban_error()));
	}

	# Health, readiness and metrics describe one replica; never cache them.
	if (req.url ~ "^/(healthz|readyz|metrics)(\?|$)") {
		return (pass);
	}

	# Draft preview: the reader sees drafts and every page is rendered for
	# them (the replica answers private, no-store); never look it up.
	if (req.http.Cookie ~ "(^|;)\s*rw_preview=") {
		return (pass);
	}

	# The theme cookie must not stop caching: pages do not vary by it, a
	# small inline script applies it in the browser. Drop it, and the
	# Cookie header if nothing else is left. Any other cookie still makes
	# the builtin VCL pass, which is the safe default for cookies this file
	# does not know.
	if (req.http.Cookie) {
		set req.http.Cookie = regsuball(req.http.Cookie, "(^|;)\s*theme=[^;]*", "");
		set req.http.Cookie = regsub(req.http.Cookie, "^[;\s]+", "");
		if (req.http.Cookie ~ "^\s*$") {
			unset req.http.Cookie;
		}
	}

	# Encodings. The replicas compress each page once with gzip and with
	# brotli and send what the client accepts, with Vary: Accept-Encoding.
	# Varnish rewrites Accept-Encoding to "gzip" (or removes it) before the
	# lookup and asks the backend for gzip, so on its own it would store one
	# gzip object and serve gzip to brotli clients too (and gunzip for
	# clients that accept neither). To keep brotli, clients that accept br
	# get a second object, stored under its own hash and fetched with
	# Accept-Encoding: br. Varnish keeps that body as it is (it only
	# understands gzip) and serves it only to those clients.
	if ((req.method == "GET" || req.method == "HEAD") && req.esi_level == 0 &&
	    req.http.Accept-Encoding ~ "(?i)(^|,)\s*br\s*(;|,|$)" &&
	    req.http.Accept-Encoding !~ "(?i)(^|,)\s*br\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$)") {
		set req.http.X-RW-Encoding = "br";
	}
	# Resized images vary by Accept (WebP for clients that name it). Keep
	# one object per format, not one per browser's Accept string.
	if (req.url ~ "^/_img/") {
		if (req.http.Accept ~ "(?i)image/webp" && req.http.Accept !~ "(?i)image/webp\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$)") {
			set req.http.Accept = "image/webp";
		} else {
			unset req.http.Accept;
		}
	}
	# Fall through to the builtin vcl_recv: methods other than GET and HEAD,
	# Authorization (POST /api/revalidate) and any remaining cookie pass.
}

# The cache key is the URL (and br for the brotli variant), not the Host:
# a Renderwise page does not depend on the Host it was asked for (canonical
# URLs come from --base-url), so every name the site answers to shares one
# object, and PURGE works whatever Host the purging script sends.
sub vcl_hash {
	hash_data(req.url);
	if (req.http.X-RW-Encoding) {
		hash_data(req.http.X-RW-Encoding);
	}
	return (lookup);
}

sub vcl_purge {
	if (req.restarts == 0) {
		return (restart);
	}
	return (synth(200, "Purged"));
}

sub vcl_hit {
	if (obj.ttl >= 0s) {
		set req.http.X-RW-Cache = "HIT";
	} else {
		# In grace: served stale while one background fetch refreshes it.
		set req.http.X-RW-Cache = "STALE";
	}
}

sub vcl_miss {
	set req.http.X-RW-Cache = "MISS";
}

sub vcl_pass {
	set req.http.X-RW-Cache = "PASS";
}

sub vcl_backend_fetch {
	# Fetches of cacheable pages (misses and background refreshes) go to
	# the replica that owns the URL; passes and hit-for-miss (SSR, preview,
	# POST) keep the round robin set in vcl_recv.
	if (!bereq.uncacheable && !bereq.is_hitmiss) {
		set bereq.backend = by_url.backend(by=URL);
	}
	# Varnish has set Accept-Encoding: gzip on cache fetches; the brotli
	# variant asks for br instead.
	if (bereq.http.X-RW-Encoding == "br") {
		set bereq.http.Accept-Encoding = "br";
	}
	unset bereq.http.X-RW-Encoding;
	unset bereq.http.X-RW-Cache;
}

sub vcl_backend_response {
	# For BAN (above); removed again before delivery.
	set beresp.http.X-Url = bereq.url;
	# The page's cache tags, for purging by tag (xkey reads this header).
	if (beresp.http.Surrogate-Key) {
		set beresp.http.xkey = beresp.http.Surrogate-Key;
	}

	# A PPR shell (DESIGN.md §7): cached like an SSG page, its includes
	# processed at delivery — each cached part (/_parts/…) kept by its own
	# Cache-Control, each hole (/_holes/…, private) fetched per reader.
	# Varnish stores the shell gzipped, compressed once.
	if (beresp.http.Surrogate-Control ~ "ESI/1\.0") {
		unset beresp.http.Surrogate-Control;
		set beresp.do_esi = true;
		set beresp.http.X-RW-ESI = "1";
		if (bereq.http.Accept-Encoding ~ "gzip") {
			set beresp.do_gzip = true;
		}
	}

	# Only what the replicas mark cacheable is cached: without
	# Cache-Control, Varnish would keep a response for default_ttl.
	if (!beresp.http.Cache-Control) {
		set beresp.ttl = 0s;
	}

	# A replica answers X-Cache: STALE when it served its last page of an
	# ISR route while it regenerates it (in milliseconds). Keep that answer
	# for a second instead of a whole interval, so the new generation
	# reaches readers one second later instead of one interval later.
	if (beresp.http.X-Cache == "STALE" && beresp.ttl > 1s) {
		set beresp.ttl = 1s;
	}
	# Fall through to the builtin vcl_backend_response: private, no-store,
	# no-cache and Set-Cookie make the object hit-for-miss (never cached).
}

sub vcl_deliver {
	# HIT, STALE (grace), MISS (including hit-for-miss) or PASS.
	set resp.http.X-Cache-Varnish = req.http.X-RW-Cache;
	unset resp.http.X-Url;
	# A page assembled from a shell and holes is the reader's own: no
	# browser or cache after this one may keep it or revalidate it.
	if (resp.http.X-RW-ESI) {
		set resp.http.Cache-Control = "private, no-store";
		unset resp.http.ETag;
		unset resp.http.X-RW-ESI;
	}
	# Tags are for caches: browsers need none of them.
	unset resp.http.xkey;
	unset resp.http.Surrogate-Key;
	unset resp.http.Cache-Tag;
}
