// The Varnish and Redis tests run the deployments of docs/deploy.md for
// real: the renderwise binary as several replicas on 127.0.0.1, behind Varnish with
// deploy/varnish/default.vcl (varnish_test.go) and sharing one Redis
// (redis_test.go). Varnish and Redis are Debian packages; without them the
// tests skip, except in CI (CI set), where a missing one is a failure.
//
// Every process a test starts is stopped by its PID when the test ends. The
// tests wait on real clocks (Varnish cannot take a fake one) for a few
// seconds at most, and every wait has a deadline.

package deploy_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

const (
	revalidateToken = "test-revalidate-token"
	previewToken    = "test-preview-token"
)

var binaryBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "renderwise-deploy-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binaryBuild.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary builds cmd/renderwise once for the package and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	binaryBuild.once.Do(func() {
		binaryBuild.path = filepath.Join(binaryBuild.dir, "renderwise")
		out, err := exec.Command("go", "build", "-o", binaryBuild.path, "github.com/renderwise/renderwise/cmd/renderwise").CombinedOutput()
		if err != nil {
			binaryBuild.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryBuild.err != nil {
		t.Fatal(binaryBuild.err)
	}
	return binaryBuild.path
}

// requireCommand returns the path of a program the test needs. Without it
// the test fails in CI and is skipped elsewhere.
func requireCommand(t *testing.T, name, debianPackage string) string {
	t.Helper()
	// Daemons live in sbin, which is not on every user's PATH.
	for _, p := range []string{name, "/usr/sbin/" + name, "/usr/local/sbin/" + name} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; CI needs it: apt-get install -y %s", name, debianPackage)
	}
	t.Skipf("%s is not installed (apt-get install -y %s); skipping", name, debianPackage)
	return ""
}

// writeSite writes the test site: one article in each mode and a draft.
func writeSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeArticle(t, dir, "ssg", "ssg", "Static version 1.")
	writeArticle(t, dir, "isr", "isr\nrevalidate: 2s", "Incremental version 1.")
	writeArticle(t, dir, "ssr", "ssr", "Server version 1.")
	writeArticle(t, dir, "draft", "ssg\ndraft: true", "Draft version 1.")
	return dir
}

// writeArticle writes dir/name.md in the given mode (and any further front
// matter lines), with body as its text.
func writeArticle(t *testing.T, dir, name, render, body string) {
	t.Helper()
	md := "---\ntitle: The " + name + " page\ndescription: A test page.\ndate: 2026-11-01\nrender: " + render + "\n---\n\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, name+".md"), []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
}

func localPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// logBuffer collects a process's output for waiting on lines and for
// failure messages.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// count reports how many lines contain s.
func (l *logBuffer) count(s string) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			n++
		}
	}
	return n
}

// process is a program a test started; stop ends it by its PID.
type process struct {
	name string
	cmd  *exec.Cmd
	logs *logBuffer
	done chan struct{} // closed when it has exited
}

func startProcess(t *testing.T, name string, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{name: name, cmd: cmd, logs: &logBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.stop)
	return p
}

// stop asks the process to end (SIGTERM) and kills it if it has not within
// five seconds.
func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// kill ends the process at once (SIGKILL), as a crash would.
func (p *process) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitLog waits until the process has logged a line containing s.
func (p *process) waitLog(t *testing.T, s string) {
	t.Helper()
	eventually(t, 20*time.Second, "log line "+strconv.Quote(s)+" from "+p.name, func() error {
		if p.exited() {
			t.Fatalf("%s exited:\n%s", p.name, p.logs)
		}
		if p.logs.count(s) == 0 {
			return errors.New("not yet")
		}
		return nil
	})
}

// replica is one renderwise serve process.
type replica struct {
	*process
	port int
	base string // http://127.0.0.1:port
}

// startReplica runs renderwise serve over content on a free port and waits
// until it is ready. env adds RENDERWISE_* variables; any the test runner
// has are dropped, so the replica sees only what the test gives it.
func startReplica(t *testing.T, name, content string, env []string, args ...string) *replica {
	t.Helper()
	port := localPort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", addr, "--content", content,
		"--base-url", "http://renderwise.test", "--log-format", "text", "--drain", "2s"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RENDERWISE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// Each replica renders its own pages, as on separate machines: no
	// cache folder (on by default for --content, and shared by replicas
	// of one site on one machine).
	cmd.Env = append(cmd.Env, "RENDERWISE_REVALIDATE_TOKEN="+revalidateToken, "RENDERWISE_PREVIEW_TOKEN="+previewToken, "RENDERWISE_CACHE_DIR=none")
	cmd.Env = append(cmd.Env, env...)
	r := &replica{process: startProcess(t, name, cmd), port: port, base: "http://" + addr}
	eventually(t, 20*time.Second, name+" ready", func() error {
		if r.exited() {
			t.Fatalf("%s exited:\n%s", name, r.logs)
		}
		resp, err := testClient.Get(r.base + "/readyz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	})
	return r
}

// metric sums the samples of a metric on /metrics whose labels include
// every label given as `name="value"`.
func (r *replica) metric(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	resp, err := testClient.Get(r.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
lines:
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		series, value, ok := cutLast(line, " ")
		if !ok {
			continue
		}
		for _, l := range labels {
			if !strings.Contains(series, l) {
				continue lines
			}
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		sum += v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sum
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// isrRenders is the number of ISR renders across replicas.
func isrRenders(t *testing.T, replicas ...*replica) float64 {
	t.Helper()
	n := 0.0
	for _, r := range replicas {
		n += r.metric(t, "renderwise_renders_total", `mode="isr"`)
	}
	return n
}

// testClient talks to replicas and Varnish: no automatic gzip (tests choose
// Accept-Encoding), no redirects followed, bounded in time.
var testClient = &http.Client{
	Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
	Timeout: 10 * time.Second,
}

// reply is what the tests look at in an answer; body is decoded.
type reply struct {
	status int
	header http.Header
	body   string
}

// fetch requests url with the given headers ("Name: value").
func fetch(t *testing.T, method, url string, headers ...string) reply {
	t.Helper()
	r, err := send(method, url, headers...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func send(method, url string, headers ...string) (reply, error) {
	req, err := http.NewRequestWithContext(context.Background(), method, url, nil)
	if err != nil {
		return reply{}, err
	}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ": ")
		if name == "Host" {
			req.Host = value
			continue
		}
		req.Header.Set(name, value)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	// Bodies are decoded, so that tests can look for text whatever the
	// encoding; the header still says which it was.
	var rd io.Reader = resp.Body
	switch resp.Header.Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return reply{}, fmt.Errorf("%s %s: %w", method, url, err)
		}
		rd = zr
	case "br":
		rd = brotli.NewReader(resp.Body)
	}
	body, err := io.ReadAll(rd)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(body)}, nil
}

// eventually calls f until it returns nil, every 20ms, for at most d.
func eventually(t *testing.T, d time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %v", what, d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
