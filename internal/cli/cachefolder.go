package cli

import (
	"path/filepath"

	"github.com/renderwise/renderwise/internal/cachedir"
)

// cacheFlag is --cache-dir: its value, and whether it was given at all (on
// the command line or as RENDERWISE_CACHE_DIR), since the empty string
// given turns the cache folder off while nothing given means the default.
type cacheFlag struct {
	value string
	set   bool
}

func (f *cacheFlag) String() string { return f.value }

func (f *cacheFlag) Set(v string) error {
	f.value, f.set = v, true
	return nil
}

const cacheDirUsage = "the `folder` kept between runs: " + `an export of each site (pages, preview images, parse cache), so that the next start or clean build renders only what changed; "none" or "" for none (default: renderwise in the user cache folder, for --content only)`

// root returns the root cache folder for a site read from content ("" for
// the embedded articles), or "" for none. By default a site on disk gets
// one and the embedded articles do not: they are few and change only with
// the binary, so a cache would save a fraction of a second and write into
// the home folder of everyone who runs `renderwise` to try it.
func (f cacheFlag) root(content string) (string, error) {
	switch {
	case f.set && (f.value == "" || f.value == cachedir.Off):
		return "", nil
	case f.set:
		return f.value, nil
	case content == "":
		return "", nil
	}
	return cachedir.Default()
}

// openCacheDir opens the folder of the site read from content with the
// base URL as given (empty for site.yaml's or the default) under root.
func openCacheDir(root, content, baseURL string) (*cachedir.Dir, error) {
	name, err := cachedir.Name(content, baseURL)
	if err != nil {
		return nil, err
	}
	return cachedir.Open(filepath.Join(root, name))
}
