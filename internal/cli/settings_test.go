package cli

import (
	"slices"
	"testing"

	"github.com/renderwise/renderwise/articles"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/web"
)

// TestEmbeddedSettings: articles/site.yaml says what the pages show today
// (the name, the header's menu, the course on the home page, the feed's
// length), so switching the pages to read it changes nothing for readers.
func TestEmbeddedSettings(t *testing.T) {
	t.Parallel()
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := site.Settings()
	if s.File != "site.yaml" || s.Title != web.SiteName || s.Language != "en" || s.Home != content.HomeCourse || s.FeedEntries != page.FeedEntries || s.UnsafeHTML {
		t.Errorf("embedded settings = %+v, want site.yaml naming %s, in en, the course at home, %d feed entries, no raw HTML", s, web.SiteName, page.FeedEntries)
	}
	want := []content.MenuItem{{Title: "Course", URL: "/#course"}, {Title: "Tags", URL: "/tags"}, {Title: "Search", URL: "/search"}, {Title: "About", URL: "/articles/about"}}
	if !slices.Equal(s.Menu, want) {
		t.Errorf("embedded menu = %+v, want the header's %+v", s.Menu, want)
	}
}
