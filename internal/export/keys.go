package export

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// keyFormat changes whenever the way keys are computed changes, so that an
// output built by an older scheme is rebuilt whole.
const keyFormat = "renderwise-export-keys-5"

// keyer computes the keys of outputs. A rendered output (page, preview
// image, 404 page) is keyed on what its render declared it read
// ([page.Page.Tags]) with the current [page.Digest] of each tag, plus the
// global part ([inputs]: rendering code, base URL, settings, assets), its
// route and mode, and for HTML the build time it shows. The export keeps no
// list of its own of what a page shows: the key of an output recorded in the
// last build is worked out again from the tags it recorded, and equal keys
// mean nothing it read has changed (TestIncrementalEqualsClean edits each
// kind of input).
type keyer struct {
	site   *content.Site
	global string
	now    time.Time

	// world is a hash of everything content.Site.Related reads; when it
	// is the one of the last build, the related articles it recorded are
	// used instead of asking Related again (which scores every article
	// sharing a tag: the costliest part of the keys on a large site).
	world       string
	prevRelated map[string][]string // by article path

	digests sync.Map // tag → digest, worked out once per build
	related sync.Map // article path → the related paths its digest used
}

// newKeyer prepares the keys of site. prev is the manifest of the last
// build, or nil.
func newKeyer(site *content.Site, global string, now time.Time, prev *manifest) *keyer {
	k := &keyer{site: site, global: global, now: now.UTC(), world: relatedWorld(site)}
	if prev != nil && prev.RelatedWorld == k.world {
		k.prevRelated = map[string][]string{}
		for _, o := range prev.Outputs {
			if o.Kind == kindPage && o.Related != nil {
				k.prevRelated[o.Route] = o.Related
			}
		}
	}
	return k
}

// relatedWorld hashes what content.Site.Related reads of every public
// article: path, title (its words), tags, series and date.
func relatedWorld(site *content.Site) string {
	h := newHasher("related")
	h.int(page.RelatedArticles)
	for _, a := range site.Articles() {
		h.str(a.Path)
		h.str(a.Title)
		h.strs(a.Tags)
		h.str(a.Series)
		h.time(a.Date)
	}
	return h.sum()
}

// digest returns the current digest of a tag.
func (k *keyer) digest(tag string) string {
	if d, ok := k.digests.Load(tag); ok {
		return d.(string)
	}
	var d string
	if path, ok := strings.CutPrefix(tag, page.RelatedTag("")); ok {
		d = page.DigestOfPaths(tag, k.relatedPaths(path))
	} else {
		d = page.Digest(k.site, tag)
	}
	k.digests.Store(tag, d)
	return d
}

// relatedPaths returns the paths of the articles related to the article
// at path, from the last build while nothing that decides them changed.
func (k *keyer) relatedPaths(path string) []string {
	if paths, ok := k.prevRelated[path]; ok {
		k.related.Store(path, paths)
		return paths
	}
	var paths []string
	if a, ok := k.site.Article(path); ok && !a.Draft {
		for _, r := range page.Related(k.site, a) {
			paths = append(paths, r.Path)
		}
	}
	k.related.Store(path, paths)
	return paths
}

// relatedOf returns the related paths the key of the article page at path
// used, to record in the manifest.
func (k *keyer) relatedOf(path string) []string {
	if v, ok := k.related.Load(path); ok {
		return v.([]string)
	}
	return nil
}

// rendered returns the key of a rendered output that declared tags.
func (k *keyer) rendered(o output, tags []string) string {
	h := newHasher("rendered")
	h.str(k.global)
	h.str(o.Kind)
	h.str(o.Route)
	h.str(string(o.Mode))
	h.int(int64(o.Revalidate))
	if o.Kind != kindImage { // preview images do not show the build time
		h.time(k.now)
	}
	h.int(int64(len(tags)))
	for _, t := range tags {
		h.str(t)
		h.str(k.digest(t))
	}
	return h.sum()
}

// current reports whether o, recorded by an earlier build, is what this
// build would make for the output next: the same kind, and for a rendered
// output the same key worked out again from the tags it recorded.
func (k *keyer) current(next, o output) bool {
	if o.Kind != next.Kind {
		return false
	}
	if !renderedKind(next.Kind) {
		return o.Key == next.Key
	}
	return o.Route == next.Route && o.Mode == next.Mode && o.Revalidate == next.Revalidate &&
		k.rendered(next, strings.Fields(o.Tags)) == o.Key
}

// renderedKind reports whether outputs of a kind are rendered by
// page.Builder and keyed on their declared inputs.
func renderedKind(kind string) bool {
	return kind == kindPage || kind == kindImage || kind == kindNotFound
}

// hasher writes length-prefixed values into SHA-256, so that no two
// different sequences of values hash alike.
type hasher struct {
	h   hash.Hash
	buf []byte // scratch: Write([]byte(s)) would allocate for every string
}

func newHasher(kind string) *hasher {
	h := &hasher{h: sha256.New()}
	h.str(keyFormat)
	h.str(kind)
	return h
}

func (h *hasher) int(n int64) {
	h.buf = binary.LittleEndian.AppendUint64(h.buf[:0], uint64(n))
	h.h.Write(h.buf)
}

func (h *hasher) str(s string) {
	h.buf = append(binary.LittleEndian.AppendUint64(h.buf[:0], uint64(len(s))), s...)
	h.h.Write(h.buf)
}

func (h *hasher) strs(list []string) {
	h.int(int64(len(list)))
	for _, s := range list {
		h.str(s)
	}
}

func (h *hasher) time(t time.Time) { h.str(t.UTC().Format(time.RFC3339Nano)) }

func (h *hasher) sum() string { return hex.EncodeToString(h.h.Sum(nil)[:16]) }

// parallel calls f(0) … f(n-1) on workers goroutines and waits for them.
func parallel(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, max(workers, 1))
	for range max(workers, 1) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// workers is how many outputs are rendered at once.
func workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}
