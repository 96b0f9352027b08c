package export

import (
	"context"
	"encoding/gob"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/static"
)

// TestStaleSaysWhatChanged builds an export, then reads it and builds over
// it with one input changed: both say which, and nothing is reused; with
// none changed (another binary of the same rendering code) everything is.
func TestStaleSaysWhatChanged(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		change func(cfg *Config, fsys fstest.MapFS, staticFS fstest.MapFS)
		want   string // a phrase of Stale; empty: none, and all reused
	}{
		{"the same rendering code reuses the export", func(*Config, fstest.MapFS, fstest.MapFS) {}, ""},
		{"another rendering code version names the code", func(cfg *Config, _, _ fstest.MapFS) { cfg.Version = "test-2" },
			"rendering code changed from test to test-2"},
		{"another base URL names both", func(cfg *Config, _, _ fstest.MapFS) { cfg.BaseURL = "https://elsewhere.example" },
			"base URL changed from https://renderwise.example to https://elsewhere.example"},
		{"new settings name site.yaml", func(_ *Config, fsys, _ fstest.MapFS) {
			fsys["site.yaml"] = &fstest.MapFile{Data: []byte("title: Another site\n")}
		}, "site settings changed (site.yaml)"},
		{"a changed asset names static/", func(_ *Config, _, staticFS fstest.MapFS) {
			for name, f := range staticFS {
				if path.Ext(name) == ".css" {
					f.Data = append(f.Data, "\n/* changed */\n"...)
					return
				}
			}
			panic("static/ has no stylesheet")
		}, "assets changed (static/)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "dist")
			first := newEnv(t, fixture())
			made := first.build(t, out)

			cfg, fsys, staticFS := first.config(out), fixture(), copyFS(t, static.FS)
			tt.change(&cfg, fsys, staticFS)
			d := deps(t, cfg, fsys, staticFS)

			pb, err := Read(context.Background(), out, cfg, d)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(pb.Stale, "; "); got != tt.want {
				t.Errorf("Read: stale %q, want %q", got, tt.want)
			}
			if tt.want != "" && (len(pb.Pages) != 0 || len(pb.Missing) != len(page.Routes(d.Site))) {
				t.Errorf("Read of a stale export: %d pages, %d missing; want none and every route", len(pb.Pages), len(pb.Missing))
			}

			sum, err := Build(context.Background(), cfg, d)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(sum.Stale, "; "); got != tt.want {
				t.Errorf("Build: stale %q, want %q", got, tt.want)
			}
			switch {
			case tt.want == "" && (sum.Rendered != 0 || sum.Reused != made.Rendered):
				t.Errorf("Build with nothing changed: %d rendered, %d reused; want 0 and %d", sum.Rendered, sum.Reused, made.Rendered)
			case tt.want != "" && sum.Reused != 0:
				t.Errorf("Build after %s: %d outputs reused, want none", tt.want, sum.Reused)
			}
		})
	}
}

// TestOlderManifestIsRebuilt: an export of manifest format 3 (a hash of the
// executable for a version, no inputs apart) is rebuilt whole by a build and
// gives no page to a server, each saying why, neither failing.
func TestOlderManifestIsRebuilt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	e.build(t, out)
	writeFormat3(t, out)
	const want = "is manifest format 3, this renderwise reads format 4"

	pb, err := Read(context.Background(), out, e.config(out), e.deps())
	if err != nil {
		t.Fatalf("Read of a format 3 export: %v, want no error", err)
	}
	if len(pb.Stale) != 1 || !strings.Contains(pb.Stale[0], want) || len(pb.Pages) != 0 || len(pb.Missing) != len(page.Routes(e.site)) {
		t.Errorf("Read of a format 3 export: stale %q, %d pages, %d missing; want %q, none and every route", pb.Stale, len(pb.Pages), len(pb.Missing), want)
	}
	sum, err := Build(context.Background(), e.config(out), e.deps())
	if err != nil {
		t.Fatalf("Build over a format 3 export: %v, want no error", err)
	}
	if len(sum.Stale) != 1 || !strings.Contains(sum.Stale[0], want) || sum.Reused != 0 {
		t.Errorf("Build over a format 3 export: stale %q, %d reused; want %q and none", sum.Stale, sum.Reused, want)
	}
	if m, err := readManifest(out); err != nil || m.Format != manifestFormat {
		t.Errorf("after the build the manifest is %v, %v; want format %d", m, err, manifestFormat)
	}
}

// writeFormat3 replaces the manifest of the export in dir by one of format
// 3, with the fields that format had.
func writeFormat3(t *testing.T, dir string) {
	t.Helper()
	type manifest3 struct {
		Format          int
		Version         string
		BaseURL         string
		BuildTime       time.Time
		SourceDateEpoch int64
		RelatedWorld    string
		NeedsServer     []string
	}
	type wire3 struct {
		Manifest manifest3
		Outputs  []wireOutput
		TagNames []string
	}
	f, err := os.Create(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := wire3{Manifest: manifest3{Format: 3, Version: "exe-0123456789abcdef01234567", BaseURL: baseURL, BuildTime: buildTime, SourceDateEpoch: buildTime.Unix()},
		Outputs: []wireOutput{{O: output{File: "index.html", Route: "/", Kind: kindPage, Key: "k"}}}}
	if err := gob.NewEncoder(f).Encode(&w); err != nil {
		t.Fatal(err)
	}
}

// deps are the Deps of a build with cfg of the content in fsys and the
// assets in staticFS.
func deps(t *testing.T, cfg Config, fsys, staticFS fstest.MapFS) Deps {
	t.Helper()
	site, err := content.LoadWith(fsys, content.Options{ImageURL: page.ImageURL})
	if err != nil {
		t.Fatal(err)
	}
	set, err := assets.New(staticFS)
	if err != nil {
		t.Fatal(err)
	}
	return Deps{Site: site, Content: fsys, Builder: page.NewBuilder(page.Config{BaseURL: cfg.BaseURL}, set), Assets: set}
}

// copyFS returns the files of fsys as a MapFS, to be edited.
func copyFS(t *testing.T, fsys fs.FS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
