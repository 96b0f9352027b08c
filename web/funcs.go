package web

import "strings"

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
