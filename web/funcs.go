package web

import (
	"strconv"
	"strings"
)

// fullTitle is the <title>: the page's title with the site's name.
func fullTitle(m Meta) string {
	if m.Title == "" || m.Title == m.Site.Name {
		return m.Site.Name
	}
	return m.Title + " — " + m.Site.Name
}

// inSection reports whether a menu link leads to the section nav: to the
// section itself, or to a place on its page ("/#course" on "/").
func inSection(url, nav string) bool {
	if nav == "" {
		return false
	}
	page, _, _ := strings.Cut(url, "#")
	return url == nav || page == nav
}

func modeName(mode string) string {
	switch mode {
	case "ssr":
		return "SSR · server-side rendered"
	case "isr":
		return "ISR · incremental static regeneration"
	case "ppr":
		return "PPR · partial prerendering"
	default:
		return "SSG · static generation"
	}
}

// current is the aria-current value for a navigation link.
func current(is bool) string {
	if is {
		return "page"
	}
	return "false"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Step is one link of a pager: "Next", and where it leads.
type Step struct{ Label, URL, Title string }

// step is the pager link to l, or nil for none.
func step(label string, l *Link) *Step {
	if l == nil {
		return nil
	}
	return &Step{Label: label, URL: l.URL, Title: l.Title}
}

// pageStep is the pager link to page n of a listing at url, or nil when
// url is empty (the first or last page).
func pageStep(label, url string, n int) *Step {
	if url == "" {
		return nil
	}
	return &Step{Label: label, URL: url, Title: "Page " + strconv.Itoa(n)}
}

// Hole is the mark a component leaves where a hole of a partially
// prerendered page goes: the page package cuts the shell at it and renders
// the hole for each request. NUL never occurs in rendered HTML.
func Hole(name string) string { return "\x00hole:" + name + "\x00" }

// Part is the mark a component leaves where a cached part of a partially
// prerendered page goes: the server puts the part in from the page cache
// for each request.
func Part(name string) string { return "\x00part:" + name + "\x00" }
