package export

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// keyFormat changes whenever the way keys are computed changes, so that an
// output built by an older scheme is rebuilt whole.
const keyFormat = "renderwise-export-keys-3"

// keyer computes the key of every output: a hash of everything its bytes,
// and the page fields kept in the manifest, depend on. An output whose key
// is the same as in the last build is taken over from it unchanged; any
// other is rendered again. A key therefore must cover every input of the
// route as page.Builder reads it — when page starts showing something new,
// add it here (TestIncrementalEqualsClean edits each kind of input and
// fails if a dependency is missed).
//
// What each route depends on, beyond the global part (code version, base URL,
// assets) and, for HTML, the build time it shows:
//
//	/articles/x    the article (all of it), its series neighbours and length,
//	               the listing fields of its related articles, whether the
//	               article explaining its mode exists
//	/              listing fields of the course series and the latest five
//	/tags          every tag and its count
//	/tags/t        listing fields of the articles of t
//	/feed.xml      the newest FeedEntries articles, all of them
//	/sitemap*.xml  every public path with its date, every tag with its date
//	/og/…png       the card drawn: title, tags, series and order
type keyer struct {
	site    *content.Site
	global  string
	now     time.Time
	full    map[*content.Article]string // everything page may read of an article
	card    map[*content.Article]string // what a listing shows of it
	explain map[content.Mode]bool

	// world is a hash of everything content.Site.Related reads; when it
	// is the one of the last build, the related articles it recorded are
	// used instead of asking Related again (which scores every article
	// sharing a tag: the costliest part of the keys on a large site).
	world       string
	prevRelated map[string][]string // by article path

	sitemapOnce sync.Once
	sitemap     string
}

// newKeyer prepares the keys of site. prev is the manifest of the last
// build, or nil.
func newKeyer(site *content.Site, global string, now time.Time, workers int, prev *manifest) *keyer {
	k := &keyer{site: site, global: global, now: now.UTC(), explain: map[content.Mode]bool{}, world: relatedWorld(site)}
	if prev != nil && prev.RelatedWorld == k.world {
		k.prevRelated = map[string][]string{}
		for _, o := range prev.Outputs {
			if o.Kind == kindPage && o.Related != nil {
				k.prevRelated[o.Route] = o.Related
			}
		}
	}
	for _, m := range []content.Mode{content.SSG, content.ISR, content.SSR} {
		_, k.explain[m] = site.Article(page.Explainer(m))
	}
	all := site.All()
	full := make([]string, len(all))
	card := make([]string, len(all))
	parallel(len(all), workers, func(i int) { full[i], card[i] = articleKeys(all[i]) })
	k.full = make(map[*content.Article]string, len(all))
	k.card = make(map[*content.Article]string, len(all))
	for i, a := range all {
		k.full[a], k.card[a] = full[i], card[i]
	}
	return k
}

// articleKeys returns the full and the listing key of an article. The full
// key is the article's digest, which stands for every field (the code that
// made it is in the global key); an article without one (made by hand) has
// every exported field walked instead — so a field added to content.Article
// is covered without a change here either way. Hashing the digest rather
// than the fields spares hashing every article's HTML on every build. The
// listing key leaves out the body.
func articleKeys(a *content.Article) (full, card string) {
	h := newHasher("article")
	if d := a.Digest(); d != "" {
		h.str(d)
	} else {
		hashValue(h, reflect.ValueOf(*a))
	}
	full = h.sum()
	h = newHasher("card")
	hashValue(h, reflect.ValueOf(a.FrontMatter))
	h.str(a.Path)
	h.str(a.File)
	h.int(int64(a.ReadingMinutes))
	h.bool(a.HasCode)
	card = h.sum()
	return full, card
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

// related returns the related articles of a, and their paths.
func (k *keyer) related(a *content.Article) ([]*content.Article, []string) {
	if paths, ok := k.prevRelated[a.Path]; ok {
		list := make([]*content.Article, 0, len(paths))
		for _, p := range paths {
			if r, ok := k.site.Article(p); ok {
				list = append(list, r)
			}
		}
		if len(list) == len(paths) {
			return list, paths
		}
	}
	list := k.site.Related(a, page.RelatedArticles)
	paths := make([]string, len(list))
	for i, r := range list {
		paths[i] = r.Path
	}
	return list, paths
}

// page returns the key of a page route (not an image, not the 404 page)
// and, for an article, the paths of its related articles.
func (k *keyer) page(rt page.Route) (key string, related []string) {
	h := newHasher("page")
	h.str(k.global)
	h.str(rt.Path)
	h.str(string(rt.Mode))
	h.int(int64(rt.Revalidate))
	if rt.HTML() {
		h.time(k.now)
		h.bool(k.explain[rt.Mode])
	}
	cards := func(list []*content.Article) {
		h.int(int64(len(list)))
		for _, a := range list {
			h.str(k.card[a])
		}
	}
	switch rt.Kind {
	case page.KindHome:
		cards(k.site.Series(page.CourseSeries))
		latest := k.site.Articles()
		cards(latest[:min(len(latest), 5)])
		h.time(lastModified(k.site.Articles()))
	case page.KindTags:
		for _, t := range k.site.Tags() {
			h.str(t.Name)
			h.int(int64(len(t.Articles)))
		}
		h.time(lastModified(k.site.Articles()))
	case page.KindTag:
		t, _ := k.site.Tag(rt.Tag)
		cards(t.Articles)
	case page.KindFeed:
		list := k.site.Articles()
		for _, a := range list[:min(len(list), page.FeedEntries)] {
			h.str(k.full[a])
		}
		h.time(lastModified(list))
	case page.KindRobots:
		h.time(lastModified(k.site.Articles()))
	case page.KindSitemap, page.KindSitemapPart:
		h.str(k.sitemapKey())
	default:
		a := rt.Article
		h.str(k.full[a])
		if a.Series != "" && !a.Draft {
			h.int(int64(len(k.site.Series(a.Series))))
			prev, next := k.site.Neighbours(a)
			for _, n := range []*content.Article{prev, next} {
				if n == nil {
					h.str("")
					continue
				}
				h.str(n.Path)
				h.str(n.Title)
			}
		}
		if !a.Draft {
			var list []*content.Article
			list, related = k.related(a)
			cards(list)
		}
	}
	return h.sum(), related
}

// sitemapKey is shared by every sitemap file: they are cut from one list.
func (k *keyer) sitemapKey() string {
	k.sitemapOnce.Do(func() {
		h := newHasher("sitemap")
		h.time(lastModified(k.site.Articles()))
		for _, t := range k.site.Tags() {
			h.str(t.Name)
			h.time(lastModified(t.Articles))
		}
		for _, a := range k.site.Articles() {
			h.str(a.Path)
			h.time(a.Modified())
		}
		k.sitemap = h.sum()
	})
	return k.sitemap
}

// image returns the key of the preview image of a page route: the card it
// draws. Images do not show the build time, so a new build time keeps them.
func (k *keyer) image(route string) string {
	h := newHasher("image")
	h.str(k.global)
	h.str(route)
	if a, ok := k.site.Article(route); ok {
		h.str(a.Title)
		h.strs(a.Tags)
		h.str(a.Series)
		h.int(int64(a.Order))
		h.time(a.Modified())
	}
	return h.sum()
}

// notFound returns the key of the 404 page.
func (k *keyer) notFound() string {
	h := newHasher("404")
	h.str(k.global)
	h.time(k.now)
	h.bool(k.explain[content.SSG])
	return h.sum()
}

func lastModified(list []*content.Article) time.Time {
	var t time.Time
	for _, a := range list {
		if m := a.Modified(); m.After(t) {
			t = m
		}
	}
	return t
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

func (h *hasher) bytes(b []byte) {
	h.int(int64(len(b)))
	h.h.Write(b)
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

func (h *hasher) bool(b bool) {
	if b {
		h.int(1)
	} else {
		h.int(0)
	}
}

func (h *hasher) time(t time.Time) { h.str(t.UTC().Format(time.RFC3339Nano)) }

func (h *hasher) sum() string { return hex.EncodeToString(h.h.Sum(nil)[:16]) }

var timeType = reflect.TypeFor[time.Time]()

// hashValue hashes the exported parts of v: structs field by field, slices
// element by element, times as instants. Unexported fields are skipped:
// page cannot read them either.
func hashValue(h *hasher, v reflect.Value) {
	switch {
	case v.Type() == timeType:
		h.time(v.Interface().(time.Time))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				h.str(f.Name)
				hashValue(h, v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			h.bytes(v.Bytes())
			return
		}
		h.int(int64(v.Len()))
		for i := range v.Len() {
			hashValue(h, v.Index(i))
		}
	case reflect.String:
		h.str(v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		h.int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		h.int(int64(v.Uint()))
	case reflect.Bool:
		h.bool(v.Bool())
	case reflect.Pointer:
		if v.IsNil() {
			h.str("nil")
			return
		}
		hashValue(h, v.Elem())
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		h.int(int64(len(keys)))
		for _, key := range keys {
			hashValue(h, key)
			hashValue(h, v.MapIndex(key))
		}
	default:
		panic("export: cannot hash a " + v.Kind().String())
	}
}

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
