package content

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Load reads every article in fsys and returns the Site, or a
// [*ProblemsError] listing every problem found.
func Load(fsys fs.FS) (*Site, error) { return load(fsys, nil) }

// load is [Load], taking parsed articles from c when it is not nil.
func load(fsys fs.FS, c Cache) (*Site, error) {
	sources, files, probs, err := scan(fsys)
	if err != nil {
		return nil, err
	}
	articles, more, err := parseAll(fsys, sources, c)
	if err != nil {
		return nil, err
	}
	probs = append(withoutIncluded(probs, articles), more...)
	site, more := newSite(articles, files)
	probs = append(probs, more...)
	sortProblems(probs)
	if len(errorsOnly(probs)) > 0 {
		return nil, &ProblemsError{Problems: probs}
	}
	site.warnings = probs
	return site, nil
}

// parseAll parses files on all cores.
func parseAll(fsys fs.FS, files []string, c Cache) (map[string]*Article, []Problem, error) {
	articles := make([]*Article, len(files))
	problems := make([][]Problem, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			a, probs, err := parseFile(fsys, f, c)
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
		if a := articles[i]; a != nil {
			byPath[a.Path] = a
		}
	}
	return byPath, probs, nil
}

// Store holds the current Site and replaces it when files change. Readers
// call [Store.Site]; writers are serialised.
type Store struct {
	fsys fs.FS
	site atomic.Pointer[Site]
	mu   sync.Mutex // held while a new Site is built
}

// NewStore returns a Store serving site, reading changes from fsys.
func NewStore(fsys fs.FS, site *Site) *Store {
	st := &Store{fsys: fsys}
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
	file := FileOf(sitePath)
	if file == "" {
		return nil, ErrNotFound
	}
	if a, ok := st.Site().Article(sitePath); ok {
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
	a, probs, err := parseFile(st.fsys, file, nil)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, rootErr := fs.Stat(st.fsys, "."); rootErr != nil {
			// The whole folder is gone (unmounted, moved): that is a fault
			// to report, not every article deleted at once.
			return nil, fmt.Errorf("content folder unavailable: %w", rootErr)
		}
		if _, ok := old.byPath[p]; ok {
			articles := maps.Clone(old.byPath)
			delete(articles, p)
			site, _ := newSite(articles, old.files)
			st.site.Store(site)
		}
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", file, err)
	case len(errorsOnly(probs)) > 0:
		sortProblems(probs)
		return nil, &ProblemsError{Problems: probs}
	}
	if prev, ok := old.byPath[p]; ok && prev.stamp == a.stamp && prev.stamp != (stamp{}) && prev.digest == a.digest {
		return prev, nil // another caller refreshed it while we waited
	}
	articles := maps.Clone(old.byPath)
	articles[p] = a
	site, all := newSite(articles, old.files)
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
	files, published, _, err := scan(st.fsys)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if old := st.Site(); !slices.Equal(old.files, published) {
		site, _ := newSite(old.byPath, published)
		st.site.Store(site)
	}
	seen := make(map[string]bool, len(files))
	var probs []Problem
	for _, f := range files {
		seen[PathOf(f)] = true
		if a, ok := st.Site().Article(PathOf(f)); ok {
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
