package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/content"
)

// ManifestName is the file in an export that records how it was built. It
// starts with a dot: deploy/nginx.conf answers 404 for hidden files.
const ManifestName = ".renderwise-build.json"

// manifestFormat is the version of the manifest's layout.
const manifestFormat = 2

// manifest records one build: its settings and, for every output file, the
// key of its inputs and the page fields a server needs to serve it again.
// It holds nothing that varies between two builds of the same inputs, so it
// is byte-identical too.
type manifest struct {
	Format          int       `json:"format"`
	Version         string    `json:"version"` // the code (templates, assets) that built it
	BaseURL         string    `json:"base_url"`
	BuildTime       time.Time `json:"build_time"` // the time pages show; SOURCE_DATE_EPOCH
	SourceDateEpoch int64     `json:"source_date_epoch"`
	RelatedWorld    string    `json:"related_world"` // see keyer.world
	Outputs         []output  `json:"outputs"`
	NeedsServer     []string  `json:"needs_server,omitempty"` // SSR routes: not exported
	// TagNames are the cache tags the outputs declared, each once; in the
	// file an output's Tags are indexes into it (a tag such as
	// card:/articles/node/event-loop stands in dozens of outputs: this keeps
	// the manifest of 10,000 articles at 10.2 MB instead of 12.2).
	TagNames []string `json:"tag_names,omitempty"`
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
	File        string        `json:"file"`            // slash-separated, relative to the export
	Route       string        `json:"route,omitempty"` // the site path it answers
	Kind        string        `json:"kind"`
	Key         string        `json:"key"`
	Compressed  bool          `json:"compressed,omitempty"`
	Size        int64         `json:"size"` // bytes of all its files
	Mode        content.Mode  `json:"mode,omitempty"`
	Revalidate  time.Duration `json:"revalidate,omitempty"`
	ContentType string        `json:"content_type,omitempty"`
	Status      int           `json:"status,omitempty"`
	Modified    time.Time     `json:"modified,omitzero"`
	Related     []string      `json:"related,omitempty"` // an article's related articles, when its key was made
	// Tags is what its render declared it read (page.Page.Tags), joined by
	// spaces: one JSON string decodes several times faster than a list of
	// them, and at 10,000 articles the manifest is read twice per build.
	Tags string `json:"tags,omitempty"`
}

// readManifest reads the manifest of the export in dir. A missing folder or
// manifest gives an error wrapping fs.ErrNotExist.
func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, ManifestName), err)
	}
	if m.Format != manifestFormat {
		return nil, fmt.Errorf("read %s: format %d, want %d: %w", filepath.Join(dir, ManifestName), m.Format, manifestFormat, errFormat)
	}
	for i := range m.Outputs {
		o := &m.Outputs[i]
		if o.Tags == "" {
			continue
		}
		ids := strings.Fields(o.Tags)
		names := make([]string, len(ids))
		for j, id := range ids {
			n, err := strconv.Atoi(id)
			if err != nil || n < 0 || n >= len(m.TagNames) {
				return nil, fmt.Errorf("read %s: %s: tag %q is not in tag_names: %w", filepath.Join(dir, ManifestName), o.File, id, errFormat)
			}
			names[j] = m.TagNames[n]
		}
		o.Tags = strings.Join(names, " ")
	}
	m.TagNames = nil
	return &m, nil
}

var errFormat = errors.New("unknown manifest format")

func isMissing(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func (m *manifest) encode() ([]byte, error) {
	out := *m
	out.Outputs = slices.Clone(m.Outputs)
	ids := map[string]string{}
	for i := range out.Outputs {
		o := &out.Outputs[i]
		if o.Tags == "" {
			continue
		}
		names := strings.Fields(o.Tags)
		for j, n := range names {
			id, ok := ids[n]
			if !ok {
				id = strconv.Itoa(len(out.TagNames))
				ids[n] = id
				out.TagNames = append(out.TagNames, n)
			}
			names[j] = id
		}
		o.Tags = strings.Join(names, " ")
	}
	b, err := json.MarshalIndent(&out, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
