package export

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/content"
)

// ManifestName is the file in an export that records how it was built. It
// starts with a dot: deploy/nginx.conf answers 404 for hidden files.
const ManifestName = ".renderwise-build"

// legacyManifest is the JSON manifest of exports built before format 3: such
// a folder is an export too, rebuilt in full.
const legacyManifest = ".renderwise-build.json"

// manifestFormat is the version of the manifest's layout. Format 3 is gob
// instead of JSON: at 10,000 articles (25,000 outputs) JSON took 0.22 s to
// decode and a build reads the manifest twice; gob takes a fifth of that
// (docs/performance.md, "Unchanged rebuild"). Format 4 records the inputs
// of every output apart ([inputs]) instead of a hash of the executable and
// the base URL. An export of another format is rebuilt whole, saying why.
const manifestFormat = 4

// manifest records one build: its settings and, for every output file, the
// key of its inputs and the page fields a server needs to serve it again.
// It holds nothing that varies between two builds of the same inputs, so it
// is byte-identical too.
type manifest struct {
	Format          int
	Inputs          inputs    // what every output depends on
	BuildTime       time.Time // the time pages show; SOURCE_DATE_EPOCH
	SourceDateEpoch int64
	RelatedWorld    string // see keyer.world
	Outputs         []output
	NeedsServer     []string // SSR routes: not exported
}

// Kinds of output.
const (
	kindPage     = "page"     // an SSG or ISR route
	kindImage    = "image"    // a preview image, /og/…png
	kindNotFound = "notfound" // 404.html
	kindAsset    = "asset"    // a fingerprinted file under static/
	kindFile     = "file"     // a file beside the articles
)

// output is one file of the export (with its .gz and .br when Compressed).
type output struct {
	File        string // slash-separated, relative to the export
	Route       string // the site path it answers
	Kind        string
	Key         string
	Compressed  bool
	Size        int64 // bytes of all its files
	Mode        content.Mode
	Revalidate  time.Duration
	ContentType string
	Status      int
	Modified    time.Time
	Related     []string // an article's related articles, when its key was made
	// Tags is what its render declared it read (page.Page.Tags), joined by
	// spaces: the keyer compares them as one string.
	Tags string
}

// readManifest reads the manifest of the export in dir. A missing folder or
// manifest gives an error wrapping fs.ErrNotExist; one this version cannot
// read (another format, or not gob) an error wrapping errFormat, whose text
// says so to a reader.
func readManifest(dir string) (*manifest, error) {
	name := filepath.Join(dir, ManifestName)
	f, err := os.Open(name)
	if isMissing(err) {
		if _, lerr := os.Lstat(filepath.Join(dir, legacyManifest)); lerr == nil {
			return nil, fmt.Errorf("%w: %s is a JSON manifest (format 2 or older), this renderwise reads format %d",
				errFormat, filepath.Join(dir, legacyManifest), manifestFormat)
		}
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var w wireManifest
	if err := gob.NewDecoder(bufio.NewReaderSize(f, 1<<16)).Decode(&w); err != nil {
		return nil, fmt.Errorf("%w: %s cannot be decoded (%v)", errFormat, name, err)
	}
	m := w.Manifest
	if m.Format != manifestFormat {
		return nil, fmt.Errorf("%w: %s is manifest format %d, this renderwise reads format %d", errFormat, name, m.Format, manifestFormat)
	}
	m.Outputs = make([]output, len(w.Outputs))
	for i, wo := range w.Outputs {
		o := wo.O
		if len(wo.Tags) > 0 {
			names := make([]string, len(wo.Tags))
			for j, id := range wo.Tags {
				if id < 0 || int(id) >= len(w.TagNames) {
					return nil, fmt.Errorf("%w: %s: %s: tag %d is not in the tag table", errFormat, name, o.File, id)
				}
				names[j] = w.TagNames[id]
			}
			o.Tags = strings.Join(names, " ")
		}
		m.Outputs[i] = o
	}
	return &m, nil
}

// wireManifest is the manifest as it is written: the cache tags of every
// output are indexes into one table (a tag such as card:/articles/x stands
// in dozens of outputs).
type wireManifest struct {
	Manifest manifest // without Outputs
	Outputs  []wireOutput
	TagNames []string
}

type wireOutput struct {
	O    output // without Tags
	Tags []int32
}

// errFormat is a manifest written by another version of renderwise.
var errFormat = errors.New("the export was written by another version of renderwise")

func isMissing(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func (m *manifest) encode() ([]byte, error) {
	w := wireManifest{Manifest: *m, Outputs: make([]wireOutput, len(m.Outputs))}
	w.Manifest.Outputs = nil
	ids := map[string]int32{}
	for i, o := range m.Outputs {
		var tags []int32
		for n := range strings.FieldsSeq(o.Tags) {
			id, ok := ids[n]
			if !ok {
				id = int32(len(w.TagNames))
				ids[n] = id
				w.TagNames = append(w.TagNames, n)
			}
			tags = append(tags, id)
		}
		o.Tags = ""
		w.Outputs[i] = wireOutput{O: o, Tags: tags}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
