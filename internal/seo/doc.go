// Package seo owns what the site tells search engines and feed readers about
// itself: canonical URLs built from the configured base URL, the sitemap (or a
// sitemap index with its child files), robots.txt, the Atom feed and the
// schema.org JSON-LD values embedded in pages.
//
// Everything here is a pure function of plain values. The package never sees
// an HTTP request, so a URL is always built from the base URL the operator
// configured (checked once with [ValidBaseURL]) and never from a Host header.
// Times are passed in, never read from the clock, and output keeps the order
// of its input, so the same values always give the same bytes.
//
// # Files
//
//   - [Sitemaps] returns "/sitemap.xml", plus "/sitemaps/1.xml", "/sitemaps/2.xml",
//     … when there are more than [MaxSitemapURLs] pages.
//   - [Robots] returns "/robots.txt".
//   - [Feed.Atom] returns "/feed.xml", an Atom 1.0 document (RFC 4287).
//
// # JSON-LD
//
// [Article], [Breadcrumbs] and [WebSite] return typed values for the caller to
// marshal with [encoding/json.Marshal] into a <script type="application/ld+json">
// element. Marshal escapes <, > and & as \u003c, \u003e and \u0026 by default,
// which is what keeps a hostile headline from closing the script element; do
// not turn that escaping off.
package seo
