package export

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/renderwise/renderwise/internal/content"
)

// TestNginxQuotesOldFileNames: the old form of a file name with a space
// redirects from a quoted location, so nginx still reads the file.
func TestNginxQuotesOldFileNames(t *testing.T) {
	t.Parallel()
	site, err := content.Load(fstest.MapFS{
		"My Post.md": {Data: []byte("---\ntitle: T\ndescription: D\ndate: 2026-11-01\naliases: [/old]\n---\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	conf := string(nginxFiles(&manifest{}, site)[NginxServerConf])
	for _, want := range []string{
		"location = /old { return 301 /articles/my-post; }\n",
		`location = "/articles/My Post" { return 301 /articles/my-post; }` + "\n",
		"location = /page/1 { return 301 /; }\n", // the home lists the newest articles: there is no course
		"location = /archive/2026/page/1 { return 301 /archive/2026; }\n",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("server.conf:\n%s\nwant %q", conf, want)
		}
	}
}
