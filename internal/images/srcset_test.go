package images

import (
	"fmt"
	"testing"
)

func TestSrcset(t *testing.T) {
	t.Parallel()
	url := func(w int) string { return fmt.Sprintf("/_img/a.png?w=%d", w) }
	for _, tc := range []struct {
		source int
		want   string
	}{
		{0, ""},
		{-5, ""},
		{200, "/_img/a.png?w=320 200w"},
		{320, "/_img/a.png?w=320 320w"},
		{500, "/_img/a.png?w=320 320w, /_img/a.png?w=640 500w"},
		{640, "/_img/a.png?w=320 320w, /_img/a.png?w=640 640w"},
		{1000, "/_img/a.png?w=320 320w, /_img/a.png?w=640 640w, /_img/a.png?w=960 960w, /_img/a.png?w=1280 1000w"},
		{1920, "/_img/a.png?w=320 320w, /_img/a.png?w=640 640w, /_img/a.png?w=960 960w, /_img/a.png?w=1280 1280w, /_img/a.png?w=1920 1920w"},
		{5000, "/_img/a.png?w=320 320w, /_img/a.png?w=640 640w, /_img/a.png?w=960 960w, /_img/a.png?w=1280 1280w, /_img/a.png?w=1920 1920w"},
	} {
		if got := Srcset(url, tc.source); got != tc.want {
			t.Errorf("Srcset(%d):\ngot  %q\nwant %q", tc.source, got, tc.want)
		}
	}
}
