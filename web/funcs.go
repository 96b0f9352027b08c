package web

// fullTitle is the <title>: the page's title with the site's name.
func fullTitle(t string) string {
	if t == "" || t == SiteName {
		return SiteName
	}
	return t + " — " + SiteName
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
