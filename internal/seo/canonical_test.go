package seo

import (
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, path, want string
	}{
		{"a plain base joins a path", "https://example.com", "/articles/isr", "https://example.com/articles/isr"},
		{"a trailing slash on the base is dropped", "https://example.com/", "/articles/isr", "https://example.com/articles/isr"},
		{"the root keeps its slash", "https://example.com", "/", "https://example.com/"},
		{"an empty path is the root", "https://example.com/", "", "https://example.com/"},
		{"a path without a leading slash gets one", "https://example.com", "tags/go", "https://example.com/tags/go"},
		{"a trailing slash on the path is dropped", "https://example.com", "/tags/", "https://example.com/tags"},
		{"dot segments are cleaned", "https://example.com", "/a/./b/../c//d", "https://example.com/a/c/d"},
		{"dot-dot cannot climb above the root", "https://example.com/docs", "/../../etc", "https://example.com/docs/etc"},
		{"a base path prefix is kept", "https://example.com/docs", "/articles/isr", "https://example.com/docs/articles/isr"},
		{"a base path prefix with a slash is kept", "https://example.com/docs/", "/articles/isr", "https://example.com/docs/articles/isr"},
		{"the root under a prefix ends with a slash", "https://example.com/docs", "/", "https://example.com/docs/"},
		{"spaces are percent-encoded", "https://example.com", "/a b", "https://example.com/a%20b"},
		{"a question mark is part of the path", "https://example.com", "/what?", "https://example.com/what%3F"},
		{"a port is kept", "http://localhost:8080", "/feed.xml", "http://localhost:8080/feed.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Canonical(tt.base, tt.path); got != tt.want {
				t.Errorf("Canonical(%q, %q) = %q, want %q", tt.base, tt.path, got, tt.want)
			}
		})
	}
}

func TestValidBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantErr string // empty: valid
	}{
		{"an https URL is valid", "https://example.com", ""},
		{"an http URL with a port is valid", "http://localhost:8080", ""},
		{"a trailing slash is valid", "https://example.com/", ""},
		{"a path prefix is valid", "https://example.com/docs", ""},
		{"an upper-case scheme is valid", "HTTPS://example.com", ""},
		{"an empty string is refused", "", "base URL is empty"},
		{"an ftp URL is refused", "ftp://x", `base URL "ftp://x": scheme must be http or https`},
		{"a relative URL is refused", "/docs", `base URL "/docs": scheme must be http or https`},
		{"a bare host is refused", "example.com", `base URL "example.com": scheme must be http or https`},
		{"a URL without a host is refused", "https:///docs", `base URL "https:///docs": must have a host`},
		{"an opaque URL is refused", "https:example.com", `base URL "https:example.com": must have a host`},
		{"a port without a host is refused", "https://:8080", `base URL "https://:8080": host name is empty`},
		{"user information is refused", "https://user:pw@example.com", `base URL "https://user:pw@example.com": must not contain user information`},
		{"a query is refused", "https://example.com/?a=b", `base URL "https://example.com/?a=b": must not have a query`},
		{"an empty query is refused", "https://example.com/?", `base URL "https://example.com/?": must not have a query`},
		{"a fragment is refused", "https://example.com/#top", `base URL "https://example.com/#top": must not have a fragment`},
		{"an empty fragment is refused", "https://example.com/#", `base URL "https://example.com/#": must not have a fragment`},
		{"an unparsable URL is refused", "https://exa mple.com", `base URL "https://exa mple.com": invalid character " " in host name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidBaseURL(tt.in)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("ValidBaseURL(%q) = %v, want nil", tt.in, err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("ValidBaseURL(%q) = nil, want an error containing %q", tt.in, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("ValidBaseURL(%q) = %q, want an error containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}
