package cli

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowWriter records what it is given and can be held, like a full pipe.
type slowWriter struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
	hold   chan struct{} // while open and not closed, Write waits
}

func (s *slowWriter) Write(p []byte) (int, error) {
	if s.hold != nil {
		<-s.hold
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *slowWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogWriterKeepsEveryLineInOrder: lines from many goroutines all arrive,
// each whole, in fewer writes than lines, and Close writes the rest.
func TestLogWriterKeepsEveryLineInOrder(t *testing.T) {
	t.Parallel()
	sw := &slowWriter{}
	lw := newLogWriter(sw)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				fmt.Fprintf(lw, "g%d line %d %s\n", g, i, strings.Repeat("x", 40))
			}
		})
	}
	wg.Wait()
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(sw.String(), "\n"), "\n")
	if len(lines) != 16000 {
		t.Fatalf("%d lines written, want 16000", len(lines))
	}
	next := map[string]int{}
	for _, l := range lines {
		var g, i int
		if _, err := fmt.Sscanf(l, "g%d line %d", &g, &i); err != nil || !strings.HasSuffix(l, strings.Repeat("x", 40)) {
			t.Fatalf("torn line %q", l)
		}
		key := fmt.Sprint(g)
		if i != next[key] {
			t.Fatalf("goroutine %d: line %d after %d", g, i, next[key]-1)
		}
		next[key]++
	}
	if sw.writes >= len(lines)/10 {
		t.Errorf("%d writes for %d lines: not batched", sw.writes, len(lines))
	}
	if _, err := lw.Write([]byte("late\n")); err == nil {
		t.Error("a write after Close succeeded")
	}
}

// TestLogWriterWritesSoon: a lone line reaches the file within a few
// flush intervals, without Close.
func TestLogWriterWritesSoon(t *testing.T) {
	t.Parallel()
	sw := &slowWriter{}
	lw := newLogWriter(sw)
	defer lw.Close()
	lw.Write([]byte("one\n"))
	deadline := time.Now().Add(20 * logFlush)
	for sw.String() != "one\n" {
		if time.Now().After(deadline) {
			t.Fatalf("after %v the file holds %q", 20*logFlush, sw.String())
		}
		time.Sleep(logFlush / 10)
	}
}

// TestLogWriterWaitsWhenFull: with the file stuck, lines gather up to
// logLimit and the next one waits (it is not dropped) until the file moves.
func TestLogWriterWaitsWhenFull(t *testing.T) {
	t.Parallel()
	sw := &slowWriter{hold: make(chan struct{})}
	lw := newLogWriter(sw)
	line := []byte(strings.Repeat("y", 1023) + "\n")
	done := make(chan int)
	go func() {
		n := 0
		for range 2*logLimit/len(line) + 10 {
			lw.Write(line)
			n++
		}
		done <- n
	}()
	select {
	case n := <-done:
		t.Fatalf("all %d lines were taken while the file was stuck", n)
	case <-time.After(300 * time.Millisecond):
	}
	close(sw.hold)
	n := <-done
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(sw.String(), "\n"); got != n {
		t.Errorf("%d lines written, %d logged", got, n)
	}
}

// TestLogWriterStopsAtAnError: once the file fails, writes report it.
func TestLogWriterStopsAtAnError(t *testing.T) {
	t.Parallel()
	lw := newLogWriter(failing{})
	lw.Write([]byte("a\n"))
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, err := lw.Write([]byte("b\n")); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("writes still succeed after the file failed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := lw.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close = %v, want the write error", err)
	}
}

var errDiskFull = errors.New("disk full")

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errDiskFull }
