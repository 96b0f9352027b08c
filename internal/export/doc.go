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
//	.renderwise-build               the manifest (gob, manifest.go)
//	.renderwise-cache/00 … ff       the parse cache (below)
//	.nginx/pages.map, .nginx/server.conf   included by deploy/nginx.conf
//
// Beside the export (for --out dist): .dist.prev/, the export before the
// current one, kept for the next build to recycle (below).
//
// SSR pages (and /search) are not exported: the summary lists them as
// needing a server. Drafts are never exported.
//
// # Determinism
//
// Two builds of the same content with the same build time
// (SOURCE_DATE_EPOCH), base URL and rendering code are byte-identical,
// manifest included: routes are listed in a stable order, compressed bodies
// carry no time or name (internal/compress), and nothing reads the clock.
//
// # Atomic and incremental
//
// A build writes a temporary folder beside the target (same parent, so the
// same file system) and, only when every file is written, renames the
// current export to a backup, the new one into place, and the backup to
// .dist.prev, where the next build recycles it. A failed or interrupted build
// removes its temporary folder and leaves the current export untouched; a
// build killed between the renames is repaired by the next one. Only one
// build may write a folder at a time. Deleting the export (to force a clean
// build) makes the next build delete .dist.prev too.
//
// Incremental builds are copy-on-write. The manifest records, for every
// output file, a key: a hash of everything its bytes depend on. For a
// rendered output (page, preview image, 404 page) that is what its render
// declared it read — its cache tags, page.Page.Tags — with each tag's
// digest (page.Digest), so the export keeps no list of its own of what a
// page shows; the manifest records the tags too, and a build works out each
// recorded output's key again from them: equal means nothing it read
// changed. Assets and files beside the articles are keyed on their bytes.
//
// Every key also holds what every output depends on: the rendering code
// (Config.Version, which the CLI takes from internal/rendercode: a hash of
// the source that renders, not of the executable, so `go run` and
// `make build` of one tree share exports), the base URL, the settings
// (page.SettingsDigest) and the assets' fingerprinted names. The manifest
// records these apart; when one differs nothing can be reused, and the
// build says which in Summary.Stale ("base URL changed from … to …"), as
// [Read] does in Prebuilt.Stale. An export whose manifest is of another
// format is rebuilt whole the same way, saying so, never refused.
// It writes into
// the export before the current one (.dist.prev), renamed to its temporary
// name and its manifest removed before anything else: an output recorded
// there with the key it has now stays as it is; one the current export has
// with that key is hard-linked from it — the same inode, so the same bytes
// and modification time; any other is rendered. Outputs of the recycled
// folder that the new site does not have, or has with another key, are
// removed first. The swap then happens as for a clean build. The result is
// byte-identical to a clean build with the same inputs (tested:
// TestIncrementalEqualsClean, TestRecycledBuildsEqualClean), and the current
// export stays intact until the swap.
//
// Why recycle rather than start from an empty folder (as the first build
// after a clean one still does): an empty folder needs a hard link for every
// file and, after the swap, the old export removed file by file, with a
// folder per page made and removed — at 10,000 articles about 120,000 file
// system operations, three seconds on the benchmark machine, three times the
// budget of a one-article rebuild. Recycling touches only what changed since
// the export before last. What it costs is disk: .dist.prev stays beside the
// export, mostly hard links to the same files, plus its folders and the
// files that changed since.
//
// Files are never written in place: a file in the way is unlinked first,
// since the recycled folder shares inodes with the export being served.
// Exported files must not be edited in place either, for the same reason.
// Adding or removing files in a served export is allowed: the folders
// changed since that export was written (one lstat per folder finds them)
// are listed when it is recycled, and made to match its manifest.
//
// # Another export to take from, and copies
//
// A build with [Config.Reuse] also takes outputs from another export of the
// same site — the one `renderwise build` and `serve` keep in the cache
// folder (internal/cachedir) — when neither the recycled folder nor the
// current export has them with their current key: hard-linked, or copied
// across file systems, and checked by the same keys, so the result is the
// export a clean build makes (TestReuseTakesWhatIsCurrent), and a file
// there shorter than its manifest says is made again. An export there with
// other inputs is ignored whole. The kept export is itself written by a
// build, with Reuse naming the export just made, so that keeping it
// recycles the one kept before and changes only what differs.
// A server writing its cache folder gives the pages it started with in
// [Deps.Pages]: those of the build time are written as they are (their
// plain body inflated from gzip) instead of being rendered again.
//
// Read checks that each page's files are as long as the manifest says, so
// that a file cut short — data that never reached the disk before a power
// cut, the renames did — is not served; a build needs no fsync per file.
//
// # Parse cache
//
// renderwise build loads the articles through a [ParseCache] kept in the
// export (content.LoadCached): parsed articles — front matter, rendered
// HTML, headings, links, in the content package's layout — spread over 256
// files by name. An entry's name is a hash of the rendering code version
// (Config.Version) and of content's key (the file's name and bytes, the
// renderer's module versions); an article whose file is unchanged, and the
// images it shows too, is decoded from its entry instead of going through
// goldmark and chroma again. The cache holds exactly the entries of the site
// the export was built from, and only one build's: a clean build (into an
// empty or deleted folder) starts with an empty cache, the swap keeps the
// cache and the pages made from it together, and nothing needs collecting.
// It lives in the export rather than beside it for those reasons; a cache
// folder that keeps an export keeps its parse cache with it.
// Like the manifest it is a dot-file, which deploy/nginx.conf does not
// serve; it is about the size of the articles' HTML (130 MB for 10,000
// generated articles), so a deploy that copies the export can leave dot-files
// out. It never changes anything else that is exported (tested:
// TestParseCacheChangesNoByte builds with and without it).
//
// The build time is part of the key of every HTML page, which shows it: a
// build with another SOURCE_DATE_EPOCH (or without one: then the time is
// now) renders every HTML page again, but keeps the preview images, feeds
// and sitemaps whose inputs did not change. Set SOURCE_DATE_EPOCH (for
// example to the last commit's time) to get truly incremental builds.
package export
