package seo

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
)

// Robots returns the contents of /robots.txt for the site at baseURL.
//
// Every crawler may fetch everything except the JSON API under /api/, which
// only repeats what the pages say. Resized images under /_img/ are allowed on
// purpose, so image search can index them. The rules carry the base URL's
// path prefix, if any, and the file ends with the absolute sitemap URL.
func Robots(baseURL string) []byte {
	prefix := ""
	if u, err := url.Parse(baseURL); err == nil {
		prefix = strings.TrimRight(u.EscapedPath(), "/")
	}
	var b bytes.Buffer
	b.WriteString("User-agent: *\n")
	fmt.Fprintf(&b, "Allow: %s/\n", prefix)
	fmt.Fprintf(&b, "Allow: %s/_img/\n", prefix)
	fmt.Fprintf(&b, "Disallow: %s/api/\n", prefix)
	b.WriteString("\n")
	fmt.Fprintf(&b, "Sitemap: %s\n", Canonical(baseURL, "/sitemap.xml"))
	return b.Bytes()
}
