// Package static embeds the site's assets (stylesheets, scripts). The rest of
// the program sees them only as an fs.FS; the assets package fingerprints them.
package static

import "embed"

// FS holds the files of this folder except Go sources.
//
//go:embed *.css *.js
var FS embed.FS
