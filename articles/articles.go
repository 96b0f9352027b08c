// Package articles embeds the course: the Markdown articles and the images
// beside them. The rest of the program sees them only as an fs.FS.
package articles

import "embed"

// FS holds every article and the files beside them.
//
//go:embed *.md *.svg node nextjs rendering
var FS embed.FS
