package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestLogDurations: JSON logs carry durations as milliseconds under
// "<key>_ms"; text logs keep Go's human form.
func TestLogDurations(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	newLogger(&b, "json", false).Info("request", "duration", 1234567*time.Nanosecond, "path", "/x")
	var line map[string]any
	if err := json.Unmarshal(b.Bytes(), &line); err != nil {
		t.Fatalf("not JSON: %q", b.String())
	}
	if got, ok := line["duration_ms"].(float64); !ok || got != 1.235 {
		t.Errorf("JSON line %q: duration_ms = %v, want 1.235", b.String(), line["duration_ms"])
	}
	if _, ok := line["duration"]; ok {
		t.Errorf("JSON line %q still has duration in nanoseconds", b.String())
	}
	b.Reset()
	newLogger(&b, "text", false).Info("request", "duration", 1234567*time.Nanosecond)
	if !strings.Contains(b.String(), "duration=1.234567ms") {
		t.Errorf("text line %q, want duration=1.234567ms", b.String())
	}
}
