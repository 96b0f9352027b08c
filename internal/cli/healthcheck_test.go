package cli

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr, want string
	}{
		{":8080", "http://127.0.0.1:8080/healthz"},
		{":9000", "http://127.0.0.1:9000/healthz"},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/healthz"},
		{"[::]:9000", "http://127.0.0.1:9000/healthz"},
		{"127.0.0.1:7000", "http://127.0.0.1:7000/healthz"},
		{"[::1]:7000", "http://[::1]:7000/healthz"},
		{"localhost:7000", "http://localhost:7000/healthz"},
	}
	for _, tt := range tests {
		got, err := healthURL(tt.addr)
		if err != nil || got != tt.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", tt.addr, got, err, tt.want)
		}
	}
	for _, bad := range []string{"9000", "", "host:"} {
		if got, err := healthURL(bad); err == nil {
			t.Errorf("healthURL(%q) = %q, want an error", bad, got)
		}
	}
}

// TestHealthcheckFollowsAddr checks what the container's HEALTHCHECK relies
// on: with no --url, healthcheck asks the port serve listens on, taken from
// RENDERWISE_ADDR like serve takes it.
func TestHealthcheckFollowsAddr(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok\n"))
	}))
	defer healthy.Close()
	_, port, _ := net.SplitHostPort(healthy.Listener.Addr().String())

	// A port nothing listens on: listen, note it, close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closedPort, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()

	tests := []struct {
		name string
		args []string
		env  map[string]string
		exit int
		msg  string // in stderr
	}{
		{"the port of RENDERWISE_ADDR is asked", []string{"healthcheck"}, map[string]string{"RENDERWISE_ADDR": ":" + port}, 0, ""},
		{"--addr is asked like serve's", []string{"healthcheck", "--addr", "127.0.0.1:" + port}, nil, 0, ""},
		{"a server that is not there fails", []string{"healthcheck"}, map[string]string{"RENDERWISE_ADDR": ":" + closedPort}, 1, "connection refused"},
		{"--url wins over RENDERWISE_ADDR", []string{"healthcheck", "--url", healthy.URL + "/healthz"}, map[string]string{"RENDERWISE_ADDR": ":" + closedPort}, 0, ""},
		{"a status other than 200 fails", []string{"healthcheck", "--url", healthy.URL + "/readyz"}, nil, 1, "answered 404"},
		{"a bad address is a usage error", []string{"healthcheck"}, map[string]string{"RENDERWISE_ADDR": "9000"}, 2, `--addr "9000"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), tt.args, &stdout, &stderr)
			if got := ExitCode(err); got != tt.exit {
				t.Fatalf("renderwise %v (env %v): exit %d, want %d (stderr %q)", tt.args, tt.env, got, tt.exit, stderr.String())
			}
			if tt.exit == 0 && stdout.String() != "ok\n" {
				t.Errorf("renderwise %v: stdout %q, want %q", tt.args, stdout.String(), "ok\n")
			}
			if !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("renderwise %v: stderr %q, want it to mention %q", tt.args, stderr.String(), tt.msg)
			}
		})
	}
}
