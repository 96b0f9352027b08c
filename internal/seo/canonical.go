package seo

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// Canonical returns the absolute URL of the site path sitePath under baseURL.
//
// baseURL may end with a slash or not and may carry a path prefix, as in
// https://example.com/docs. sitePath is an unescaped site path such as
// "/articles/rendering/isr": it is cleaned with [path.Clean], given a leading
// slash, stripped of any trailing slash except for the root "/", and
// percent-encoded where a URL path requires it. baseURL is expected to have
// passed [ValidBaseURL] and is used as given.
func Canonical(baseURL, sitePath string) string {
	base := strings.TrimRight(baseURL, "/")
	p := path.Clean("/" + sitePath)
	u := url.URL{Path: p}
	return base + u.EscapedPath()
}

// ValidBaseURL reports whether s can be used as the site's base URL: an
// absolute http or https URL with a host, no user information, no query and
// no fragment. A path prefix (https://example.com/docs) is allowed. The error
// names the URL and the rule it breaks, for example
// `base URL "ftp://x": scheme must be http or https`.
func ValidBaseURL(s string) error {
	if s == "" {
		return errors.New("base URL is empty")
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error repeats the input; keep only its reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("base URL %q: %w", s, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("base URL %q: scheme must be http or https", s)
	case u.Opaque != "" || u.Host == "":
		return fmt.Errorf("base URL %q: must have a host, as in https://example.com", s)
	case u.Hostname() == "":
		return fmt.Errorf("base URL %q: host name is empty", s)
	case u.User != nil:
		return fmt.Errorf("base URL %q: must not contain user information", s)
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("base URL %q: must not have a query", s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return fmt.Errorf("base URL %q: must not have a fragment", s)
	}
	return nil
}
