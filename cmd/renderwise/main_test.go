package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestGracefulShutdown builds the binary, puts it under load, sends SIGTERM
// and checks that every request the server accepted was answered in full,
// that /readyz turned 503 first, and that the process exits 0.
func TestGracefulShutdown(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "renderwise")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	cmd := exec.Command(bin, "serve", "--addr", addr, "--base-url", "http://"+addr, "--shutdown-delay", "300ms", "--drain", "5s", "--log-format", "text")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	logs := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			select {
			case logs <- sc.Text():
			default:
			}
		}
		close(logs)
	}()
	waitFor := func(what string) {
		timeout := time.After(20 * time.Second)
		for {
			select {
			case line, ok := <-logs:
				if !ok {
					t.Fatalf("the server exited before %q", what)
				}
				if strings.Contains(line, what) {
					return
				}
			case <-timeout:
				t.Fatalf("no %q in the log", what)
			}
		}
	}
	waitFor("pages rendered")

	base := "http://" + addr
	// Each worker keeps one connection alive, as a browser or a load
	// generator does, and opens a new one only when an answer says
	// Connection: close. A request written on an open connection that gets
	// no full answer is a failure; a connection refused after the listener
	// closed is not (that request was never accepted). Go's http.Client
	// would hide the difference by retrying on a new connection.
	var ok, failed, refused atomic.Int64
	var firstFailure atomic.Value
	stop := make(chan struct{})
	loaded := make(chan struct{}) // closed once the server has answered 500 requests
	var wg sync.WaitGroup
	paths := []string{"/", "/articles/rendering/ssg", "/articles/rendering/ssr", "/articles/rendering/isr", "/search?q=render"}
	for i := range 16 {
		wg.Go(func() {
			var conn net.Conn
			var br *bufio.Reader
			defer func() {
				if conn != nil {
					conn.Close()
				}
			}()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if conn == nil {
					c, err := net.Dial("tcp", addr)
					if err != nil {
						refused.Add(1)
						time.Sleep(time.Millisecond)
						continue
					}
					conn, br = c, bufio.NewReader(c)
				}
				p := paths[(i+n)%len(paths)]
				fail := func(err error) {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s: %v", p, err))
					conn.Close()
					conn = nil
				}
				if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: gzip\r\n\r\n", p, addr); err != nil {
					fail(err)
					continue
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					fail(err)
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					fail(fmt.Errorf("%d %v", resp.StatusCode, err))
					continue
				}
				if resp.Close {
					conn.Close()
					conn = nil
				}
				if ok.Add(1) == 500 {
					close(loaded)
				}
			}
		})
	}
	<-loaded
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// During the shutdown delay the server still answers, but not ready.
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Get(base + "/readyz")
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz right after SIGTERM: %v %v, want 503", resp, err)
	}
	if resp != nil {
		resp.Body.Close()
	}
	err = cmd.Wait()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Errorf("the server exited with %v, want 0", err)
	}
	if failed.Load() != 0 {
		t.Errorf("%d accepted requests failed (first: %v), %d answered", failed.Load(), firstFailure.Load(), ok.Load())
	}
	t.Logf("%d requests answered, %d refused after the listener closed", ok.Load(), refused.Load())
}
