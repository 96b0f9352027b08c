package cli

import (
	"slices"
	"testing"

	"github.com/renderwise/renderwise/articles"
	"github.com/renderwise/renderwise/internal/content"
)

// TestEmbeddedSettings: articles/site.yaml says what the course's pages
// showed before they read it (the name, the header's menu, the course on the
// home page, the feed's length), so reading it changed nothing for readers.
func TestEmbeddedSettings(t *testing.T) {
	t.Parallel()
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := site.Settings()
	if s.File != "site.yaml" || s.Title != "Renderwise" || s.Language != "en" || s.Home != content.HomeCourse || s.FeedEntries != 20 || s.UnsafeHTML {
		t.Errorf("embedded settings = %+v, want site.yaml naming Renderwise, in en, the course at home, 20 feed entries, no raw HTML", s)
	}
	want := []content.MenuItem{{Title: "Course", URL: "/#course"}, {Title: "Tags", URL: "/tags"}, {Title: "Search", URL: "/search"}, {Title: "About", URL: "/articles/about"}}
	if !slices.Equal(s.Menu, want) {
		t.Errorf("embedded menu = %+v, want the header's %+v", s.Menu, want)
	}
}
