package articles_test

import (
	"testing"

	"github.com/renderwise/renderwise/articles"
	"github.com/renderwise/renderwise/internal/content"
)

// TestCourse checks the embedded content: it loads without a problem (the
// same check as `renderwise check`), the course is complete and in order,
// each article has a sensible length, and every article about a rendering
// mode is served in that mode.
func TestCourse(t *testing.T) {
	t.Parallel()
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatalf("the embedded articles have problems:\n%v", err)
	}
	course := site.Series("course")
	if len(course) < 17 {
		t.Errorf("the course has %d articles, want at least 17", len(course))
	}
	for i, a := range course {
		if a.Order != i+1 {
			t.Errorf("course article %d is %s with order %d; orders must run 1, 2, 3 …", i+1, a.File, a.Order)
		}
	}
	for _, a := range site.All() {
		if a.Words < 600 || a.Words > 2000 {
			t.Errorf("%s has %d words, want 600–2,000", a.File, a.Words)
		}
		if len(a.Tags) == 0 {
			t.Errorf("%s has no tags", a.File)
		}
		if a.Draft {
			t.Errorf("%s is a draft in the embedded course", a.File)
		}
	}
	for path, mode := range map[string]content.Mode{
		"/articles/rendering/ssr": content.SSR,
		"/articles/rendering/ssg": content.SSG,
		"/articles/rendering/isr": content.ISR,
	} {
		a, ok := site.Article(path)
		if !ok || a.Render != mode {
			t.Errorf("%s: render %v, want %s", path, a, mode)
		}
	}
	if _, ok := site.Article("/articles/about"); !ok {
		t.Error("no About page")
	}
}
