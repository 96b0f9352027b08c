// Command gen writes internal/rendercode/source.go: a hash of the code that
// decides what an export holds. `make generate` runs it after templ, from
// the module root:
//
//	go run ./internal/rendercode/gen internal/rendercode/source.go
//
// # What is hashed
//
// The packages that internal/page (what is rendered) and internal/export
// (what is written, and under which keys) are compiled from, found by
// `go list -deps` rather than listed by hand, so a package they start to
// import is covered without anyone remembering to add it. Of each package
// of this module: its import path and the name and bytes of every Go file
// it compiles and every file it embeds. Tests are not compiled into it, and
// neither are .templ files: their generated _templ.go are, and those are
// what renders. Of each package of another module: the module's path and
// version, which go.sum pins to exact bytes. The standard library is left
// to [rendercode.Version], which adds the Go version of the running binary.
//
// static/ is not hashed: page and export do not import it, and every asset
// is keyed by its own bytes already (its fingerprinted name is in every
// export key). Packages are listed for linux/amd64 whatever the machine, so
// that files for one system cannot make two machines disagree; paths are
// import paths, never directories, and no modification time is read.
//
// Why a generated file rather than the executable's hash or
// runtime/debug.ReadBuildInfo: the executable differs between `go run`,
// `go build` and `make build` (-trimpath) of one tree, and changes with any
// server or CLI change; build info has module versions but, for this module,
// only a VCS revision (and none under `go run`), which changes with every
// commit and not with an uncommitted edit.
package main

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
)

// roots are the packages whose code, with all they import, decides what an
// export holds.
var roots = []string{"./internal/page", "./internal/export"}

// hashFormat changes when what is hashed, or how, changes.
const hashFormat = "renderwise-rendercode-1"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen OUT.go")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "rendercode/gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	pkgs, err := list(".", roots...)
	if err != nil {
		return err
	}
	s, err := digest(pkgs, out)
	if err != nil {
		return err
	}
	src, err := s.source()
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// pkg is what `go list -json` says of a package, as far as the hash needs.
type pkg struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	CgoFiles   []string
	EmbedFiles []string
	Module     *module
}

type module struct {
	Path    string
	Version string
	Main    bool
	Replace *module
}

// list returns the packages patterns are compiled from, run in dir.
func list(dir string, patterns ...string) ([]pkg, error) {
	cmd := exec.Command("go", append([]string{"list", "-deps", "-json"}, patterns...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(stdout))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// summary is what was hashed, and the hash.
type summary struct {
	Hash     string
	Packages []string // of this module, by import path
	Modules  []string // other modules, "path version"
}

// digest hashes pkgs as the package comment says. The file skip (the one
// being generated) is never hashed, so the hash cannot depend on itself.
func digest(pkgs []pkg, skip string) (summary, error) {
	skipAbs, err := filepath.Abs(skip)
	if err != nil {
		return summary{}, err
	}
	var s summary
	var local []pkg
	modules := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard || p.Module == nil {
			continue
		}
		m := p.Module
		if m.Replace != nil {
			m = m.Replace
		}
		if m.Version != "" {
			modules[m.Path+" "+m.Version] = true
			continue
		}
		local = append(local, p) // this module, or a replacement by a folder
	}
	slices.SortFunc(local, func(a, b pkg) int { return cmp.Compare(a.ImportPath, b.ImportPath) })
	h := sha256.New()
	str(h, hashFormat)
	for _, p := range local {
		s.Packages = append(s.Packages, p.ImportPath)
		str(h, p.ImportPath)
		names := slices.Concat(p.GoFiles, p.CgoFiles, p.EmbedFiles)
		slices.Sort(names)
		for _, name := range names {
			file := filepath.Join(p.Dir, filepath.FromSlash(name))
			if file == skipAbs {
				continue
			}
			b, err := os.ReadFile(file)
			if err != nil {
				return summary{}, err
			}
			str(h, filepath.ToSlash(name))
			str(h, string(b))
		}
	}
	s.Modules = slices.Sorted(maps.Keys(modules))
	for _, m := range s.Modules {
		str(h, m)
	}
	s.Hash = hex.EncodeToString(h.Sum(nil)[:16])
	return s, nil
}

// str writes s into h with its length first, so that no two different
// sequences of strings hash alike.
func str(h io.Writer, s string) {
	h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(s))))
	io.WriteString(h, s)
}

// source returns the generated Go file. It lists what was hashed, so that
// a review sees which package or module a change of the hash came from.
func (s summary) source() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./internal/rendercode/gen; DO NOT EDIT.\n\n")
	b.WriteString("package rendercode\n\n")
	b.WriteString("// source is the hash of the rendering code (see [Version]): the Go files\n")
	b.WriteString("// and embedded files of\n//\n")
	for _, p := range s.Packages {
		fmt.Fprintf(&b, "//\t%s\n", p)
	}
	b.WriteString("//\n// and the versions of\n//\n")
	for _, m := range s.Modules {
		fmt.Fprintf(&b, "//\t%s\n", m)
	}
	fmt.Fprintf(&b, "const source = %q\n", s.Hash)
	return format.Source(b.Bytes())
}
