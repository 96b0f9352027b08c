// Package shared owns the page store that several replicas share on Redis,
// so that they serve one generation of each ISR page and regenerate it once
// across the fleet. [Redis] implements [cache.Shared]; [Redis.Follow] brings
// the pages other replicas publish into this replica's cache, and
// [Redis.Join] makes a starting replica serve the generation the others
// already serve.
//
// # Keys
//
// Every key starts with renderwise:{NAMESPACE}: (the braces keep all of
// them in one Redis Cluster slot, as the Lua scripts need):
//
//	page:ROUTE   hash: gen (generation time), stale (when it is due),
//	             page (the encoded page: bodies, ETag, times, mode …)
//	claim:ROUTE  the replica regenerating ROUTE (30s at most: the cache's claim TTL)
//	routes       set of the routes with a page, for catching up
//	pages        the channel: TOKEN|ROUTE for each published page
//	tags         the channel: TOKEN|EXPIRE|AT|TAG for each tag revalidation
//
// Pages are kept for [pageTTL] after their last publication. Times are
// compared as zero-padded decimal strings of Unix nanoseconds: Lua numbers
// are doubles and would round them.
//
// # Failures
//
// Every call has a short timeout ([Config.Timeout]). Errors are returned to
// the cache, which logs them and carries on from memory; the follower
// reconnects with backoff and catches up on what it missed.
package shared
