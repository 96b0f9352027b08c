package content

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Options change how content is loaded.
type Options struct {
	// Strict makes unknown keys, in front matter and in site.yaml, errors
	// rather than warnings (`renderwise check --strict`).
	Strict bool
	// Cache, if not nil, keeps parsed articles between loads; see
	// [LoadCached].
	Cache Cache
	// ImageURL, if not nil, makes the URLs of resized images for the
	// srcset of raster images; without it images get no srcset.
	ImageURL ImageURL
	// Pages, if not nil, tells which site paths outside /articles/ are
	// pages, so that links to them are checked too; without it only links
	// into /articles/ are.
	Pages Pages
}

// Pages reports whether a site path (no query, no fragment) outside
// /articles/ names a page of site: a listing, the search page, the feed.
// Routes are not the content's to know; the caller who serves them does.
type Pages func(site *Site, path string) bool

// Load reads the settings and every article in fsys and returns the Site,
// or a [*ProblemsError] listing every problem found.
func Load(fsys fs.FS) (*Site, error) { return LoadWith(fsys, Options{}) }

// LoadWith is [Load] with options.
func LoadWith(fsys fs.FS, opts Options) (*Site, error) {
	settings, probs, err := readSettings(fsys)
	if err != nil {
		return nil, err
	}
	sources, files, more, err := scan(fsys)
	if err != nil {
		return nil, err
	}
	probs = append(probs, more...)
	articles, more, err := parseAll(fsys, sources, opts.Cache, parseOptions{unsafeHTML: settings.UnsafeHTML, imageURL: opts.ImageURL})
	if err != nil {
		return nil, err
	}
	probs = append(withoutIncluded(probs, articles), more...)
	site, more := newSite(articles, files, settings, opts.Pages)
	site.imageURL = opts.ImageURL
	probs = append(probs, more...)
	if opts.Strict {
		probs = strictly(probs)
	}
	sortProblems(probs)
	if len(errorsOnly(probs)) > 0 {
		return nil, &ProblemsError{Problems: probs}
	}
	site.warnings = probs
	return site, nil
}

// parseAll parses files on all cores. Two files with one path (go1.21.md
// and go1-21.md) are a problem; the first in order keeps the path.
func parseAll(fsys fs.FS, files []string, c Cache, opts parseOptions) (map[string]*Article, []Problem, error) {
	articles := make([]*Article, len(files))
	problems := make([][]Problem, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			a, probs, err := parseFile(fsys, f, c, opts)
			if err != nil {
				return fmt.Errorf("read %s: %w", f, err)
			}
			articles[i], problems[i] = a, probs
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	byPath := make(map[string]*Article, len(files))
	var probs []Problem
	for i := range files {
		probs = append(probs, problems[i]...)
		a := articles[i]
		if a == nil {
			continue
		}
		if first, dup := byPath[a.Path]; dup {
			probs = append(probs, samePath(a.File, first.File, a.Path))
			continue
		}
		byPath[a.Path] = a
	}
	return byPath, probs, nil
}

// samePath is the problem of a file whose path another file has.
func samePath(file, other, path string) Problem {
	return Problem{File: file, Line: 1, Msg: fmt.Sprintf("file name gives the path %s, which %s has too: rename one of them", path, other)}
}

// Store holds the current Site and replaces it when files change. Readers
// call [Store.Site]; writers are serialised.
type Store struct {
	fsys     fs.FS
	imageURL ImageURL // as the site was loaded with
	site     atomic.Pointer[Site]
	mu       sync.Mutex // held while a new Site is built
}

// NewStore returns a Store serving site, reading changes from fsys with the
// options site was loaded with.
func NewStore(fsys fs.FS, site *Site) *Store {
	st := &Store{fsys: fsys, imageURL: site.imageURL}
	st.site.Store(site)
	return st
}

// Site returns the current snapshot.
func (st *Store) Site() *Site { return st.site.Load() }

// FS returns the file system the articles are read from.
func (st *Store) FS() fs.FS { return st.fsys }

// Refresh re-reads the article at a site path if its file changed, appeared
// or disappeared, and returns its current version. A missing file removes
// the article and returns [ErrNotFound]. A file with problems leaves the Site
// as it was and returns a [*ProblemsError]; the last good article stays.
func (st *Store) Refresh(sitePath string) (*Article, error) {
	// The Site knows which file an article came from (go1.21.md is at
	// /articles/go1-21); a path it does not know can only be a new file
	// with a slug for a name.
	file := FileOf(sitePath)
	a, ok := st.Site().Article(sitePath)
	if ok {
		file = a.File
	}
	if file == "" {
		return nil, ErrNotFound
	}
	if ok {
		info, err := fs.Stat(st.fsys, file)
		if err == nil && info.ModTime().Equal(a.stamp.mod) && info.Size() == a.stamp.size && a.includesUnchanged(st.fsys) {
			return a, nil // unchanged: the common case, one stat
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.refreshLocked(file)
}

func (st *Store) refreshLocked(file string) (*Article, error) {
	old := st.Site()
	p := PathOf(file)
	a, probs, err := parseFile(st.fsys, file, nil, parseOptions{unsafeHTML: old.declared.UnsafeHTML, imageURL: st.imageURL})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, rootErr := fs.Stat(st.fsys, "."); rootErr != nil {
			// The whole folder is gone (unmounted, moved): that is a fault
			// to report, not every article deleted at once.
			return nil, fmt.Errorf("content folder unavailable: %w", rootErr)
		}
		if prev, ok := old.byPath[p]; ok && prev.File == file {
			articles := maps.Clone(old.byPath)
			delete(articles, p)
			site, _ := newSite(articles, old.files, old.declared, old.pages)
			st.site.Store(site)
		}
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", file, err)
	case len(errorsOnly(probs)) > 0:
		sortProblems(probs)
		return nil, &ProblemsError{Problems: probs}
	}
	prev, ok := old.byPath[p]
	if ok && prev.File != file {
		if _, err := regularFile(st.fsys, prev.File); err == nil {
			return nil, &ProblemsError{Problems: []Problem{samePath(file, prev.File, p)}}
		}
	}
	if ok && prev.File == file && prev.stamp == a.stamp && prev.stamp != (stamp{}) && prev.digest == a.digest {
		return prev, nil // another caller refreshed it while we waited
	}
	articles := maps.Clone(old.byPath)
	articles[p] = a
	site, all := newSite(articles, old.files, old.declared, old.pages)
	var mine []Problem
	for _, pr := range all {
		if pr.File == file && !pr.Warning {
			mine = append(mine, pr)
		}
	}
	if len(mine) > 0 {
		return nil, &ProblemsError{Problems: mine}
	}
	st.site.Store(site)
	return a, nil
}

// Reload brings the whole Site up to date with the files: changed, new and
// deleted files are applied one by one, and each file with problems keeps its
// last good version. It returns the problems found, sorted.
func (st *Store) Reload() ([]Problem, error) {
	settings, probs, err := readSettings(st.fsys)
	if err != nil {
		return nil, err
	}
	files, published, _, err := scan(st.fsys)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	old := st.Site()
	if len(errorsOnly(probs)) > 0 {
		settings = old.declared // broken settings: keep the last good ones
	}
	reparse := settings.UnsafeHTML != old.declared.UnsafeHTML // every article renders differently
	if !slices.Equal(old.files, published) || !reflect.DeepEqual(old.declared, settings) {
		site, _ := newSite(old.byPath, published, settings, old.pages)
		st.site.Store(site)
	}
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		seen[PathOf(f)] = true
		if a, ok := st.Site().Article(PathOf(f)); ok && a.File == f && !reparse {
			if info, err := fs.Stat(st.fsys, f); err == nil && info.ModTime().Equal(a.stamp.mod) && info.Size() == a.stamp.size && a.includesUnchanged(st.fsys) {
				continue
			}
		}
		_, err := st.refreshLocked(f)
		var pe *ProblemsError
		switch {
		case errors.As(err, &pe):
			probs = append(probs, pe.Problems...)
		case err != nil && !errors.Is(err, ErrNotFound):
			return probs, err
		}
	}
	for _, a := range st.Site().All() {
		if !seen[a.Path] {
			_, _ = st.refreshLocked(a.File) // the file is gone: removes the article
		}
	}
	sortProblems(probs)
	return probs, nil
}
