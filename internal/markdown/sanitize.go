package markdown

import (
	"regexp"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// sanitize passes the whole rendered document through the allow-list of
// [policy]. It runs on the output rather than on each raw HTML node: goldmark
// splits a raw HTML block or a run of inline tags over several nodes, and
// cleaning them one by one would break their nesting (an opening <div> in one
// node, its </div> in another).
func sanitize(b []byte) []byte { return policy().SanitizeBytes(b) }

// policy is bluemonday's policy for user content, which never lets through
// scripts, event handlers, style attributes, iframes, forms or URLs other
// than http, https, mailto and relative ones, plus what this package writes
// itself (classes, heading anchors, responsive images, footnote roles, task
// list checkboxes, table alignment) and what READMEs written for GitHub use
// (align on paragraphs, headings and images). Links keep their rel: the
// authors of a site with raw HTML are trusted, so no rel="nofollow" is added.
// Built on first use and never changed after, so it is safe to share.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).Globally()
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^(note|doc-endnotes|doc-noteref|doc-backlink)$`)).Globally()
	p.AllowAttrs("aria-hidden").Matching(regexp.MustCompile(`^true$`)).Globally()
	p.AllowAttrs("aria-label").Matching(regexp.MustCompile(`^[^<>]*$`)).OnElements("section")
	p.AllowElements("kbd")
	p.AllowAttrs("tabindex").Matching(regexp.MustCompile(`^(0|-1)$`)).OnElements("a", "section")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`(?i)^(left|right|center)$`)).OnElements("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th")
	// Table cells: goldmark writes column alignment as a style; only
	// text-align with one of three values is kept.
	p.AllowStyles("text-align").MatchingEnum("left", "right", "center").OnElements("th", "td")
	p.AllowAttrs("srcset").Matching(regexp.MustCompile(`^(/|https?://)[^\s,"]+ [0-9]+[wx](, (/|https?://)[^\s,"]+ [0-9]+[wx])*$`)).OnElements("img")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^[a-z0-9 (),.:-]+$`)).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^(async|sync|auto)$`)).OnElements("img")
	p.AllowAttrs("fetchpriority").Matching(regexp.MustCompile(`^(high|low|auto)$`)).OnElements("img")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")
	return p
})
