// Command drainload checks that a server drains without failing a request
// when it is stopped under keep-alive load. scripts/container-test.sh runs
// it against the container and stops the container with `docker stop`:
//
//	go run ./scripts/drainload -url http://172.17.0.2:8080/ -before 3s -- docker stop rw-ci
//
// It keeps -conns HTTP/1.1 connections busy with GET requests for -before,
// runs the command after "--" while the load goes on, and ends when every
// connection has found the server gone. It speaks HTTP over plain
// connections instead of net/http's client, which silently retries a GET
// the server dropped unanswered: here each request sent counts.
//
// A request fails when it is sent and gets no complete 200 answer. A dial
// refused after the stop began is not a failure (no request was sent: the
// listener is closed); before it, it is. An answer with Connection: close
// is fine: the worker dials again. Exit status 1 if any request failed.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type counts struct {
	answered, afterStop, closeAnswers atomic.Int64
	unanswered, broken, badStatus     atomic.Int64
	refusedBefore, goneAfter          atomic.Int64
}

func main() {
	target := flag.String("url", "", "URL to GET, e.g. http://172.17.0.2:8080/")
	conns := flag.Int("conns", 16, "keep-alive connections")
	before := flag.Duration("before", 3*time.Second, "load before the stop command runs")
	limit := flag.Duration("max", 30*time.Second, "give up after this long in all")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Scheme != "http" || u.Host == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: drainload -url http://host:port/path [-conns N] [-before D] -- stop command...")
		os.Exit(2)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	ctx, cancel := context.WithTimeout(context.Background(), *limit)
	defer cancel()

	var c counts
	var stopping atomic.Bool
	var (
		mu     sync.Mutex
		sample = map[string]int{} // failure kinds with their counts, for the report
	)
	note := func(kind string, err error) {
		mu.Lock()
		defer mu.Unlock()
		msg := kind
		if err != nil {
			msg += ": " + err.Error()
		}
		sample[msg]++
	}
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: renderwise-drainload\r\nAccept-Encoding: gzip\r\n\r\n", u.RequestURI(), u.Host)

	var wg sync.WaitGroup
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker(ctx, u.Host, req, &c, &stopping, note)
		}()
	}

	select {
	case <-time.After(*before):
	case <-ctx.Done():
	}
	stopping.Store(true)
	start := time.Now()
	cmd := exec.CommandContext(ctx, flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmdErr := cmd.Run()
	took := time.Since(start)
	wg.Wait()

	failed := c.unanswered.Load() + c.broken.Load() + c.badStatus.Load() + c.refusedBefore.Load()
	fmt.Printf("drainload: %d answered (%d after the stop began, %d with Connection: close); failed: %d unanswered, %d broken answers, %d not 200, %d refused before the stop; %d dials found the server gone after it; stop command took %.2fs\n",
		c.answered.Load(), c.afterStop.Load(), c.closeAnswers.Load(),
		c.unanswered.Load(), c.broken.Load(), c.badStatus.Load(), c.refusedBefore.Load(), c.goneAfter.Load(), took.Seconds())
	kinds := make([]string, 0, len(sample))
	for k := range sample {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Printf("drainload:   %d × %s\n", sample[k], k)
	}
	switch {
	case cmdErr != nil:
		fmt.Printf("drainload: stop command: %v\n", cmdErr)
		os.Exit(1)
	case ctx.Err() != nil:
		fmt.Printf("drainload: still running after %s\n", *limit)
		os.Exit(1)
	case c.answered.Load() == 0 || failed > 0:
		os.Exit(1)
	}
}

// worker sends requests one after another over a kept-alive connection,
// dialling again after a Connection: close answer, until a dial after the
// stop began finds the server gone.
func worker(ctx context.Context, host, req string, c *counts, stopping *atomic.Bool, note func(string, error)) {
	var conn net.Conn
	var br *bufio.Reader
	var read countingReader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for ctx.Err() == nil {
		if conn == nil {
			d := net.Dialer{Timeout: time.Second}
			var err error
			conn, err = d.DialContext(ctx, "tcp", host)
			if err != nil {
				conn = nil
				if stopping.Load() {
					c.goneAfter.Add(1)
					return
				}
				c.refusedBefore.Add(1)
				note("dial before the stop", err)
				time.Sleep(50 * time.Millisecond)
				continue
			}
			read.r = conn
			br = bufio.NewReader(&read)
		}
		stoppingAtSend := stopping.Load()
		read.n = int64(br.Buffered())
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.WriteString(conn, req); err != nil {
			c.unanswered.Add(1)
			note("unanswered (write)", err)
			conn.Close()
			conn = nil
			continue
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			if read.n == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err)) {
				c.unanswered.Add(1)
				note("unanswered (the server closed the connection)", err)
			} else {
				c.broken.Add(1)
				note("broken answer", err)
			}
			conn.Close()
			conn = nil
			continue
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch {
		case err != nil:
			c.broken.Add(1)
			note("broken body", err)
		case resp.StatusCode != http.StatusOK:
			c.badStatus.Add(1)
			note("status "+resp.Status, nil)
		default:
			c.answered.Add(1)
			if stoppingAtSend || stopping.Load() {
				c.afterStop.Add(1)
			}
		}
		if err != nil || resp.Close {
			if resp.Close {
				c.closeAnswers.Add(1)
			}
			conn.Close()
			conn = nil
		}
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// countingReader counts the bytes read since n was last reset, to tell a
// request the server dropped unanswered from an answer broken off.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
