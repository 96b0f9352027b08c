package deploy_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startRedisServer runs redis-server on a free port, keeping nothing on
// disk, and waits until it accepts connections.
func startRedisServer(t *testing.T) (*process, string) {
	t.Helper()
	redisServer := requireCommand(t, "redis-server", "redis-server")
	port := strconv.Itoa(localPort(t))
	p := startProcess(t, "redis-server", exec.Command(redisServer, "--port", port, "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no"))
	eventually(t, 10*time.Second, "redis-server listening", func() error {
		if p.exited() {
			t.Fatalf("redis-server exited:\n%s", p.logs)
		}
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err != nil {
			return err
		}
		return c.Close()
	})
	return p, "redis://127.0.0.1:" + port + "/0"
}

// TestRedis runs two replicas sharing one Redis: what one regenerates, the
// other serves; a stale page is regenerated once across both; and when
// Redis dies they carry on from memory.
func TestRedis(t *testing.T) {
	t.Parallel()
	requireCommand(t, "redis-server", "redis-server")
	redis, url := startRedisServer(t)
	site := writeSite(t)
	// One replica takes the URL from the flag, the other from the
	// environment, as in a container.
	a := startReplica(t, "replica A", site, nil, "--redis", url)
	a.waitLog(t, "joined the shared store")
	b := startReplica(t, "replica B", site, []string{"RENDERWISE_REDIS=" + url})
	b.waitLog(t, "joined the shared store")
	const gz = "Accept-Encoding: gzip"

	t.Run("a replica that starts later serves the generation the others serve", func(t *testing.T) {
		// B rendered its own pages at start, then adopted A's that were
		// still fresh (home, tags: 60s) and published its own where A's
		// were due (the article, 2s, if B took that long to start): either
		// way the two serve one generation of every ISR page.
		if b.logs.count("adopted=0") != 0 {
			t.Errorf("B adopted none of A's pages:\n%s", b.logs)
		}
		for _, path := range []string{"/articles/isr", "/", "/tags"} {
			eventually(t, 5*time.Second, "one generation of "+path, func() error {
				ra, err := send("GET", a.base+path, gz)
				if err != nil {
					return err
				}
				rb, err := send("GET", b.base+path, gz)
				if err != nil {
					return err
				}
				if ra.header.Get("ETag") != rb.header.Get("ETag") {
					return fmt.Errorf("ETag on A %s, on B %s", ra.header.Get("ETag"), rb.header.Get("ETag"))
				}
				return nil
			})
		}
	})

	t.Run("on-demand revalidation on one replica reaches the other", func(t *testing.T) {
		writeArticle(t, site, "isr", "isr\nrevalidate: 2s", "Incremental version 2.")
		rendersB := b.metric(t, "renderwise_renders_total", `mode="isr"`)
		start := time.Now()
		resp := postJSON(t, a.base+"/api/revalidate", `{"path": "/articles/isr"}`, "Authorization: Bearer "+revalidateToken)
		if resp.status != 200 {
			t.Fatalf("POST /api/revalidate to A: %d %s", resp.status, resp.body)
		}
		answered := time.Since(start)
		// Poll B as fast as it answers, to measure how long the page takes
		// to get there: A publishes, Redis tells B, B reads the page.
		var propagated time.Duration
		for {
			r, err := send("GET", b.base+"/articles/isr", gz)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(r.body, "Incremental version 2.") {
				propagated = time.Since(start)
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("B still serves %s 5s after the revalidation on A", r.header.Get("ETag"))
			}
		}
		if got := b.metric(t, "renderwise_renders_total", `mode="isr"`) - rendersB; got != 0 {
			t.Errorf("B rendered the page %v times, want 0 (it gets A's)", got)
		}
		t.Logf("revalidation answered by A in %s; B served the new page %s after the request",
			answered.Round(time.Microsecond), propagated.Round(time.Microsecond))
	})

	t.Run("a tag revalidated on one replica is rendered once across both", func(t *testing.T) {
		for i, expire := range []bool{false, true} {
			version := fmt.Sprintf("Static version %d.", i+2)
			writeArticle(t, site, "ssg", "ssg", version)
			renders := func() float64 {
				return a.metric(t, "renderwise_renders_total", `mode="ssg"`) + b.metric(t, "renderwise_renders_total", `mode="ssg"`)
			}
			before := renders()
			body := fmt.Sprintf(`{"tag": "article:/articles/ssg", "expire": %t}`, expire)
			resp := postJSON(t, a.base+"/api/revalidate", body, "Authorization: Bearer "+revalidateToken)
			if resp.status != 200 || !strings.Contains(resp.body, `"/articles/ssg"`) {
				t.Fatalf("POST %s to A: %d %s", body, resp.status, resp.body)
			}
			// B first, then both; once a replica served the new version it
			// never serves the old one again.
			fresh := map[string]bool{}
			deadline := time.Now().Add(5 * time.Second)
			for !(fresh[a.name] && fresh[b.name]) || time.Now().Before(deadline.Add(-4*time.Second)) {
				if time.Now().After(deadline) {
					t.Fatalf("expire %t: 5s after the revalidation, fresh on %v", expire, fresh)
				}
				for _, r := range []*replica{b, a} {
					got, err := send("GET", r.base+"/articles/ssg", gz)
					if err != nil {
						t.Fatal(err)
					}
					switch {
					case strings.Contains(got.body, version):
						fresh[r.name] = true
					case fresh[r.name]:
						t.Fatalf("expire %t: %s served the old page after the new one (%s)", expire, r.name, got.header.Get("X-Cache"))
					}
				}
			}
			if got := renders() - before; got != 1 {
				t.Errorf("expire %t: the tag's page was rendered %v times across two replicas, want 1", expire, got)
			}
		}
	})

	t.Run("200 concurrent stale requests over both replicas regenerate once", func(t *testing.T) {
		writeArticle(t, site, "isr", "isr\nrevalidate: 2s", "Incremental version 3.")
		// The generation revalidated above is due on both replicas 2s after
		// it was rendered, which was before this point.
		time.Sleep(2100 * time.Millisecond)

		// Open the connections first, so that the 200 requests arrive
		// together rather than one handshake at a time.
		var warm sync.WaitGroup
		for i := range 128 {
			warm.Go(func() { send("GET", []*replica{a, b}[i%2].base+"/healthz") })
		}
		warm.Wait()

		before := isrRenders(t, a, b)
		const n = 200
		var wg sync.WaitGroup
		var mu sync.Mutex
		statuses := map[string]int{}
		ready := make(chan struct{})
		for i := range n {
			r := []*replica{a, b}[i%2]
			wg.Go(func() {
				<-ready
				resp, err := send("GET", r.base+"/articles/isr", gz)
				mu.Lock()
				defer mu.Unlock()
				if err != nil || resp.status != 200 {
					statuses[fmt.Sprint("error ", resp.status, err)]++
					return
				}
				statuses[r.name+" "+resp.header.Get("X-Cache")]++
			})
		}
		close(ready)
		wg.Wait()
		stale, hit := 0, 0
		for k, v := range statuses {
			switch {
			case strings.HasSuffix(k, " STALE"):
				stale += v
			case strings.HasSuffix(k, " HIT"):
				hit += v
			}
		}
		if stale+hit != n || stale == 0 {
			t.Errorf("%d requests after the interval: %v; want all 200, STALE until the new page arrives", n, statuses)
		}
		for _, r := range []*replica{a, b} {
			eventually(t, 5*time.Second, "version 3 on "+r.name, func() error {
				resp, err := send("GET", r.base+"/articles/isr", gz)
				if err != nil {
					return err
				}
				if !strings.Contains(resp.body, "Incremental version 3.") {
					return fmt.Errorf("%s: %s", resp.header.Get("X-Cache"), resp.header.Get("ETag"))
				}
				return nil
			})
		}
		if got := isrRenders(t, a, b) - before; got != 1 {
			t.Errorf("%d concurrent stale requests over two replicas: %v regenerations, want 1", n, got)
		}
		t.Logf("%d stale requests over two replicas: %v, one regeneration", n, statuses)
	})

	t.Run("with Redis gone both replicas keep answering", func(t *testing.T) {
		redis.kill()
		writeArticle(t, site, "isr", "isr\nrevalidate: 2s", "Incremental version 4.")
		deadline := time.Now().Add(2500 * time.Millisecond) // past one interval
		requests, slowest := 0, time.Duration(0)
		for time.Now().Before(deadline) || requests < 50 {
			for _, r := range []*replica{a, b} {
				for _, path := range []string{"/articles/isr", "/articles/ssg", "/articles/ssr", "/"} {
					start := time.Now()
					resp, err := send("GET", r.base+path, gz)
					slowest = max(slowest, time.Since(start))
					requests++
					if err != nil || resp.status != 200 {
						t.Fatalf("%s %s with Redis down: %v %v", r.name, path, resp.status, err)
					}
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		// Each replica regenerates on its own now.
		for _, r := range []*replica{a, b} {
			eventually(t, 5*time.Second, "version 4 on "+r.name+" without Redis", func() error {
				resp, err := send("GET", r.base+"/articles/isr", gz)
				if err != nil {
					return err
				}
				if !strings.Contains(resp.body, "Incremental version 4.") {
					return fmt.Errorf("%s: %s", resp.header.Get("X-Cache"), resp.header.Get("ETag"))
				}
				return nil
			})
		}
		resp := postJSON(t, a.base+"/api/revalidate", `{"path": "/articles/isr"}`, "Authorization: Bearer "+revalidateToken)
		var body struct{ Revalidated bool }
		if resp.status != 200 || json.Unmarshal([]byte(resp.body), &body) != nil || !body.Revalidated {
			t.Errorf("POST /api/revalidate with Redis down: %d %s, want 200", resp.status, resp.body)
		}
		for _, r := range []*replica{a, b} {
			if r.logs.count("shared store unreachable") == 0 {
				t.Errorf("%s did not log that the shared store is unreachable:\n%s", r.name, r.logs)
			}
		}
		t.Logf("%d requests with Redis down, all 200; slowest %s", requests, slowest.Round(time.Microsecond))
	})
}
