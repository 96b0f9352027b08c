package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// varnishCache is a varnishd process in front of some replicas.
type varnishCache struct {
	*process
	base    string // http://127.0.0.1:port
	port    int
	workdir string
}

// startVarnish runs deploy/varnish/default.vcl with its backends block
// replaced by the replicas, and waits until Varnish sees them all healthy.
func startVarnish(t *testing.T, replicas ...*replica) *varnishCache {
	t.Helper()
	return startVarnishOn(t, localPort(t), replicas...)
}

// startVarnishOn is startVarnish on a port chosen before the replicas
// started (they purge there: --purge-url).
func startVarnishOn(t *testing.T, port int, replicas ...*replica) *varnishCache {
	t.Helper()
	varnishd := requireCommand(t, "varnishd", "varnish")
	varnishadm := requireCommand(t, "varnishadm", "varnish")
	vcl, err := os.ReadFile(filepath.Join("varnish", "default.vcl"))
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "# BEGIN backends\n", "# END backends\n"
	i, j := strings.Index(string(vcl), begin), strings.Index(string(vcl), end)
	if i < 0 || j < i {
		t.Fatalf("default.vcl has no %q … %q block", strings.TrimSpace(begin), strings.TrimSpace(end))
	}
	src := string(vcl[:i+len(begin)]) + backendsVCL(replicas) + string(vcl[j:])
	dir := t.TempDir()
	path := filepath.Join(dir, "test.vcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	workdir := filepath.Join(dir, "varnish")
	// -j none: no privilege separation, so the child can use the test's
	// temporary folders whoever runs the test (root or not).
	cmd := exec.Command(varnishd, "-F", "-j", "none", "-a", "127.0.0.1:"+strconv.Itoa(port), "-T", "127.0.0.1:0",
		"-f", path, "-n", workdir, "-s", "malloc,64m")
	v := &varnishCache{process: startProcess(t, "varnishd", cmd), base: "http://127.0.0.1:" + strconv.Itoa(port), port: port, workdir: workdir}
	eventually(t, 30*time.Second, "Varnish with every backend healthy", func() error {
		if v.exited() {
			t.Fatalf("varnishd exited:\n%s", v.logs)
		}
		out, err := exec.Command(varnishadm, "-n", workdir, "backend.list").CombinedOutput()
		if err != nil {
			return fmt.Errorf("varnishadm: %v: %s", err, out)
		}
		for i := range replicas {
			if !regexpHealthy(string(out), "replica"+strconv.Itoa(i+1)) {
				return fmt.Errorf("not all healthy:\n%s", out)
			}
		}
		return nil
	})
	return v
}

// regexpHealthy reports whether backend.list shows backend name healthy.
func regexpHealthy(list, name string) bool {
	for _, line := range strings.Split(list, "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && strings.HasSuffix(f[0], "."+name) && f[3] == "healthy" {
			return true
		}
	}
	return false
}

// backendsVCL declares the replicas and adds them to both directors, as the
// block of default.vcl does for its example replicas.
func backendsVCL(replicas []*replica) string {
	var b strings.Builder
	for i, r := range replicas {
		fmt.Fprintf(&b, "backend replica%d {\n\t.host = \"127.0.0.1\";\n\t.port = \"%d\";\n\t.probe = renderwise_ready;\n}\n\n", i+1, r.port)
	}
	b.WriteString("sub vcl_init {\n\tnew replicas = directors.round_robin();\n")
	for i := range replicas {
		fmt.Fprintf(&b, "\treplicas.add_backend(replica%d);\n", i+1)
	}
	b.WriteString("\tnew by_url = directors.shard();\n")
	for i := range replicas {
		fmt.Fprintf(&b, "\tby_url.add_backend(replica%d);\n", i+1)
	}
	b.WriteString("\tby_url.reconfigure();\n}\n")
	return b.String()
}

// TestVarnish runs two replicas behind Varnish with deploy/varnish/default.vcl
// and checks that the Cache-Control the replicas send makes Varnish do the
// right thing with no other help (DESIGN.md §4).
func TestVarnish(t *testing.T) {
	t.Parallel()
	requireCommand(t, "varnishd", "varnish")
	site := writeSite(t)
	r1 := startReplica(t, "replica1", site, nil)
	r2 := startReplica(t, "replica2", site, nil)
	v := startVarnish(t, r1, r2)
	const gz, br = "Accept-Encoding: gzip", "Accept-Encoding: gzip, deflate, br"
	cacheStatus := func(r reply) string { return r.header.Get("X-Cache-Varnish") }
	originRequests := func(mode string) float64 {
		return r1.metric(t, "renderwise_http_requests_total", `mode="`+mode+`"`) + r2.metric(t, "renderwise_http_requests_total", `mode="`+mode+`"`)
	}

	t.Run("an SSG page is fetched once per encoding, then served by Varnish", func(t *testing.T) {
		before := originRequests("ssg")
		first := fetch(t, "GET", v.base+"/articles/ssg", gz)
		second := fetch(t, "GET", v.base+"/articles/ssg", gz)
		if first.status != 200 || cacheStatus(first) != "MISS" || cacheStatus(second) != "HIT" {
			t.Errorf("two requests: %d %s, then %d %s; want 200 MISS, then HIT", first.status, cacheStatus(first), second.status, cacheStatus(second))
		}
		if ids := strings.Fields(second.header.Get("X-Varnish")); len(ids) != 2 {
			t.Errorf("X-Varnish on the hit = %q, want two transaction IDs (this request, the one that stored it)", ids)
		}
		if got := second.header.Get("Content-Encoding"); got != "gzip" || !strings.Contains(second.body, "Static version 1.") {
			t.Errorf("gzip client: Content-Encoding %q, body has the article: %v", got, strings.Contains(second.body, "Static version 1."))
		}
		// Brotli is kept: clients that accept it get the replica's br body,
		// stored as a variant of its own.
		b1, b2 := fetch(t, "GET", v.base+"/articles/ssg", br), fetch(t, "GET", v.base+"/articles/ssg", br)
		if b1.header.Get("Content-Encoding") != "br" || cacheStatus(b1) != "MISS" || cacheStatus(b2) != "HIT" || b2.header.Get("Content-Encoding") != "br" {
			t.Errorf("br client: %s %s, then %s %s; want br MISS, then br HIT",
				b1.header.Get("Content-Encoding"), cacheStatus(b1), b2.header.Get("Content-Encoding"), cacheStatus(b2))
		}
		if !strings.Contains(b2.body, "Static version 1.") {
			t.Error("the br body from Varnish does not decode to the article")
		}
		// A client that accepts no encoding gets the stored gzip object,
		// decompressed by Varnish.
		plain := fetch(t, "GET", v.base+"/articles/ssg", "Accept-Encoding: identity")
		if plain.header.Get("Content-Encoding") != "" || cacheStatus(plain) != "HIT" || !strings.Contains(plain.body, "Static version 1.") {
			t.Errorf("identity client: Content-Encoding %q, %s; want none, HIT, the article", plain.header.Get("Content-Encoding"), cacheStatus(plain))
		}
		if got := originRequests("ssg") - before; got != 2 {
			t.Errorf("the replicas answered %v SSG requests, want 2 (one gzip, one br)", got)
		}
		if got := second.header.Get("Cache-Control"); got != "public, max-age=0, must-revalidate, s-maxage=31536000" {
			t.Errorf("Cache-Control to the browser = %q, want the replica's", got)
		}
	})

	t.Run("the theme cookie does not stop caching", func(t *testing.T) {
		r := fetch(t, "GET", v.base+"/articles/ssg", gz, "Cookie: theme=dark")
		if cacheStatus(r) != "HIT" {
			t.Errorf("with Cookie: theme=dark: %s, want HIT", cacheStatus(r))
		}
	})

	t.Run("SSR pages are never cached", func(t *testing.T) {
		before := r1.metric(t, "renderwise_renders_total", `mode="ssr"`) + r2.metric(t, "renderwise_renders_total", `mode="ssr"`)
		for i := range 4 {
			r := fetch(t, "GET", v.base+"/articles/ssr", gz, "Cookie: theme=light")
			if r.status != 200 || cacheStatus(r) == "HIT" || r.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("request %d: %d %s %q; want 200, not a HIT, private, no-store", i+1, r.status, cacheStatus(r), r.header.Get("Cache-Control"))
			}
		}
		after := r1.metric(t, "renderwise_renders_total", `mode="ssr"`) + r2.metric(t, "renderwise_renders_total", `mode="ssr"`)
		if after-before != 4 {
			t.Errorf("4 SSR requests through Varnish rendered %v times, want 4", after-before)
		}
	})

	t.Run("preview responses are never cached", func(t *testing.T) {
		enter := fetch(t, "GET", v.base+"/api/preview?token="+previewToken+"&path=/articles/draft")
		var cookie string
		for _, c := range (&http.Response{Header: enter.header}).Cookies() {
			if c.Name == "rw_preview" {
				cookie = "rw_preview=" + c.Value
			}
		}
		if enter.status != http.StatusTemporaryRedirect || cookie == "" {
			t.Fatalf("entering preview: %d, cookie %q; want 307 and rw_preview", enter.status, cookie)
		}
		const banner = `class="preview-banner"`
		for _, path := range []string{"/articles/draft", "/articles/ssg"} {
			for i := range 2 {
				r := fetch(t, "GET", v.base+path, gz, "Cookie: theme=dark; "+cookie)
				if r.status != 200 || cacheStatus(r) != "PASS" || r.header.Get("Cache-Control") != "private, no-store" || !strings.Contains(r.body, banner) {
					t.Errorf("%s in preview, request %d: %d %s %q, banner %v; want 200 PASS private, no-store with the banner",
						path, i+1, r.status, cacheStatus(r), r.header.Get("Cache-Control"), strings.Contains(r.body, banner))
				}
			}
		}
		// Nothing of the preview leaked into the cache.
		if r := fetch(t, "GET", v.base+"/articles/draft", gz); r.status != 404 {
			t.Errorf("the draft without the cookie: %d, want 404", r.status)
		}
		if r := fetch(t, "GET", v.base+"/articles/ssg", gz); cacheStatus(r) != "HIT" || strings.Contains(r.body, banner) {
			t.Errorf("the SSG page without the cookie: %s, banner %v; want the stored page, no banner", cacheStatus(r), strings.Contains(r.body, banner))
		}
	})

	t.Run("an ISR page is served stale while one fetch regenerates it once", func(t *testing.T) {
		fetch(t, "GET", v.base+"/articles/isr", gz) // stored in Varnish, whatever its state was
		writeArticle(t, site, "isr", "isr\nrevalidate: 2s", "Incremental version 2.")
		// Wait out the interval: Varnish keeps the page for s-maxage=2 (or
		// 1s if the replica answered STALE), the replicas for revalidate: 2s.
		time.Sleep(2100 * time.Millisecond)

		before := isrRenders(t, r1, r2)
		const burst = 100
		statuses := map[string]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := time.Now()
		for range burst {
			wg.Go(func() {
				r, err := send("GET", v.base+"/articles/isr", gz)
				mu.Lock()
				defer mu.Unlock()
				if err != nil || r.status != 200 {
					statuses[fmt.Sprint("error ", r.status, err)]++
					return
				}
				statuses[cacheStatus(r)]++
			})
		}
		wg.Wait()
		burstTime := time.Since(start)
		if statuses["STALE"]+statuses["HIT"] != burst {
			t.Errorf("%d requests after the interval: %v; want every one served from Varnish (STALE, or HIT once refreshed)", burst, statuses)
		}
		var refreshed time.Duration
		eventually(t, 10*time.Second, "the new version through Varnish", func() error {
			r, err := send("GET", v.base+"/articles/isr", gz)
			if err != nil {
				return err
			}
			if !strings.Contains(r.body, "Incremental version 2.") {
				return errors.New("still version 1")
			}
			refreshed = time.Since(start)
			return nil
		})
		if got := isrRenders(t, r1, r2) - before; got != 1 {
			t.Errorf("the replicas rendered the ISR page %v times for %d requests and the refresh, want 1", got, burst)
		}
		t.Logf("%d concurrent requests after the interval answered in %s (%v); the new version showed %s after the burst",
			burst, burstTime.Round(time.Millisecond), statuses, refreshed.Round(10*time.Millisecond))
	})

	t.Run("revalidating the replicas, then PURGE, shows new content at once", func(t *testing.T) {
		writeArticle(t, site, "isr", "isr\nrevalidate: 2s", "Incremental version 3.")
		// Without --redis each replica holds its own copy: revalidate each.
		// (With --redis one call reaches all of them; see redis_test.go.)
		for _, r := range []*replica{r1, r2} {
			resp := postJSON(t, r.base+"/api/revalidate", `{"path": "/articles/isr"}`, "Authorization: Bearer "+revalidateToken)
			if resp.status != 200 {
				t.Fatalf("POST /api/revalidate to %s: %d %s", r.name, resp.status, resp.body)
			}
		}
		// Another Host than the readers used: the cache key is the URL.
		purge := fetch(t, "PURGE", v.base+"/articles/isr", "Host: renderwise.test")
		if purge.status != 200 {
			t.Fatalf("PURGE: %d %s", purge.status, purge.body)
		}
		for _, enc := range []string{gz, br, "Accept-Encoding: identity"} {
			r := fetch(t, "GET", v.base+"/articles/isr", enc)
			if !strings.Contains(r.body, "Incremental version 3.") {
				t.Errorf("%s right after PURGE: %s, without version 3", enc, cacheStatus(r))
			}
		}
	})

	t.Run("BAN invalidates every page under a path", func(t *testing.T) {
		fetch(t, "GET", v.base+"/articles/ssg", gz)
		if r := fetch(t, "BAN", v.base+"/articles/"); r.status != 200 {
			t.Fatalf("BAN /articles/: %d %s", r.status, r.body)
		}
		if r := fetch(t, "GET", v.base+"/articles/ssg", gz); cacheStatus(r) != "MISS" {
			t.Errorf("/articles/ssg after BAN /articles/: %s, want MISS", cacheStatus(r))
		}
	})

	t.Run("PURGE and BAN are refused from other addresses", func(t *testing.T) {
		// 127.0.0.2 is this host too, but not in acl purgers.
		other := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
			LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: 5 * time.Second,
		}).DialContext}, Timeout: 10 * time.Second}
		for _, method := range []string{"PURGE", "BAN"} {
			req, _ := http.NewRequestWithContext(context.Background(), method, v.base+"/articles/ssg", nil)
			resp, err := other.Do(req)
			if err != nil {
				t.Skipf("cannot connect from 127.0.0.2 here: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s from 127.0.0.2: %d, want 403", method, resp.StatusCode)
			}
		}
		if r := fetch(t, "GET", v.base+"/articles/ssg", gz); cacheStatus(r) != "HIT" {
			t.Errorf("after refused PURGE and BAN: %s, want HIT", cacheStatus(r))
		}
	})

	t.Run("hit rate under load", func(t *testing.T) {
		paths := []string{"/", "/articles/ssg", "/articles/isr", "/tags", "/feed.xml", "/sitemap.xml"}
		encodings := []string{gz, br}
		const n = 2000
		before := originRequests("ssg") + originRequests("isr")
		counts := map[string]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, 32)
		start := time.Now()
		for i := range n {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				// Headers only: decoding 2000 bodies under the race detector
				// would measure the client.
				req, _ := http.NewRequestWithContext(context.Background(), "GET", v.base+paths[i%len(paths)], nil)
				name, value, _ := strings.Cut(encodings[(i/len(paths))%2], ": ")
				req.Header.Set(name, value)
				resp, err := testClient.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				defer mu.Unlock()
				if err != nil || resp.StatusCode != 200 {
					counts[fmt.Sprint("error ", err)]++
					return
				}
				counts[resp.Header.Get("X-Cache-Varnish")]++
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		origin := originRequests("ssg") + originRequests("isr") - before
		hits := counts["HIT"] + counts["STALE"]
		if hits+counts["MISS"] != n {
			t.Errorf("%d requests: %v; want every one answered 200", n, counts)
		}
		// At most one fetch per path and encoding, and a few more if an
		// ISR page expires during the run.
		if origin > float64(2*len(paths)+6) {
			t.Errorf("%d requests over %d cacheable paths reached the replicas %v times", n, len(paths), origin)
		}
		t.Logf("Varnish hit rate %.2f%% (%v) over %d requests, %v origin requests, in %s",
			100*float64(hits)/n, counts, n, origin, elapsed.Round(time.Millisecond))
	})
}

// TestVarnishPurgesByTag: a tag revalidation at a replica started with
// --purge-url makes the next request through Varnish fresh for every page
// that declared the tag and leaves the others cached; browsers never see
// the tags.
func TestVarnishPurgesByTag(t *testing.T) {
	t.Parallel()
	requireCommand(t, "varnishd", "varnish")
	site := writeSite(t)
	writeArticle(t, site, "other", "ssg", "Another static page.")
	port := localPort(t)
	purge := fmt.Sprintf("--purge-url=http://127.0.0.1:%d/", port)
	r1 := startReplica(t, "replica1", site, nil, purge)
	v := startVarnishOn(t, port, r1)
	const gz = "Accept-Encoding: gzip"
	status := func(path string) string {
		r := fetch(t, "GET", v.base+path, gz)
		if r.status != 200 {
			t.Fatalf("GET %s through Varnish: %d", path, r.status)
		}
		for _, h := range []string{"Surrogate-Key", "Cache-Tag", "Xkey"} {
			if r.header.Get(h) != "" {
				t.Errorf("GET %s through Varnish carries %s: %q", path, h, r.header.Get(h))
			}
		}
		return r.header.Get("X-Cache-Varnish")
	}
	for _, p := range []string{"/articles/ssg", "/articles/other"} {
		status(p)
		if got := status(p); got != "HIT" {
			t.Fatalf("second GET %s: %s, want HIT", p, got)
		}
	}
	if direct := fetch(t, "GET", r1.base+"/articles/ssg", gz); !strings.Contains(direct.header.Get("Surrogate-Key"), "article:/articles/ssg") {
		t.Fatalf("the replica's Surrogate-Key %q lacks the article's own tag", direct.header.Get("Surrogate-Key"))
	}
	res := postJSON(t, r1.base+"/api/revalidate", `{"tag": "article:/articles/ssg", "expire": true}`, "Authorization: Bearer "+revalidateToken)
	if res.status != 200 || !strings.Contains(res.body, `"purged": true`) || !strings.Contains(res.body, `"/articles/ssg"`) {
		t.Fatalf("revalidate the tag: %d %s", res.status, res.body)
	}
	if got := status("/articles/ssg"); got != "MISS" {
		t.Errorf("GET /articles/ssg after its tag was purged: %s, want MISS", got)
	}
	if got := status("/articles/other"); got != "HIT" {
		t.Errorf("GET /articles/other, which does not declare the tag: %s, want HIT", got)
	}
}

// postJSON sends a JSON body.
func postJSON(t *testing.T, url, body string, headers ...string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), "POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, err = io.Copy(&b, resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b.String()}
}

// TestVarnishPPRWithESI: through Varnish a PPR page is served from its
// cache except for its holes — the shell is fetched once, each reader's
// holes every time, the cached part by its own interval — and assembled
// into one page with no ESI tag left; a request straight to the replica
// never contains one.
func TestVarnishPPRWithESI(t *testing.T) {
	t.Parallel()
	requireCommand(t, "varnishd", "varnish")
	site := writeSite(t)
	writeArticle(t, site, "ppr", "ppr", "Prerendered shell text.")
	r1 := startReplica(t, "replica1", site, nil, "--trusted-proxies", "127.0.0.1")
	v := startVarnish(t, r1)
	const gz = "Accept-Encoding: gzip"
	requests := func(labels ...string) float64 { return r1.metric(t, "renderwise_http_requests_total", labels...) }

	// Straight to the replica (from an address it does not trust as a
	// proxy is the unit tests' case; here: without the proxy's header).
	if direct := fetch(t, "GET", r1.base+"/articles/ppr", gz); strings.Contains(direct.body, "<esi:") || !strings.Contains(direct.body, `class="ppr-filled"`) {
		t.Errorf("a direct request: want the page streamed whole, no ESI tag:\n%.300s", direct.body)
	}

	shells, holes, parts := requests(`mode="ppr"`), requests(`route="/_holes/*"`), requests(`route="/_parts/*"`)
	var seen []string
	for i, enc := range []string{gz, "Accept-Encoding: identity", gz} {
		r := fetch(t, "GET", v.base+"/articles/ppr", enc)
		b := r.body
		if r.status != 200 || strings.Contains(b, "<esi:") || strings.ContainsRune(b, 0) {
			t.Fatalf("request %d through Varnish: %d, want the page with no ESI tag:\n%.300s", i, r.status, b)
		}
		for _, want := range []string{"Prerendered shell text.", `class="delivery-hole"`, "(ESI)", `id="newest"`, `class="ppr-filled"`, "</html>"} {
			if !strings.Contains(b, want) {
				t.Errorf("request %d through Varnish lacks %q", i, want)
			}
		}
		if cc := r.header.Get("Cache-Control"); cc != "private, no-store" || r.header.Get("ETag") != "" || r.header.Get("Surrogate-Control") != "" {
			t.Errorf("request %d through Varnish: Cache-Control %q, ETag %q, Surrogate-Control %q; want the reader's own page", i, cc, r.header.Get("ETag"), r.header.Get("Surrogate-Control"))
		}
		if i == 0 && r.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("through Varnish with gzip: Content-Encoding %q", r.header.Get("Content-Encoding"))
		}
		i0 := strings.Index(b, `class="delivery-hole"`)
		seen = append(seen, b[i0:i0+strings.Index(b[i0:], "</span>")])
	}
	if seen[0] == seen[1] || seen[1] == seen[2] {
		t.Errorf("the delivery hole is the same for two readers: %q", seen)
	}
	if got := requests(`mode="ppr"`) - shells; got != 1 {
		t.Errorf("three readers through Varnish: the replica sent the shell %v times, want 1", got)
	}
	if got := requests(`route="/_holes/*"`) - holes; got != 6 {
		t.Errorf("three readers through Varnish: %v holes fetched, want 6 (two each)", got)
	}
	if got := requests(`route="/_parts/*"`) - parts; got > 2 {
		t.Errorf("three readers through Varnish: the cached part fetched %v times, want at most once per encoding", got)
	}

	// The live hole's data source still waits behind the shell.
	start := time.Now()
	r := fetch(t, "GET", v.base+"/articles/ppr?delay=300", gz)
	if time.Since(start) < 300*time.Millisecond || !strings.Contains(r.body, "took 300 ms") {
		t.Errorf("?delay=300 through Varnish: %s, %q", time.Since(start), r.body[strings.Index(r.body, `class="ppr-live"`):][:200])
	}
}

// TestVarnishImagesByFormat: Varnish keeps one resized image per format,
// whatever Accept string each browser sends.
func TestVarnishImagesByFormat(t *testing.T) {
	t.Parallel()
	requireCommand(t, "varnishd", "varnish")
	site := writeSite(t)
	img := image.NewRGBA(image.Rect(0, 0, 800, 400))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "picture.png"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r1 := startReplica(t, "replica1", site, nil)
	v := startVarnish(t, r1)
	const url = "/_img/articles/picture.png?w=640"
	for i, c := range []struct{ accept, format, cache string }{
		{"image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "image/webp", "MISS"},     // Chrome
		{"image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", "image/webp", "HIT"}, // Firefox
		{"image/png,image/*;q=0.8", "image/", "MISS"},
		{"*/*", "image/", "HIT"},
		{"image/webp;q=0, image/*", "image/", "HIT"},
	} {
		r := fetch(t, "GET", v.base+url, "Accept: "+c.accept)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), c.format) || (c.format == "image/" && r.header.Get("Content-Type") == "image/webp") {
			t.Errorf("request %d (Accept %q): %d %s, want %s…", i, c.accept, r.status, r.header.Get("Content-Type"), c.format)
		}
		if got := r.header.Get("X-Cache-Varnish"); got != c.cache {
			t.Errorf("request %d (Accept %q): %s, want %s", i, c.accept, got, c.cache)
		}
	}
}
