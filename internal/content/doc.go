// Package content owns the articles: it reads `*.md` files from an [fs.FS],
// decodes their front matter strictly, renders their bodies with the markdown
// package, validates everything, and builds a [Site] snapshot.
//
// # Files and paths
//
// A file `node/event-loop.md` in the FS becomes the article at
// `/articles/node/event-loop`. A path segment that is not a slug (lowercase
// letters, digits and hyphens) is slugified ([Slugify]): `go1.21.md` is at
// `/articles/go1-21`, `My Post.md` at `/articles/my-post`, `Über.md` at
// `/articles/uber`, and the old form (`/articles/go1.21`) is an alias that
// redirects. Two files with one path are an error naming both. Other files
// (images, diagrams) are served beside the articles by the server under
// their own names; the content package only checks that the images an
// article refers to exist.
//
// # Site settings
//
// `site.yaml` (or `site.yml`) at the root holds the site's [Settings]:
//
//	title         string
//	tagline       string, a few words under the title
//	description   string
//	language      language tag, default en
//	base_url      absolute http(s) URL; the command line's --base-url wins
//	authors       key → name, or key → {name, url}
//	menu          list of {title, url}; url a site path or http(s) URL
//	home          course | newest; default course if a series "course" exists
//	paginate      positive integer, default 10
//	feed_entries  positive integer, default 20
//	unsafe_html   bool: raw HTML passes an allow-list instead of being dropped
//
// Without the file every string is empty: what an empty title means is the
// caller's to decide.
//
// # Front matter
//
// Each file starts with a YAML block between `---` lines. Keys:
//
//	title        string, required
//	description  string, required, at most 160 characters
//	summary      string, the description when there is none (cut to 160)
//	date         YYYY-MM-DD or RFC 3339 (the time is kept), required
//	updated      the same, not before date
//	tags         list of names; each is slugified for its URL ("Go 1.21" → go-1-21)
//	author(s)    a name or a list: keys of site.yaml's authors, or names
//	series       slug; with order (a positive integer, unique in the series)
//	render       ssg (default) | isr | ssr
//	revalidate   duration such as 60s; required for isr, forbidden otherwise
//	draft        bool
//	aliases      list of site paths that redirect here
//	image        cover image, a file beside the article
//
// A number or boolean is taken as written where a string goes (`title: 404`,
// `tags: [2024]`). Wrong types, missing required keys, duplicate paths or
// aliases and links to articles that do not exist are errors; unknown keys
// are warnings, and errors with [Options.Strict]. They are collected as
// [Problem] values with file and line and reported together.
//
// # Snapshots
//
// A [Site] is never modified. A [Store] holds the current one and replaces it
// atomically when content is reloaded; a reload that finds a broken file keeps
// that file's last good article, so what is served is never lost.
package content
