// Package cli owns the command line: flags and their RENDERWISE_*
// environment variables, the configuration, the logger, and the serve,
// build and check commands. It knows how to wire the packages together, not
// how any of them works.
package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/renderwise/renderwise/articles"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/seo"
	"github.com/renderwise/renderwise/internal/server"
)

const usage = `renderwise serves, exports and checks the Renderwise site.

Usage:
  renderwise [serve] [flags]   serve the site (the default command)
  renderwise build [flags]     export the site as static files (--out dist)
  renderwise check [flags]     validate the content; list every problem
  renderwise healthcheck       ask a running server's /healthz (for containers)
  renderwise <command> --help  flags of a command

Every flag can also be set with RENDERWISE_<FLAG>, e.g. RENDERWISE_ADDR=:9000.
Secrets come only from the environment: RENDERWISE_REVALIDATE_TOKEN enables
POST /api/revalidate; RENDERWISE_PREVIEW_TOKEN enables draft preview.
`

// ErrUsage marks errors in the command line; the message says what is wrong.
var ErrUsage = errors.New("usage")

// silentError is an error already reported to the user.
type silentError struct{ error }

// ExitCode maps Run's error to a process exit code.
func ExitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		return 2
	default:
		return 1
	}
}

// Run runs the command named by args. Errors are printed to stderr before
// they are returned.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := run(ctx, args, stdout, stderr)
	var silent silentError
	if err != nil && !errors.Is(err, flag.ErrHelp) && !errors.As(err, &silent) {
		fmt.Fprintf(stderr, "renderwise: %v\n", err)
	}
	return err
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if len(args) == 1 && cmd == "serve" && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, usage)
		fmt.Fprintln(stdout, "\nFlags of serve (renderwise serve --help):")
		_, err := parseServe(args, stdout)
		return err
	}
	switch cmd {
	case "serve":
		cfg, err := parseServe(args, stderr)
		if err != nil {
			return err
		}
		// Log lines are written off the request path (logWriter), and all
		// of them before serve returns.
		logs := newLogWriter(stderr)
		err = Serve(ctx, cfg, nil, logs)
		logs.Close()
		return err
	case "build":
		return build(ctx, args, stdout, stderr)
	case "check":
		return check(args, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", ErrUsage, cmd)
	}
}

// newFlagSet returns a flag set that prints its errors and usage to stderr.
func newFlagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: renderwise %s [flags]\n\n%s\n\nFlags (each also read from RENDERWISE_<FLAG>):\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, then fills every flag not given from its environment
// variable RENDERWISE_<NAME> (dashes become underscores).
func parse(fset *flag.FlagSet, args []string) error {
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, fset.Arg(0))
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fset.VisitAll(func(f *flag.Flag) {
		env := "RENDERWISE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && !set[f.Name] && err == nil {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%w: %s=%q: %v", ErrUsage, env, v, e)
			}
		}
	})
	return err
}

// contentFS returns the embedded articles, or the folder dir on disk.
func contentFS(dir string) (fs.FS, error) {
	if dir == "" {
		return articles.FS, nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: --content %s: %v", ErrUsage, dir, errors.Unwrap(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%w: --content %s: not a folder", ErrUsage, dir)
	}
	return newRootFS(dir), nil
}

// check validates the content and lists every problem. Unknown keys are
// warnings, as they are for serve and build, unless --strict makes them
// errors: content written elsewhere loads, and a site that wants to stay
// clean can say so in CI.
func check(args []string, stdout, stderr io.Writer) error {
	fset := newFlagSet("check", "Validate every article; print each problem as file:line: message.", stderr)
	dir := fset.String("content", "", "folder of Markdown articles (default: the embedded articles)")
	strict := fset.Bool("strict", false, "treat unknown keys in front matter and site.yaml as errors")
	if err := parse(fset, args); err != nil {
		return err
	}
	fsys, err := contentFS(*dir)
	if err != nil {
		return err
	}
	site, err := content.LoadWith(fsys, content.Options{Strict: *strict, ImageURL: page.ImageURL, Pages: server.Serves})
	var pe *content.ProblemsError
	if errors.As(err, &pe) {
		reportProblems(stderr, *dir, pe)
		return silentError{err}
	}
	if err != nil {
		return err
	}
	for _, w := range site.Warnings() {
		fmt.Fprintf(stderr, "%s%s\n", prefixOf(*dir), w)
	}
	fmt.Fprintf(stdout, "%d articles, no problems, %d %s\n", len(site.All()), len(site.Warnings()), plural(len(site.Warnings()), "warning", "warnings"))
	return nil
}

// prefixOf is what check puts before a content file name: the folder given.
func prefixOf(dir string) string {
	if dir == "" {
		return ""
	}
	return strings.TrimSuffix(dir, "/") + "/"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// newLogger returns the one logger of the process: text for people (dev),
// JSON for machines.

// defaultBaseURL is the base URL when neither --base-url nor site.yaml
// gives one: where serve listens by default.
const defaultBaseURL = "http://localhost:8080"

// baseURL is the base URL the site is served or built for: the command
// line's (flag or RENDERWISE_BASE_URL), else site.yaml's, else the default.
func baseURL(flag string, site *content.Site) string {
	return cmp.Or(flag, site.Settings().BaseURL, defaultBaseURL)
}

func validBaseURL(u string) error {
	if err := seo.ValidBaseURL(u); err != nil {
		return fmt.Errorf("%w: --base-url: %v", ErrUsage, err)
	}
	return nil
}

// healthcheck asks a running server whether it is alive: the container
// image has no curl, so its HEALTHCHECK runs the binary itself. It reads
// the same --addr (RENDERWISE_ADDR) as serve, so a container moved to
// another port with RENDERWISE_ADDR is checked on that port.
func healthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlagSet("healthcheck", "Exit 0 if the server answers 200 on /healthz.", stderr)
	addr := fset.String("addr", ":8080", "the address the server listens on (as serve --addr); /healthz is asked there")
	url := fset.String("url", "", "URL to ask instead (default: http://<addr>/healthz, on 127.0.0.1 for an address of every interface)")
	if err := parse(fset, args); err != nil {
		return err
	}
	if *url == "" {
		u, err := healthURL(*addr)
		if err != nil {
			return err
		}
		*url = u
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("%w: --url: %v", ErrUsage, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", *url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// healthURL returns the /healthz URL of a server listening on addr. An
// address of every interface (":9000", "0.0.0.0:9000", "[::]:9000") is
// asked on 127.0.0.1, which such a listener also accepts.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", fmt.Errorf("%w: --addr %q is not host:port or :port", ErrUsage, addr)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
