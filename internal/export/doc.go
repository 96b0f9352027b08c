// Package export writes the site as a folder of static files — the
// `renderwise build` command — and reads such a folder back into pages for
// `renderwise serve --prebuilt`. It renders with the same page.Builder the
// server uses, so an exported file holds the same bytes the server sends for
// its path at the same build time. It knows nothing of chi or sockets.
//
// # Layout
//
//	index.html                      /
//	articles/x/index.html           /articles/x (clean URLs: x/index.html)
//	tags/index.html, tags/t/…       /tags, /tags/t
//	feed.xml, sitemap.xml, robots.txt, sitemaps/N.xml
//	og/articles/x.png, og/index.png preview images of every page
//	404.html                        the not-found page
//	static/site.1a2b3c4d5e.css      fingerprinted assets
//	articles/x/diagram.svg          files beside the articles
//	….gz, ….br                      beside every text file, compressed once
//	.renderwise-build.json          the manifest
//	.nginx/pages.map, .nginx/server.conf   included by deploy/nginx.conf
//
// SSR pages (and /search) are not exported: the summary lists them as
// needing a server. Drafts are never exported.
//
// # Determinism
//
// Two builds of the same content with the same build time
// (SOURCE_DATE_EPOCH), base URL and binary are byte-identical, manifest
// included: routes are listed in a stable order, compressed bodies carry no
// time or name (internal/compress), and nothing reads the clock.
//
// # Atomic and incremental
//
// A build writes a temporary folder beside the target (same parent, so the
// same file system) and, only when every file is written, renames the old
// export to a backup, the new one into place, and removes the backup. A
// failed or interrupted build removes its temporary folder and leaves the
// previous export untouched; a build killed between the two renames is
// repaired by the next one. Only one build may write a folder at a time.
//
// Incremental builds are copy-on-write. The manifest records, for every
// output file, a key: a hash of everything its bytes depend on (see keyer).
// A build computes the key of every output of the new site; an output whose
// key is unchanged is hard-linked from the previous export into the
// temporary folder — the same inode, so the same bytes and modification
// time — and only the others are rendered. The swap then happens as for a
// clean build. The result is byte-identical to a clean build with the same
// inputs (tested), and the previous export stays intact until the swap.
//
// The build time is part of the key of every HTML page, which shows it: a
// build with another SOURCE_DATE_EPOCH (or without one: then the time is
// now) renders every HTML page again, but keeps the preview images, feeds
// and sitemaps whose inputs did not change. Set SOURCE_DATE_EPOCH (for
// example to the last commit's time) to get truly incremental builds.
package export
