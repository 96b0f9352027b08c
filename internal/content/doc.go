// Package content owns the articles: it reads `*.md` files from an [fs.FS],
// decodes their front matter strictly, renders their bodies with the markdown
// package, validates everything, and builds an immutable [Site].
//
// # Files and paths
//
// A file `node/event-loop.md` in the FS becomes the article at
// `/articles/node/event-loop`. Every path segment must be lowercase letters,
// digits and hyphens. Other files (images, diagrams) are served beside the
// articles by the server; the content package only checks that the images an
// article refers to exist.
//
// # Front matter
//
// Each file starts with a YAML block between `---` lines. Keys:
//
//	title        string, required
//	description  string, required, at most 160 characters
//	date         YYYY-MM-DD, required
//	updated      YYYY-MM-DD, not before date
//	tags         list of lowercase slugs
//	series       slug; with order (a positive integer, unique in the series)
//	render       ssg (default) | isr | ssr
//	revalidate   duration such as 60s; required for isr, forbidden otherwise
//	draft        bool
//	aliases      list of site paths that redirect here
//	image        cover image, a file beside the article
//
// Unknown keys, wrong types, missing required keys, duplicate paths or aliases
// and links to articles that do not exist are all errors. They are collected as
// [Problem] values with file and line and reported together.
//
// # Snapshots
//
// A [Site] is never modified. A [Store] holds the current one and replaces it
// atomically when content is reloaded; a reload that finds a broken file keeps
// that file's last good article, so what is served is never lost.
package content
