//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/renderwise/renderwise/internal/cli"
)

// The server and the browser are shared by every test: one server started
// in-process the way `renderwise serve` starts, and one Chromium, in which
// each test opens its own tab in its own browser context (fresh cookies).
var (
	baseURL    string          // http://127.0.0.1:PORT, also the server's --base-url
	browserCtx context.Context // a chromedp context that owns the browser
	browserErr error           // why Chromium could not start, if it could not
	serverLog  lockedBuffer    // the server's JSON log, printed when a test fails
	repoRoot   string          // the repository, for .ci/node_modules
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	_, file, _, _ := runtime.Caller(0)
	repoRoot = filepath.Dir(filepath.Dir(file))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Listen first, so the base URL names the port the site is served on:
	// canonical links and the sitemap then point at this server.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: listen:", err)
		return 1
	}
	baseURL = "http://" + ln.Addr().String()
	served := make(chan error, 1)
	go func() {
		cfg := cli.ServeConfig{Addr: ln.Addr().String(), BaseURL: baseURL, LogFormat: "json", Drain: 2 * time.Second}
		served <- cli.Serve(ctx, cfg, ln, &serverLog)
	}()
	if err := waitReady(served); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: server:", err)
		fmt.Fprintln(os.Stderr, serverLog.String())
		return 1
	}

	stop := startBrowser(ctx)
	code := m.Run()
	stop()

	cancel()
	if err := <-served; err != nil {
		fmt.Fprintln(os.Stderr, "e2e: serve returned:", err)
		code = 1
	}
	if code != 0 {
		// The server's side of a failure: its warnings, errors and 4xx/5xx
		// answers (the last 40).
		var notable []string
		for _, l := range strings.Split(serverLog.String(), "\n") {
			if l != "" && !strings.Contains(l, `"level":"INFO"`) || strings.Contains(l, `"status":4`) || strings.Contains(l, `"status":5`) {
				notable = append(notable, l)
			}
		}
		fmt.Fprintf(os.Stderr, "--- server log: %d warnings, errors and 4xx/5xx answers\n", len(notable))
		fmt.Fprintln(os.Stderr, strings.Join(notable[max(0, len(notable)-40):], "\n"))
	}
	return code
}

// waitReady polls /readyz until every SSG page is rendered.
func waitReady(served <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-served:
			return fmt.Errorf("stopped before it was ready: %v", err)
		default:
		}
		resp, err := http.Get(baseURL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("/readyz did not answer 200 within 60s")
}

// chromiumPath is Debian's Chromium unless RENDERWISE_CHROMIUM names another.
func chromiumPath() string {
	if p := os.Getenv("RENDERWISE_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// startBrowser starts headless Chromium with a fresh profile and returns a
// function that stops it. A failure is kept in browserErr: each test then
// fails in CI and skips elsewhere (see needBrowser).
func startBrowser(ctx context.Context) (stop func()) {
	path := chromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		browserErr = fmt.Errorf("no Chromium at %s (apt-get install chromium, or set RENDERWISE_CHROMIUM): %v", path, err)
		return func() {}
	}
	profile, err := os.MkdirTemp("", "renderwise-chromium-")
	if err != nil {
		browserErr = err
		return func() {}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop = func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	// The first Do starts the browser; it must not carry a timeout, or the
	// browser would die with it, so a watchdog bounds it instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err = <-started:
	case <-time.After(60 * time.Second):
		err = errors.New("Chromium did not start within 60s")
	}
	if err != nil {
		browserErr = fmt.Errorf("start %s: %w", path, err)
		stop()
		return func() {}
	}
	browserCtx = bctx
	return stop
}

// needBrowser stops a test that cannot have a browser: a failure in CI,
// where the browser checks are required, and a skip with the reason
// elsewhere.
func needBrowser(t *testing.T) {
	t.Helper()
	if browserErr == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("browser tests are required in CI: %v", browserErr)
	}
	t.Skipf("skipping browser test: %v", browserErr)
}

// needTool returns the path of a file from the CI tooling (npm ci --prefix
// .ci), failing in CI and skipping elsewhere when it is missing.
func needTool(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(repoRoot, ".ci", "node_modules", rel)
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("%s is missing; run `npm ci --prefix .ci` (%v)", p, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

var (
	shotOnce sync.Once
	shotDir  string
	shotErr  error
)

// screenshotDir is RENDERWISE_SCREENSHOTS, or a temporary folder that stays
// after the tests so the pictures can be looked at; the test logs its path.
func screenshotDir(t *testing.T) string {
	t.Helper()
	shotOnce.Do(func() {
		shotDir = os.Getenv("RENDERWISE_SCREENSHOTS")
		if shotDir == "" {
			shotDir, shotErr = os.MkdirTemp("", "renderwise-screenshots-")
			return
		}
		shotErr = os.MkdirAll(shotDir, 0o755)
	})
	if shotErr != nil {
		t.Fatalf("screenshot folder: %v", shotErr)
	}
	return shotDir
}

// lockedBuffer is a bytes.Buffer safe for the server's logger and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
