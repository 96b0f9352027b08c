// Package articles embeds the course: the Markdown articles, the images
// beside them and its site.yaml. The rest of the program sees them only as an fs.FS.
package articles

import "embed"

// FS holds every article, the files beside them and the site settings
// (site.yaml).
//
//go:embed site.yaml *.md *.svg node nextjs rendering
var FS embed.FS
