// Package deploy_test runs deploy/nginx.conf for real: nginx serves a fresh
// export, with a renderwise server started from that export (as
// `serve --prebuilt` does) behind it for what needs a server.
//
// The test installs nothing. Without nginx it is skipped on a developer's
// machine and fails in CI (CI is set), where .ci/run installs nginx.
package deploy_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/cache"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/export"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/server"
	"github.com/renderwise/renderwise/static"
)

const baseURL = "https://renderwise.example"

var buildTime = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func fixture() fstest.MapFS {
	md := func(front, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\n" + front + "---\n" + body + "\n")}
	}
	return fstest.MapFS{
		"rendering/ssg.md": md("title: Static site generation\ndescription: Built ahead.\ndate: 2026-11-09\ntags: [rendering]\nseries: course\norder: 1\naliases: [/old-ssg]\n",
			"## Build\n\nRead about [ISR](/articles/rendering/isr) and [SSR](/articles/rendering/ssr).\n\n```go\nfunc main() {}\n```\n\n![The build](diagram.svg)"),
		"rendering/diagram.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`)},
		"rendering/isr.md":      md("title: Incremental static regeneration\ndescription: Regenerated.\ndate: 2026-11-10\ntags: [rendering, nextjs]\nseries: course\norder: 2\nrender: isr\nrevalidate: 30s\n", "## Stale\n\nVersion one."),
		"rendering/ssr.md":      md("title: Server-side rendering\ndescription: Per request.\ndate: 2026-11-08\ntags: [rendering]\nseries: course\norder: 3\nrender: ssr\n", "## Per request\n\nRendered for you."),
		"about.md":              md("title: About\ndescription: About the site.\ndate: 2026-11-01\n", "Plain words."),
	}
}

// nginxPath finds nginx, or skips — or fails in CI, which must have it.
func nginxPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("nginx is not installed; CI must have it (.ci/run installs it)")
	}
	t.Skip("nginx is not installed (apt-get install -y nginx); CI runs this test")
	return ""
}

func TestNginxServesTheExport(t *testing.T) {
	nginx := nginxPath(t)
	fsys := fixture()
	site, err := content.LoadWith(fsys, content.Options{ImageURL: page.ImageURL})
	if err != nil {
		t.Fatal(err)
	}
	set, err := assets.New(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	builder := page.NewBuilder(page.Config{BaseURL: baseURL}, set)

	// The prefix folder holds the config, the export, logs and temp files;
	// when nginx runs as root its workers drop to nobody, who must be able
	// to read it all.
	prefix := t.TempDir() // TMPDIR/TestName123/001, both made 0700
	for _, p := range []string{filepath.Dir(prefix), prefix} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"logs", "temp"} {
		if err := os.Mkdir(filepath.Join(prefix, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dist := filepath.Join(prefix, "dist")
	cfg := export.Config{Out: dist, BaseURL: baseURL, Now: buildTime, Version: "test"}
	deps := export.Deps{Site: site, Content: fsys, Builder: builder, Assets: set}
	if _, err := export.Build(context.Background(), cfg, deps); err != nil {
		t.Fatal(err)
	}

	// The server behind nginx, started from the export like serve --prebuilt.
	now := func() time.Time { return buildTime }
	store := content.NewStore(fsys, site)
	renderer := server.NewRenderer(store, builder, now, nil, nil)
	srv := server.New(server.Config{BaseURL: baseURL}, server.Deps{Content: store, Builder: builder, Assets: set, Now: now,
		Renderer: renderer, Cache: cache.New(cache.Config{Render: renderer.Render, Now: now})})
	defer srv.Close()
	pb, err := export.Read(context.Background(), dist, cfg, deps)
	if err != nil || len(pb.Missing) > 0 {
		t.Fatalf("read the export: %v, missing %v", err, pb.Missing)
	}
	if err := srv.Seed(context.Background(), pb.Pages, pb.NotFound); err != nil {
		t.Fatal(err)
	}
	upstream, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(upstream)
	defer hs.Close()

	port := freePort(t)
	conf := configure(t, port, upstream.Addr().String())
	confPath := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	global := fmt.Sprintf("daemon off; pid %s;", filepath.Join(prefix, "nginx.pid"))
	if out, err := exec.Command(nginx, "-t", "-p", prefix+"/", "-c", confPath, "-g", global).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	var logs bytes.Buffer
	cmd := exec.Command(nginx, "-p", prefix+"/", "-c", confPath, "-g", global)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT) // graceful stop of this nginx, by its PID
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			errLog, _ := os.ReadFile(filepath.Join(prefix, "logs", "error.log"))
			t.Logf("nginx output:\n%s\nerror.log:\n%s", logs.String(), errLog)
		}
	})
	base := "http://127.0.0.1:" + port
	waitForPort(t, "127.0.0.1:"+port)

	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	// direct asks the Go server in-process: what nginx should match.
	h := srv.Handler()
	direct := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}

	// Every URL of the sitemap: 200, the server's bytes and headers.
	_, sm := get("/sitemap.xml")
	var urlset struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(sm, &urlset); err != nil || len(urlset.URLs) < 5 {
		t.Fatalf("sitemap via nginx: %v, %d URLs\n%s", err, len(urlset.URLs), sm)
	}
	pages := []string{"/feed.xml", "/sitemap.xml", "/robots.txt", "/og/articles/rendering/ssg.png"}
	for _, u := range urlset.URLs {
		pages = append(pages, strings.TrimPrefix(u.Loc, baseURL))
	}
	links := map[string]string{} // local link → a page it is on
	for _, path := range pages {
		resp, body := get(path)
		want := direct(path)
		ssr := want.Header().Get("X-Render-Mode") == "ssr" // rendered for each request
		if resp.StatusCode != 200 || (!ssr && !bytes.Equal(body, want.Body.Bytes())) {
			t.Errorf("GET %s via nginx: %d, same bytes as the server: %v", path, resp.StatusCode, bytes.Equal(body, want.Body.Bytes()))
		}
		for _, k := range []string{"Content-Type", "Cache-Control", "X-Render-Mode"} {
			if got, want := resp.Header.Get(k), want.Header().Get(k); got != want {
				t.Errorf("GET %s via nginx: %s %q, the server says %q", path, k, got, want)
			}
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		doc.Find("a[href], link[href], script[src], img[src]").Each(func(_ int, s *goquery.Selection) {
			ref := s.AttrOr("href", s.AttrOr("src", ""))
			if strings.HasPrefix(ref, baseURL) {
				ref = strings.TrimPrefix(ref, baseURL)
			}
			if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
				return
			}
			ref, _, _ = strings.Cut(ref, "#")
			if ref != "" {
				links[ref] = path
			}
		})
	}
	// Every local link on those pages resolves (a redirect to a page that
	// resolves counts).
	for link, from := range links {
		resp, _ := get(link)
		for hops := 0; resp.StatusCode == http.StatusMovedPermanently && hops < 3; hops++ {
			resp, _ = get(strings.TrimPrefix(resp.Header.Get("Location"), base))
		}
		if resp.StatusCode != 200 {
			t.Errorf("link %s on %s: %d via nginx", link, from, resp.StatusCode)
		}
	}

	// Precompressed gzip when asked, the same bytes once decoded.
	resp, gz := get("/articles/rendering/ssg", "Accept-Encoding", "gzip, br")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("GET with Accept-Encoding: gzip: Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
	} else if zr, err := gzip.NewReader(bytes.NewReader(gz)); err != nil {
		t.Error(err)
	} else if plain, _ := io.ReadAll(zr); !bytes.Equal(plain, direct("/articles/rendering/ssg").Body.Bytes()) {
		t.Error("the gzip body via nginx does not decode to the page")
	}

	tests := []struct {
		path, header, want string
		status             int
	}{
		{"/no/such/page", "Content-Type", "text/html; charset=utf-8", 404},
		{"/.renderwise-build", "", "", 404},
		{"/.nginx/pages.map", "", "", 404},
		{"/articles/rendering/isr", "Cache-Control", "public, max-age=0, must-revalidate, s-maxage=30, stale-while-revalidate=31536000", 200},
		{"/articles/rendering/ssg", "X-Render-Mode", "ssg", 200},
		{"/articles/rendering/ssr", "X-Render-Mode", "ssr", 200},
		{"/articles/rendering/ssr", "Cache-Control", "private, no-store", 200},
		{"/search?q=static", "X-Render-Mode", "ssr", 200},
		{"/api/articles", "Content-Type", "application/json", 200},
		{"/old-ssg", "Location", "/articles/rendering/ssg", 301},
		{"/tags/", "Location", "/tags", 301},
		{"/articles/rendering/diagram.svg", "Cache-Control", "public, max-age=3600", 200},
		{"/" + strings.TrimPrefix(set.URL("site.css"), "/"), "Cache-Control", "public, max-age=31536000, immutable", 200},
	}
	for _, tt := range tests {
		resp, body := get(tt.path)
		if resp.StatusCode != tt.status || (tt.header != "" && !strings.HasPrefix(resp.Header.Get(tt.header), tt.want) && !strings.HasSuffix(resp.Header.Get(tt.header), tt.want)) {
			t.Errorf("GET %s via nginx: %d %s=%q; want %d %q", tt.path, resp.StatusCode, tt.header, resp.Header.Get(tt.header), tt.status, tt.want)
		}
		if tt.status == 404 {
			nf, _ := os.ReadFile(filepath.Join(dist, "404.html"))
			if !bytes.Equal(body, nf) {
				t.Errorf("GET %s via nginx: the body is not 404.html", tt.path)
			}
		}
	}
}

// configure returns deploy/nginx.conf listening on port and passing to
// upstream; each line it changes must be there exactly once.
func configure(t *testing.T, port, upstream string) string {
	t.Helper()
	b, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	for old, new := range map[string]string{
		"listen 80;":             "listen 127.0.0.1:" + port + ";",
		"server 127.0.0.1:8080;": "server " + upstream + ";",
	} {
		if n := strings.Count(conf, old); n != 1 {
			t.Fatalf("deploy/nginx.conf has %q %d times, want once", old, n)
		}
		conf = strings.Replace(conf, old, new, 1)
	}
	return conf
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

func waitForPort(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not listen on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a port nginx opens; bounded by the deadline
	}
}
