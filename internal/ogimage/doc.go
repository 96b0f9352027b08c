// Package ogimage owns drawing the site's 1200×630 Open Graph preview image:
// the picture a chat app or social network shows beside a shared link.
//
// [Render] takes a [Card] of plain strings (site name, title, kicker, tags)
// and returns PNG bytes. It knows nothing of articles, routes or HTTP, and the
// same Card always gives the same bytes, so a preview can be cached, exported
// and compared like any other page.
//
// # Layout
//
// A dark slate background with an accent stripe along the bottom edge; the
// site name small at the top left; the title large and bold, wrapped by
// measured width inside 80px margins, in the largest size that fits (from
// 76px down to 44px) and, as a last resort, cut with an ellipsis; the kicker
// and the tags (as #tag) at the bottom. Text uses the Go fonts, which cover
// Latin, Greek and Cyrillic; other scripts draw as missing-glyph boxes.
//
// # Speed
//
// A static build draws a preview for every page, so drawing one costs well
// under a millisecond: each glyph is rasterized once per size and quarter
// pixel position and kept for the life of the process, the picture is drawn
// straight onto its 256-colour palette a byte per pixel, and the PNG is
// written by a small deflate encoder made for such pictures (encode.go)
// rather than image/png. Canvases and buffers are pooled between calls.
package ogimage
