package export

import (
	"fmt"
	"maps"
	"slices"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// inputs are what every output of an export depends on, whatever its route.
// The manifest records each apart, rather than only their hash, so that
// when they differ from the last export's — and nothing of it can be reused
// — a build or a server reading it can say which one changed.
type inputs struct {
	Code     string // Config.Version: the rendering code
	BaseURL  string
	Settings string // page.SettingsDigest: what site.yaml says
	Assets   string // a hash of the fingerprinted names of the assets
}

// inputsOf returns the inputs of a build of site with cfg and set.
func inputsOf(cfg Config, site *content.Site, set *assets.Set) inputs {
	h := newHasher("assets")
	h.strs(slices.Sorted(maps.Keys(set.All()))) // a name holds a hash of the bytes
	return inputs{Code: cfg.Version, BaseURL: cfg.BaseURL, Settings: page.SettingsDigest(site), Assets: h.sum()}
}

// key is the part of every output's key that the inputs make.
func (in inputs) key() string {
	h := newHasher("global")
	h.str(in.Code)
	h.str(in.BaseURL)
	h.str(in.Settings)
	h.str(in.Assets)
	return h.sum()
}

// changes says, a phrase each, what differs in in from old, the inputs of an
// earlier export; nil when nothing does.
func (in inputs) changes(old inputs) []string {
	var why []string
	if in.Code != old.Code {
		why = append(why, fmt.Sprintf("rendering code changed from %s to %s", orUnknown(old.Code), orUnknown(in.Code)))
	}
	if in.BaseURL != old.BaseURL {
		why = append(why, fmt.Sprintf("base URL changed from %s to %s", orUnknown(old.BaseURL), orUnknown(in.BaseURL)))
	}
	if in.Settings != old.Settings {
		why = append(why, "site settings changed (site.yaml)")
	}
	if in.Assets != old.Assets {
		why = append(why, "assets changed (static/)")
	}
	return why
}

func orUnknown(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
