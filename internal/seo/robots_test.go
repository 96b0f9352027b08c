package seo

import "testing"

func TestRobots(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, want string
	}{
		{
			name: "a site at the root",
			base: "https://example.com",
			want: "User-agent: *\n" +
				"Allow: /\n" +
				"Allow: /_img/\n" +
				"Disallow: /api/\n" +
				"\n" +
				"Sitemap: https://example.com/sitemap.xml\n",
		},
		{
			name: "a base with a trailing slash",
			base: "https://example.com/",
			want: "User-agent: *\n" +
				"Allow: /\n" +
				"Allow: /_img/\n" +
				"Disallow: /api/\n" +
				"\n" +
				"Sitemap: https://example.com/sitemap.xml\n",
		},
		{
			name: "a site under a path prefix",
			base: "https://example.com/docs",
			want: "User-agent: *\n" +
				"Allow: /docs/\n" +
				"Allow: /docs/_img/\n" +
				"Disallow: /docs/api/\n" +
				"\n" +
				"Sitemap: https://example.com/docs/sitemap.xml\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := string(Robots(tt.base)); got != tt.want {
				t.Errorf("Robots(%q) =\n%s\nwant\n%s", tt.base, got, tt.want)
			}
		})
	}
}
