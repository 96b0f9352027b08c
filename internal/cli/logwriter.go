package cli

import (
	"io"
	"sync"
	"time"
)

// logWriter takes the log lines of a serving process off the request path:
// a line is copied into memory and one goroutine writes what has gathered
// at least every logFlush, or as soon as logBatch bytes wait. A request
// never waits for the disk, except when logLimit bytes are already waiting
// (the disk or pipe is slower than the traffic): then it waits for the
// writer, so a line is never dropped. Close writes what is left.
//
// Measured with scripts/loadtest.sh (docs/performance.md, "Access log"):
// one write(2) per request held an SSG hit at 0.51× of the bare baseline;
// with --quiet-access it was 0.75×.
type logWriter struct {
	w    io.Writer
	mu   sync.Mutex
	cond *sync.Cond // signals the writer (more to write, or closing) and the waiting
	buf  []byte     // lines not yet handed to the writer
	done bool
	quit chan struct{} // closed when the writer has written everything
	err  error         // the first write error; later lines are dropped after it
}

const (
	logFlush = 100 * time.Millisecond
	logBatch = 64 << 10
	logLimit = 4 << 20
)

func newLogWriter(w io.Writer) *logWriter {
	lw := &logWriter{w: w, quit: make(chan struct{})}
	lw.cond = sync.NewCond(&lw.mu)
	go lw.run()
	go lw.tick()
	return lw
}

// Write copies p; it blocks only while logLimit bytes are waiting.
func (lw *logWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	for len(lw.buf) >= logLimit && lw.err == nil && !lw.done {
		lw.cond.Broadcast()
		lw.cond.Wait()
	}
	if lw.err != nil {
		return 0, lw.err
	}
	if lw.done {
		return 0, io.ErrClosedPipe
	}
	lw.buf = append(lw.buf, p...)
	if len(lw.buf) >= logBatch {
		lw.cond.Broadcast()
	}
	return len(p), nil
}

// tick wakes the writer every logFlush, so a quiet server's lines are
// written soon after they are logged.
func (lw *logWriter) tick() {
	t := time.NewTicker(logFlush)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			lw.mu.Lock()
			lw.cond.Broadcast()
			lw.mu.Unlock()
		case <-lw.quit:
			return
		}
	}
}

func (lw *logWriter) run() {
	defer close(lw.quit)
	var spare []byte
	lw.mu.Lock()
	for {
		for len(lw.buf) == 0 && !lw.done {
			lw.cond.Wait()
		}
		if len(lw.buf) == 0 && lw.done {
			lw.mu.Unlock()
			return
		}
		batch := lw.buf
		lw.buf, spare = spare[:0], nil
		lw.mu.Unlock()
		_, err := lw.w.Write(batch)
		lw.mu.Lock()
		if err != nil && lw.err == nil {
			lw.err = err
		}
		spare = batch
		lw.cond.Broadcast() // writers waiting for room
		if lw.err != nil {
			lw.buf = nil
			for !lw.done {
				lw.cond.Wait()
			}
			lw.mu.Unlock()
			return
		}
		if !lw.done {
			// Gather for a moment: the tick or a full batch wakes us.
			lw.cond.Wait()
		}
	}
}

// Close writes every line still waiting and stops the writer. It returns
// the first error writing met.
func (lw *logWriter) Close() error {
	lw.mu.Lock()
	lw.done = true
	lw.cond.Broadcast()
	lw.mu.Unlock()
	<-lw.quit
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.err
}
