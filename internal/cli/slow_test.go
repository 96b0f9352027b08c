package cli

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSlowAndOversizedClients runs the real server: a crowd of slowloris
// connections that send their headers a byte at a time does not stop it from
// answering others, and they are dropped at the header timeout; oversized
// headers get 431; goroutines return to where they were.
func TestSlowAndOversizedClients(t *testing.T) {
	t.Parallel()
	a, err := newApp(ServeConfig{BaseURL: "http://127.0.0.1", Drain: time.Second, readHeaderTimeout: 500 * time.Millisecond}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(running(t, a), "http://")
	client := &http.Client{Timeout: 5 * time.Second}
	get := func() (int, error) {
		resp, err := client.Get("http://" + addr + "/articles/rendering/ssg")
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if _, err := get(); err != nil {
		t.Fatal(err)
	}
	baseline := runtime.NumGoroutine()

	const slow = 200
	closed := make(chan time.Duration, slow)
	for range slow {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			defer conn.Close()
			start := time.Now()
			fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: x\r\n")
			for {
				if _, err := conn.Write([]byte("X")); err != nil {
					break
				}
				conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
				if _, err := conn.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
					break // the server closed the connection
				}
			}
			closed <- time.Since(start)
		}()
	}
	for range 20 {
		if code, err := get(); err != nil || code != 200 {
			t.Fatalf("while slow clients hold %d connections: %d %v", slow, code, err)
		}
	}
	for range slow {
		if d := <-closed; d > 3*time.Second {
			t.Errorf("a slow client was dropped after %s, want about the 500ms header timeout", d)
		}
	}

	// Headers over the limit.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 128<<10))
	status, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.Contains(status, "431") {
		t.Errorf("128 KB of headers: %q, want 431", status)
	}
	if code, err := get(); err != nil || code != 200 {
		t.Errorf("after the hostile clients: %d %v", code, err)
	}
	// Goroutines go back to where they were (allow the client's own).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline+5 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > baseline+5 {
		t.Errorf("goroutines: %d after the slow clients left, %d before", n, baseline)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestSlowBody: a POST whose body does not arrive before the read timeout
// gets 408, not an empty 200.
func TestSlowBody(t *testing.T) {
	t.Parallel()
	a, err := newApp(ServeConfig{BaseURL: "http://127.0.0.1", Drain: time.Second, RevalidateToken: "tok", readTimeout: 300 * time.Millisecond}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(running(t, a), "http://")
	for target, start := range map[string]string{"/api/theme": "theme=da", "/api/revalidate": `{"path": "/art`} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: Bearer tok\r\nContent-Length: 40\r\n\r\n%s", target, start)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil || resp.StatusCode != http.StatusRequestTimeout {
			t.Errorf("POST %s with a body that stops: %v %v, want 408", target, resp, err)
		}
	}
}
