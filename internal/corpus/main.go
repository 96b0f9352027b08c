// Command corpus writes a folder of generated Markdown articles for build
// benchmarks: realistic articles of about 1,200 words with headings, lists,
// a table, two fenced code blocks, links to other generated articles, tags,
// series, and some ISR and SSR front matter. The same flags always give the
// same bytes (a fixed seed), so runs of the benchmark compare like with like.
//
//	go run ./internal/corpus -n 10000 -out /tmp/corpus
//
// Every article passes `renderwise check`: links point only at generated
// articles, descriptions stay under 160 characters, series orders are unique.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 1000, "number of articles")
	out := flag.String("out", "", "folder to write (created; existing files with the same names are replaced)")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same corpus")
	flag.Parse()
	if *out == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: corpus -n 10000 -out DIR")
		os.Exit(2)
	}
	if err := write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

// write generates n articles into dir.
func write(dir string, n int, seed uint64) error {
	g := newGen(n, seed)
	for i := range n {
		p := filepath.Join(dir, filepath.FromSlash(g.file(i)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, g.article(i), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Sections are the top-level folders; articles are spread over them.
var sections = []string{
	"runtimes", "frameworks", "rendering", "caching", "networking", "browsers", "databases", "security",
	"testing", "deployment", "performance", "accessibility", "css", "javascript", "go", "observability",
	"search", "images", "fonts", "protocols",
}

var tags = []string{
	"rendering", "ssr", "ssg", "isr", "nextjs", "nodejs", "go", "http", "http2", "http3", "tls", "dns",
	"cdn", "caching", "etag", "compression", "brotli", "gzip", "html", "css", "javascript", "typescript",
	"react", "templ", "markdown", "seo", "sitemaps", "feeds", "images", "fonts", "accessibility", "testing",
	"benchmarks", "profiling", "memory", "concurrency", "streams", "event-loop", "workers", "databases",
	"sql", "indexes", "queues", "logging", "metrics", "tracing", "security", "csp", "cookies", "cors",
	"deployment", "containers", "nginx", "varnish", "kubernetes", "ci", "git", "linux", "search", "unicode",
}

var words = strings.Fields(`the a an of to in and for on with by from at as is are was be it this that
these those each every some many few more most less data request response server client browser page
route render cache build bundle module package function method value type field header body status
stream buffer socket connection thread goroutine worker event loop queue timer promise callback error
retry timeout latency throughput memory allocation garbage collector heap stack pointer slice map struct
interface file folder path name version release deploy container image layer network proxy origin edge
region user session cookie token secret key hash digest signature certificate handshake protocol frame
packet window congestion bandwidth compress encode decode parse serialize template component layout
style sheet selector property font glyph pixel viewport device mobile desktop screen reader label focus
index query row column table join transaction lock commit rollback schema migration log metric trace span
sample histogram counter gauge alert dashboard test fixture golden benchmark profile flame graph hot path
fast slow small large simple plain clear careful stable fresh stale valid invalid strict lazy eager often
rarely always never usually first last next previous early late before after during while because although
when where which who how why what then so but or not only also just still already yet again once twice
serve send receive read write open close start stop wait run call return store load save fetch update
delete create measure compare choose explain show keep drop skip check verify sort group count split merge`)

var codeGo = []string{
	"func handler(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set(\"Cache-Control\", \"public, max-age=0\")\n\tfmt.Fprintf(w, \"hello %s\\n\", r.URL.Path)\n}",
	"type Cache struct {\n\tmu    sync.RWMutex\n\tpages map[string][]byte\n}\n\nfunc (c *Cache) Get(route string) ([]byte, bool) {\n\tc.mu.RLock()\n\tdefer c.mu.RUnlock()\n\tb, ok := c.pages[route]\n\treturn b, ok\n}",
	"g, ctx := errgroup.WithContext(ctx)\ng.SetLimit(runtime.GOMAXPROCS(0))\nfor _, route := range routes {\n\tg.Go(func() error { return render(ctx, route) })\n}\nif err := g.Wait(); err != nil {\n\treturn err\n}",
}

var codeJS = []string{
	"export async function getStaticProps() {\n  const posts = await loadPosts();\n  return { props: { posts }, revalidate: 60 };\n}",
	"import http from 'node:http';\n\nhttp.createServer((req, res) => {\n  res.setHeader('Content-Type', 'text/plain');\n  res.end('ok\\n');\n}).listen(3000);",
	"const res = await fetch('/api/articles', { headers: { accept: 'application/json' } });\nif (!res.ok) throw new Error(`status ${res.status}`);\nconst articles = await res.json();",
}

var codeShell = []string{
	"curl -sI https://example.com/articles/rendering/isr | grep -i x-cache\ncurl -s --compressed https://example.com/feed.xml | head",
	"go test -race ./...\ngo test -run '^$' -bench . -benchmem ./internal/page",
}

// gen holds what every article needs to know about the others.
type gen struct {
	n    int
	seed uint64
}

func newGen(n int, seed uint64) *gen { return &gen{n: n, seed: seed} }

// rng returns the random source of article i: each article has its own, so
// article i is the same whatever n is (links aside, which stay below n).
func (g *gen) rng(i int) *rand.Rand { return rand.New(rand.NewPCG(g.seed, uint64(i))) }

func (g *gen) section(i int) string { return sections[i%len(sections)] }

func (g *gen) file(i int) string {
	r := g.rng(i)
	return fmt.Sprintf("%s/%s-%s-%d.md", g.section(i), words[20+r.IntN(len(words)-20)], words[20+r.IntN(len(words)-20)], i)
}

func (g *gen) path(i int) string { return "/articles/" + strings.TrimSuffix(g.file(i), ".md") }

// sentence returns a sentence of between lo and hi words.
func sentence(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	var b strings.Builder
	for j := range n {
		w := words[r.IntN(len(words))]
		if j == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

func title(r *rand.Rand) string {
	s := sentence(r, 3, 7)
	return strings.TrimSuffix(s, ".")
}

// article returns the Markdown source of article i.
func (g *gen) article(i int) []byte {
	r := g.rng(i)
	var b bytes.Buffer
	t := title(r)
	desc := sentence(r, 12, 18)
	if len(desc) > 150 {
		desc = strings.TrimRight(desc[:150], " ") + "."
	}
	date := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(6*365))
	fmt.Fprintf(&b, "---\ntitle: %q\ndescription: %q\ndate: %s\n", t, desc, date.Format(time.DateOnly))
	if r.IntN(5) == 0 {
		fmt.Fprintf(&b, "updated: %s\n", date.AddDate(0, 0, 1+r.IntN(200)).Format(time.DateOnly))
	}
	nt := 2 + r.IntN(3)
	seen := map[string]bool{}
	var ts []string
	for len(ts) < nt {
		// Skewed: low-numbered tags are common, as on real sites.
		tg := tags[min(r.IntN(len(tags)), r.IntN(len(tags)))]
		if !seen[tg] {
			seen[tg] = true
			ts = append(ts, tg)
		}
	}
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(ts, ", "))
	// Every tenth article belongs to a series of up to ten, in order.
	if i%10 == 0 {
		fmt.Fprintf(&b, "series: series-%d\norder: %d\n", i/100, i/10%10+1)
	}
	switch m := r.IntN(20); {
	case m < 2:
		fmt.Fprintf(&b, "render: isr\nrevalidate: %ds\n", []int{30, 60, 300}[r.IntN(3)])
	case m < 3:
		b.WriteString("render: ssr\n")
	}
	b.WriteString("---\n\n")

	para := func(sentences int, link bool) {
		for s := range sentences {
			if s > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(sentence(r, 8, 18))
		}
		if link && g.n > 1 {
			j := r.IntN(g.n)
			if j == i {
				j = (j + 1) % g.n
			}
			fmt.Fprintf(&b, " See [%s](%s) for more.", strings.ToLower(title(rand.New(rand.NewPCG(g.seed, uint64(j))))), g.path(j))
		}
		b.WriteString("\n\n")
	}
	para(5, true)
	headings := 5
	for h := range headings {
		fmt.Fprintf(&b, "## %s\n\n", title(r))
		para(4, h%2 == 0)
		switch h {
		case 0:
			for range 4 + r.IntN(3) {
				fmt.Fprintf(&b, "- %s\n", sentence(r, 5, 12))
			}
			b.WriteString("\n")
			para(3, false)
		case 1:
			fmt.Fprintf(&b, "```go\n%s\n```\n\n", codeGo[r.IntN(len(codeGo))])
			para(3, true)
		case 2:
			b.WriteString("| Mode | When rendered | Cache-Control |\n|---|---|---|\n")
			for range 3 + r.IntN(3) {
				fmt.Fprintf(&b, "| %s | %s | `%s` |\n", words[r.IntN(len(words))], title(r), words[r.IntN(len(words))])
			}
			b.WriteString("\n")
			para(3, false)
		case 3:
			if r.IntN(2) == 0 {
				fmt.Fprintf(&b, "```js\n%s\n```\n\n", codeJS[r.IntN(len(codeJS))])
			} else {
				fmt.Fprintf(&b, "```sh\n%s\n```\n\n", codeShell[r.IntN(len(codeShell))])
			}
			for k := range 3 + r.IntN(2) {
				fmt.Fprintf(&b, "%d. %s\n", k+1, sentence(r, 6, 12))
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "### %s\n\n", title(r))
		para(4, false)
		para(3, h == 4)
	}
	return b.Bytes()
}
