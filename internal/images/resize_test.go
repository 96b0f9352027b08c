package images

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"testing/fstest"
	"testing/synctest"
	"time"
)

func TestResizeGivesEachAllowedWidth(t *testing.T) {
	t.Parallel()
	// Sources are wider than the largest width but short, to keep the
	// test quick under -race; the tall one is narrower than some widths.
	fsys := mapFS(
		"wide.jpg", encodeJPEG(t, photo(2000, 300)),
		"wide.png", encodePNG(t, photo(1999, 301)),
		"tall.png", encodePNG(t, photo(700, 1400)),
	)
	r := NewResizer(Config{})
	for _, tc := range []struct {
		name         string
		srcW, srcH   int
		wantCapWidth int // the source width, beyond which nothing grows
	}{
		{"wide.jpg", 2000, 300, 2000},
		{"wide.png", 1999, 301, 1999},
		{"tall.png", 700, 1400, 700},
	} {
		for _, w := range Widths {
			t.Run(fmt.Sprintf("%s at %d", tc.name, w), func(t *testing.T) {
				t.Parallel()
				img, err := r.Resize(context.Background(), fsys, tc.name, w, DefaultQuality, Universal)
				if err != nil {
					t.Fatal(err)
				}
				wantW := min(w, tc.wantCapWidth)
				wantH := (tc.srcH*wantW + tc.srcW/2) / tc.srcW
				if img.Width != wantW || img.Height != wantH {
					t.Errorf("got %dx%d, want %dx%d", img.Width, img.Height, wantW, wantH)
				}
				if got := decodeBody(t, img).Bounds().Size(); got != image.Pt(wantW, wantH) {
					t.Errorf("got body of %v, want %dx%d", got, wantW, wantH)
				}
				if img.ContentType != "image/jpeg" {
					t.Errorf("got %s for an opaque source, want image/jpeg", img.ContentType)
				}
			})
		}
	}
}

func TestResizeNeverEnlarges(t *testing.T) {
	t.Parallel()
	fsys := mapFS("small.png", encodePNG(t, photo(500, 300)))
	r := NewResizer(Config{})
	for _, tc := range []struct{ width, wantW, wantH int }{
		{320, 320, 192},
		{640, 500, 300},
		{1920, 500, 300},
	} {
		img, err := r.Resize(context.Background(), fsys, "small.png", tc.width, DefaultQuality, Universal)
		if err != nil {
			t.Fatal(err)
		}
		if img.Width != tc.wantW || img.Height != tc.wantH {
			t.Errorf("width %d of a 500x300 source: got %dx%d, want %dx%d", tc.width, img.Width, img.Height, tc.wantW, tc.wantH)
		}
		decodeBody(t, img) // re-encoded, still valid
	}
}

func TestResizeRefusesWidthAndQuality(t *testing.T) {
	t.Parallel()
	fsys := mapFS("a.png", encodePNG(t, photo(64, 64)))
	r := NewResizer(Config{})
	for _, tc := range []struct{ width, quality int }{
		{0, DefaultQuality}, {-320, DefaultQuality}, {100, DefaultQuality}, {641, DefaultQuality}, {4000, DefaultQuality},
		{640, 0}, {640, 30}, {640, 74}, {640, 95}, {640, 100}, {640, -1},
	} {
		_, err := r.Resize(context.Background(), fsys, "a.png", tc.width, tc.quality, Universal)
		if !errors.Is(err, ErrBadRequest) {
			t.Errorf("width %d quality %d: got %v, want ErrBadRequest", tc.width, tc.quality, err)
		}
	}
	for _, q := range Qualities {
		if _, err := r.Resize(context.Background(), fsys, "a.png", 320, q, Universal); err != nil {
			t.Errorf("quality %d: got %v, want no error", q, err)
		}
	}
}

func TestResizeRefusesPathsOutsideTheFS(t *testing.T) {
	t.Parallel()
	png := encodePNG(t, photo(32, 32))
	// Every name below also exists in the FS under some spelling, so only
	// the name check can refuse it.
	fsys := mapFS("x.png", png, "a/x.png", png, "etc/passwd", png, "C:\\x", png, "http:/x/y.png", png)
	r := NewResizer(Config{})
	for _, name := range []string{
		"../x.png", "/etc/passwd", "a/../../x", "a/../x.png", "./x.png", "C:\\x", "C:x.png", `a\x.png`,
		"http://x/y.png", "https://example.com/x.png", "//x/y.png", "file:///etc/passwd",
		"", ".", "a/", "a//x.png", "x.png\x00.jpg",
	} {
		_, err := r.Resize(context.Background(), fsys, name, 320, DefaultQuality, Universal)
		if !errors.Is(err, ErrBadRequest) {
			t.Errorf("Resize(%q): got %v, want ErrBadRequest", name, err)
		}
		if _, err := Inspect(fsys, name); !errors.Is(err, ErrBadRequest) {
			t.Errorf("Inspect(%q): got %v, want ErrBadRequest", name, err)
		}
		if _, err := Placeholder(fsys, name); !errors.Is(err, ErrBadRequest) {
			t.Errorf("Placeholder(%q): got %v, want ErrBadRequest", name, err)
		}
	}
}

func TestResizeNotFound(t *testing.T) {
	t.Parallel()
	fsys := mapFS("dir/a.png", encodePNG(t, photo(32, 32)))
	r := NewResizer(Config{})
	for _, name := range []string{"missing.png", "dir/missing.png", "dir", "dir/a.png/x"} {
		_, err := r.Resize(context.Background(), fsys, name, 320, DefaultQuality, Universal)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Resize(%q): got %v, want ErrNotFound", name, err)
		}
	}
}

func TestResizeRefusesSymlinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root, outside := filepath.Join(dir, "root"), filepath.Join(dir, "outside")
	png := encodePNG(t, photo(64, 48))
	for _, p := range []string{filepath.Join(root, "img"), outside} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{filepath.Join(root, "img", "ok.png"), filepath.Join(outside, "secret.png")} {
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		filepath.Join(root, "link.png"):       filepath.Join(outside, "secret.png"),
		filepath.Join(root, "img", "rel.png"): filepath.Join("..", "..", "outside", "secret.png"),
		filepath.Join(root, "out"):            outside,
		filepath.Join(root, "inside.png"):     filepath.Join("img", "ok.png"),
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	fsys := os.DirFS(root)
	// os.DirFS itself follows every one of these links.
	for _, name := range []string{"link.png", "img/rel.png", "out/secret.png"} {
		if _, err := fsys.Open(name); err != nil {
			t.Fatalf("os.DirFS should follow %s: %v", name, err)
		}
	}

	r := NewResizer(Config{})
	if _, err := r.Resize(context.Background(), fsys, "img/ok.png", 320, DefaultQuality, Universal); err != nil {
		t.Fatalf("a plain file: got %v, want no error", err)
	}
	for _, name := range []string{"link.png", "img/rel.png", "out/secret.png", "inside.png"} {
		_, err := r.Resize(context.Background(), fsys, name, 320, DefaultQuality, Universal)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Resize(%q) through a symbolic link: got %v, want ErrNotFound", name, err)
		}
		if _, err := Inspect(fsys, name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Inspect(%q) through a symbolic link: got %v, want ErrNotFound", name, err)
		}
	}
}

func TestResizeRefusesDecompressionBombs(t *testing.T) {
	// Not parallel: it measures the memory allocated while it runs.
	fsys := mapFS(
		"bomb.png", bombPNG(50_000, 50_000),
		"bomb.jpg", bombJPEG(65_535, 65_535),
		"bomb.gif", bombGIF(65_535, 65_535),
		"wide.png", bombPNG(1<<30, 1),
		"strip.png", bombPNG(maxSide+1, 1), // few pixels, too long a side
	)
	r := NewResizer(Config{})
	ctx := context.Background()
	for name := range fsys {
		if _, err := r.Resize(ctx, fsys, name, 640, DefaultQuality, Universal); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Resize(%s): got %v, want ErrTooLarge", name, err)
		}
		if _, err := Placeholder(fsys, name); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Placeholder(%s): got %v, want ErrTooLarge", name, err)
		}
	}
	src, err := Inspect(fsys, "bomb.png")
	if err != nil || src.Width != 50_000 || src.Height != 50_000 {
		t.Errorf("Inspect(bomb.png): got %+v, %v, want 50000x50000 and no error", src, err)
	}

	// 50,000×50,000 RGBA would take 10 GB: refusing it must allocate
	// next to nothing. Both the header pass and, directly, the decode path
	// are measured.
	const runs = 20
	perRun := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range runs {
			f()
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / runs
	}
	const limit = 64 << 10 // well under 1 MB
	if got := perRun(func() { r.Resize(ctx, fsys, "bomb.png", 640, DefaultQuality, Universal) }); got > limit {
		t.Errorf("Resize of a 50000x50000 header allocated %d bytes a call, want at most %d", got, limit)
	}
	data := bombPNG(50_000, 50_000)
	if got := perRun(func() { transform("bomb.png", data, DefaultMaxPixels, 640, DefaultQuality, Universal) }); got > limit {
		t.Errorf("transform of a 50000x50000 header allocated %d bytes a call, want at most %d", got, limit)
	}
	if st := r.Stats(); st.Resizes != 0 {
		t.Errorf("got %d resizes, want none", st.Resizes)
	}
}

func TestResizeRefusesHugeFiles(t *testing.T) {
	t.Parallel()
	small := encodePNG(t, photo(16, 16))
	big := encodePNG(t, photo(200, 200))
	fsys := mapFS("small.png", small, "big.png", big)
	r := NewResizer(Config{MaxFileBytes: int64(len(big) - 1)})
	if _, err := r.Resize(context.Background(), fsys, "big.png", 320, DefaultQuality, Universal); !errors.Is(err, ErrTooLarge) {
		t.Errorf("file of %d bytes with a limit of %d: got %v, want ErrTooLarge", len(big), len(big)-1, err)
	}
	if _, err := r.Resize(context.Background(), fsys, "small.png", 320, DefaultQuality, Universal); err != nil {
		t.Errorf("file under the limit: got %v, want no error", err)
	}

	// The default limit, through Inspect and Placeholder: a file one byte
	// over 20 MiB whose header is a valid small PNG.
	huge := make([]byte, DefaultMaxFileBytes+1)
	copy(huge, small)
	fsys["huge.png"] = &fstest.MapFile{Data: huge}
	if _, err := Inspect(fsys, "huge.png"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Inspect of 20 MiB + 1: got %v, want ErrTooLarge", err)
	}
	if _, err := Placeholder(fsys, "huge.png"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Placeholder of 20 MiB + 1: got %v, want ErrTooLarge", err)
	}
}

func TestResizeRefusesSVGAndUnknownFormats(t *testing.T) {
	t.Parallel()
	fsys := mapFS(
		"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"><rect width="10" height="10"/></svg>`),
		"page.html", []byte(`<!doctype html><html><body>hi</body></html>`),
		"notes.txt", []byte("hello"),
		"empty.png", []byte{},
		"truncated.png", encodePNG(t, photo(64, 64))[:100],
	)
	r := NewResizer(Config{})
	for _, tc := range []struct {
		name string
		want error
	}{
		{"logo.svg", ErrNotRaster},
		{"page.html", ErrUnsupported},
		{"notes.txt", ErrUnsupported},
		{"empty.png", ErrUnsupported},
		{"truncated.png", ErrUnsupported},
	} {
		if _, err := r.Resize(context.Background(), fsys, tc.name, 640, DefaultQuality, Universal); !errors.Is(err, tc.want) {
			t.Errorf("Resize(%s): got %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := Placeholder(fsys, "logo.svg"); !errors.Is(err, ErrNotRaster) {
		t.Errorf("Placeholder(logo.svg): got %v, want ErrNotRaster", err)
	}
}

func TestResizeChoosesPNGOnlyForTransparency(t *testing.T) {
	t.Parallel()
	opaqueNRGBA := image.NewNRGBA(image.Rect(0, 0, 100, 80))
	for i := range opaqueNRGBA.Pix {
		opaqueNRGBA.Pix[i] = 255
	}
	oneClearPixel := image.NewNRGBA(image.Rect(0, 0, 100, 80))
	copy(oneClearPixel.Pix, opaqueNRGBA.Pix)
	oneClearPixel.SetNRGBA(99, 79, color.NRGBA{})
	fsys := mapFS(
		"alpha.png", encodePNG(t, withAlpha(400, 200)),
		"opaque.png", encodePNG(t, photo(400, 200)),
		"opaque-nrgba.png", encodePNG(t, opaqueNRGBA),
		"one-clear-pixel.png", encodePNG(t, oneClearPixel),
		"photo.jpg", encodeJPEG(t, photo(400, 200)),
		"clear.gif", encodeGIF(t, 400, 200, true),
		"solid.gif", encodeGIF(t, 400, 200, false),
	)
	r := NewResizer(Config{})
	for _, tc := range []struct{ name, want string }{
		{"alpha.png", "image/png"},
		{"opaque.png", "image/jpeg"},
		{"opaque-nrgba.png", "image/jpeg"},
		{"one-clear-pixel.png", "image/png"},
		{"photo.jpg", "image/jpeg"},
		{"clear.gif", "image/png"},
		{"solid.gif", "image/jpeg"},
	} {
		img, err := r.Resize(context.Background(), fsys, tc.name, 320, DefaultQuality, Universal)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if img.ContentType != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, img.ContentType, tc.want)
		}
		m := decodeBody(t, img)
		if tc.want == "image/png" {
			if o, ok := m.(interface{ Opaque() bool }); !ok || o.Opaque() {
				t.Errorf("%s: got an opaque PNG, want transparent pixels kept", tc.name)
			}
		}
	}
}

func TestResizeIsDeterministic(t *testing.T) {
	t.Parallel()
	fsys := mapFS("a.jpg", encodeJPEG(t, photo(500, 300)), "b.png", encodePNG(t, withAlpha(500, 300)))
	for _, name := range []string{"a.jpg", "b.png"} {
		var bodies [][]byte
		var etags []string
		for range 2 {
			img, err := NewResizer(Config{}).Resize(context.Background(), fsys, name, 320, 90, Universal)
			if err != nil {
				t.Fatal(err)
			}
			bodies, etags = append(bodies, img.Body), append(etags, img.ETag)
		}
		if !bytes.Equal(bodies[0], bodies[1]) || etags[0] != etags[1] {
			t.Errorf("%s: two resizes gave different bytes or ETags (%s, %s)", name, etags[0], etags[1])
		}
		if len(etags[0]) != 18 || etags[0][0] != '"' || etags[0][17] != '"' {
			t.Errorf("%s: got ETag %s, want 16 hex digits in quotes", name, etags[0])
		}
	}
}

func TestResizeServesRepeatsFromTheCache(t *testing.T) {
	t.Parallel()
	fsys := mapFS("a.jpg", encodeJPEG(t, photo(700, 300)))
	r := NewResizer(Config{})
	ctx := context.Background()
	first, err := r.Resize(ctx, fsys, "a.jpg", 640, DefaultQuality, Universal)
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.Resize(ctx, fsys, "a.jpg", 640, DefaultQuality, Universal)
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Error("second identical Resize: got a new image, want the cached one")
	}
	if st := r.Stats(); st.Resizes != 1 || st.Hits != 1 || st.Misses != 1 || st.CacheEntries != 1 {
		t.Errorf("after two identical calls: got %+v, want 1 resize, 1 hit, 1 miss, 1 entry", st)
	}

	// Another quality is another result.
	if _, err := r.Resize(ctx, fsys, "a.jpg", 640, 50, Universal); err != nil {
		t.Fatal(err)
	}
	// So is the same name with new content.
	fsys["a.jpg"] = &fstest.MapFile{Data: encodeJPEG(t, photo(700, 301))}
	edited, err := r.Resize(ctx, fsys, "a.jpg", 640, DefaultQuality, Universal)
	if err != nil {
		t.Fatal(err)
	}
	if edited.SourceHash == first.SourceHash || edited.ETag == first.ETag {
		t.Error("after editing the file: got the old hash or ETag, want new ones")
	}
	if st := r.Stats(); st.Resizes != 3 {
		t.Errorf("got %d resizes, want 3 (one per distinct result)", st.Resizes)
	}
}

func TestResizeCacheStaysWithinItsBytes(t *testing.T) {
	t.Parallel()
	fsys := mapFS("a.jpg", encodeJPEG(t, photo(2000, 200)))
	probe, err := NewResizer(Config{}).Resize(context.Background(), fsys, "a.jpg", 1920, DefaultQuality, Universal)
	if err != nil {
		t.Fatal(err)
	}
	// Room for the largest result and a little more, not for all five
	// (whose bodies add up to about 1.8 times the largest).
	limit := int64(len(probe.Body))*13/10 + 2*entryOverhead
	r := NewResizer(Config{CacheBytes: limit})
	for round := range 2 {
		for _, w := range Widths {
			if _, err := r.Resize(context.Background(), fsys, "a.jpg", w, DefaultQuality, Universal); err != nil {
				t.Fatal(err)
			}
			if st := r.Stats(); st.CacheBytes > limit {
				t.Fatalf("round %d width %d: cache holds %d bytes, want at most %d", round, w, st.CacheBytes, limit)
			}
		}
	}
	st := r.Stats()
	if st.CacheEntries >= len(Widths) {
		t.Errorf("got %d entries, want some evicted", st.CacheEntries)
	}
	if st.Resizes <= int64(len(Widths)) {
		t.Errorf("got %d resizes over two rounds, want evicted results resized again", st.Resizes)
	}

	// A cache too small for any result keeps nothing, and still works.
	tiny := NewResizer(Config{CacheBytes: 1000})
	for range 2 {
		if _, err := tiny.Resize(context.Background(), fsys, "a.jpg", 320, DefaultQuality, Universal); err != nil {
			t.Fatal(err)
		}
	}
	if st := tiny.Stats(); st.CacheEntries != 0 || st.Resizes != 2 {
		t.Errorf("too small a cache: got %+v, want no entries and 2 resizes", st)
	}
}

func TestLRUEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	img := &Image{Body: make([]byte, 1000)}
	one := cost("a", img)
	c := newLRU(3 * one)
	c.add("a", img)
	c.add("b", img)
	c.add("c", img)
	c.get("a") // now b is the least recently used
	c.add("d", img)
	for key, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, got := c.get(key); got != want {
			t.Errorf("after adding d: %s cached is %v, want %v", key, got, want)
		}
	}
	if n, used := c.size(); n != 3 || used != 3*one {
		t.Errorf("got %d entries of %d bytes, want 3 of %d", n, used, 3*one)
	}
	c.add("d", img) // replacing an entry does not count it twice
	if _, used := c.size(); used != 3*one {
		t.Errorf("after replacing d: got %d bytes, want %d", used, 3*one)
	}
}

func TestResizeConcurrentCallsShareOneResize(t *testing.T) {
	t.Parallel()
	fsys := mapFS("a.jpg", encodeJPEG(t, photo(700, 300)), "b.png", encodePNG(t, withAlpha(400, 300)))
	r := NewResizer(Config{Concurrency: 2})
	type key struct {
		name  string
		width int
	}
	keys := []key{{"a.jpg", 320}, {"a.jpg", 640}, {"b.png", 320}}
	const callers = 12
	var mu sync.Mutex
	got := map[key][]*Image{}
	var wg sync.WaitGroup
	for i := range callers * len(keys) {
		k := keys[i%len(keys)]
		wg.Go(func() {
			img, err := r.Resize(context.Background(), fsys, k.name, k.width, DefaultQuality, Universal)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[k] = append(got[k], img)
			mu.Unlock()
		})
	}
	wg.Wait()
	if st := r.Stats(); st.Resizes != int64(len(keys)) {
		t.Errorf("%d concurrent callers over %d results: got %d resizes, want %d", callers*len(keys), len(keys), st.Resizes, len(keys))
	}
	for k, imgs := range got {
		for _, img := range imgs {
			if img != imgs[0] {
				t.Errorf("%v: callers got different images, want one shared", k)
				break
			}
		}
	}
}

func TestResizeHonoursContext(t *testing.T) {
	t.Parallel()
	png := encodePNG(t, photo(300, 200))

	t.Run("waiting for a slot ends with the context", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := NewResizer(Config{Concurrency: 1})
			r.sem.Acquire(context.Background(), 1) // every slot busy
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := r.Resize(ctx, mapFS("a.png", png), "a.png", 320, DefaultQuality, Universal)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("got %v, want context.DeadlineExceeded", err)
			}
			r.sem.Release(1)
		})
	})

	t.Run("a waiting caller outlives a cancelled one doing the work", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			fsys := mapFS("a.png", png)
			r := NewResizer(Config{Concurrency: 1})
			r.sem.Acquire(context.Background(), 1)

			ctx, cancel := context.WithCancel(context.Background())
			var leaderErr, followerErr error
			var follower *Image
			done := make(chan struct{}, 2)
			go func() {
				_, leaderErr = r.Resize(ctx, fsys, "a.png", 320, DefaultQuality, Universal)
				done <- struct{}{}
			}()
			synctest.Wait() // the first caller waits for the slot
			go func() {
				follower, followerErr = r.Resize(context.Background(), fsys, "a.png", 320, DefaultQuality, Universal)
				done <- struct{}{}
			}()
			synctest.Wait() // the second waits for the first's result
			cancel()
			<-done
			if !errors.Is(leaderErr, context.Canceled) {
				t.Errorf("cancelled caller: got %v, want context.Canceled", leaderErr)
			}
			synctest.Wait() // the second has taken over and waits for the slot
			r.sem.Release(1)
			<-done
			if followerErr != nil || follower == nil || follower.Width != 300 {
				t.Errorf("waiting caller: got %v, %v, want the 300-pixel image", follower, followerErr)
			}
			if st := r.Stats(); st.Resizes != 1 {
				t.Errorf("got %d resizes, want 1", st.Resizes)
			}
		})
	})
}

func TestResizeBoundsDecodingMemory(t *testing.T) {
	t.Parallel()
	// 3000×3000 is well inside the pixel limit, but at 16 bits a channel
	// the decoded image alone is 72 MB: over a 64 MiB budget per resize,
	// refused from its header before any pixel is decoded.
	deep := image.NewNRGBA64(image.Rect(0, 0, 3000, 3000))
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, deep); err != nil {
		t.Fatal(err)
	}
	fsys := mapFS("deep.png", buf.Bytes())
	r := NewResizer(Config{MaxDecodeBytes: 64 << 20})
	_, err := r.Resize(context.Background(), fsys, "deep.png", 320, DefaultQuality, Universal)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("16-bit 3000×3000 PNG with a 64 MiB limit: got %v, want ErrTooLarge", err)
	}
	if st := r.Stats(); st.Resizes != 0 {
		t.Errorf("got %d resizes, want none: the header alone must refuse it", st.Resizes)
	}
	// The same pixels at 8 bits a channel (36 MB) fit.
	shallow := mapFS("shallow.png", encodePNG(t, photo(3000, 3000)))
	if _, err := r.Resize(context.Background(), shallow, "shallow.png", 320, DefaultQuality, Universal); err != nil {
		t.Errorf("8-bit 3000×3000 PNG with a 64 MiB limit: got %v, want no error", err)
	}
}

func TestResizeSharesOneMemoryBudget(t *testing.T) {
	t.Parallel()
	fsys := mapFS("a.png", encodePNG(t, photo(200, 150)))
	r := NewResizer(Config{MaxDecodeBytes: 1 << 20, MemoryBytes: 1 << 20, MemoryWait: 20 * time.Millisecond})
	// Another resize holds the whole budget.
	if !r.memory.TryAcquire(1 << 20) {
		t.Fatal("could not take the budget")
	}
	_, err := r.Resize(context.Background(), fsys, "a.png", 320, DefaultQuality, Universal)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("with the memory budget spent: got %v, want ErrBusy", err)
	}
	// Once it is given back, the same call succeeds.
	r.memory.Release(1 << 20)
	if _, err := r.Resize(context.Background(), fsys, "a.png", 320, DefaultQuality, Universal); err != nil {
		t.Errorf("with the budget free: got %v, want no error", err)
	}
}
