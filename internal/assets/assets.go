// Package assets fingerprints the files of static/: each gets a name of the
// form name.<hash>.ext, its bytes precompressed once, and a strong ETag.
// Components receive finished URLs through view models, built here, so no
// template hard-codes an asset path.
package assets

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync/atomic"

	"github.com/renderwise/renderwise/internal/compress"
)

// Prefix is the URL path the assets are served under.
const Prefix = "/static/"

// Asset is one fingerprinted file.
type Asset struct {
	Name        string // fingerprinted name, e.g. "site.1a2b3c4d5e.css"
	ContentType string
	Body        []byte
	Gzip        []byte // nil for types that do not compress
	Brotli      []byte
	ETag        string // strong, quoted
	CSPHash     string // 'sha256-…' of Body, for a Content-Security-Policy that allows it inline
}

// Set is every asset. It is safe for concurrent use; [Set.Reload] swaps in
// a new version of every file at once (dev mode).
type Set struct {
	t atomic.Pointer[tables]
}

type tables struct {
	byName   map[string]*Asset // by fingerprinted name
	original map[string]*Asset // by original name
}

// New reads every file of fsys and fingerprints it.
func New(fsys fs.FS) (*Set, error) {
	s := &Set{}
	return s, s.Reload(fsys)
}

// Reload reads every file of fsys again. On error the old files stay.
func (s *Set) Reload(fsys fs.FS) error {
	t := &tables{byName: map[string]*Asset{}, original: map[string]*Asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:5])
		cspHash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		ext := path.Ext(p)
		a := &Asset{
			Name:        strings.TrimSuffix(p, ext) + "." + hash + ext,
			ContentType: mime.TypeByExtension(ext),
			Body:        body,
			ETag:        `"` + hash + `"`,
			CSPHash:     cspHash,
		}
		if a.ContentType == "" {
			a.ContentType = "application/octet-stream"
		}
		if compress.Worth(a.ContentType) {
			a.Gzip, a.Brotli = compress.Bodies(body)
		}
		t.byName[a.Name] = a
		t.original[p] = a
		return nil
	})
	if err != nil {
		return fmt.Errorf("read assets: %w", err)
	}
	s.t.Store(t)
	return nil
}

// URL returns the fingerprinted URL of a file by its original name. It
// panics for an unknown name: that is a programming error found at start-up.
func (s *Set) URL(name string) string {
	a, ok := s.t.Load().original[name]
	if !ok {
		panic("assets: no file " + name)
	}
	return Prefix + a.Name
}

// Original returns an asset by its original name, e.g. "site.css".
func (s *Set) Original(name string) (*Asset, bool) {
	a, ok := s.t.Load().original[name]
	return a, ok
}

// Get returns an asset by its fingerprinted name.
func (s *Set) Get(name string) (*Asset, bool) {
	a, ok := s.t.Load().byName[name]
	return a, ok
}

// All returns every asset by fingerprinted name.
func (s *Set) All() map[string]*Asset { return s.t.Load().byName }
