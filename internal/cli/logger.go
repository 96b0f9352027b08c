package cli

import (
	"io"
	"log/slog"
	"math"
)

// newLogger is the one logger of the program: text for a person at a
// terminal (--dev, or --log-format text), JSON for a log pipeline. In JSON a
// duration is a number of milliseconds under the key with "_ms" added
// ("duration_ms": 1.234), which a dashboard can sum and compare, instead of
// slog's integer nanoseconds.
func newLogger(w io.Writer, format string, dev bool) *slog.Logger {
	level := slog.LevelInfo
	if dev {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "text" || (format == "" && dev) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	opts.ReplaceAttr = millisecondsAttr
	return slog.New(slog.NewJSONHandler(w, opts))
}

// millisecondsAttr turns a duration attribute into milliseconds.
func millisecondsAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindDuration {
		return a
	}
	ms := float64(a.Value.Duration().Nanoseconds()) / 1e6
	return slog.Float64(a.Key+"_ms", math.Round(ms*1000)/1000)
}
