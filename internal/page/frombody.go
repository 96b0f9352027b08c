package page

import "net/http"

// FromBody finishes p with a body that was rendered before, such as a page
// read back from a static export: it sets the bodies as given and the ETag
// exactly as a render does, so a page read back from an export and the same
// page rendered now are indistinguishable on the wire. gz and br are the
// precompressed forms of body (nil for types that are not compressed).
func FromBody(p *Page, body, gz, br []byte) *Page {
	p.Body, p.Gzip, p.Brotli, p.Size = body, gz, br, len(body)
	p.ETag = etag(body)
	if p.ContentType == "" {
		p.ContentType = "text/html; charset=utf-8"
	}
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	return p
}
