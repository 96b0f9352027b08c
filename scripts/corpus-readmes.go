//go:build ignore

// Corpus-readmes assembles a Renderwise content folder from the READMEs of
// the npm packages that CI installs under .ci/node_modules: Markdown that
// nobody here wrote, with raw HTML, badges, tables and odd headings. It is
// run by scripts/corpus-readmes.sh, which installs the packages first:
//
//	go run scripts/corpus-readmes.go [-modules .ci/node_modules] [OUT]
//
// OUT (default: a new temporary folder) must be empty or missing; it is never
// inside the repository's articles. Every package with a README.md (any
// casing) at its root becomes one article, <scope>/<name>.md or <name>.md,
// whose body is the README byte for byte and whose front matter is made from
// its package.json:
//
//	title        the package name ("@scope/name")
//	description  package.json's description, cut at a word to 160 characters
//	             ("The README of the npm package X." when it has none)
//	date         a fixed date (package.json carries no publication date)
//	tags         the keywords, slugified, duplicates dropped
//
// The title is the package name rather than the README's first heading
// because first headings are often a logo, a badge row or a link.
//
// File names and tags are slugified here because the content model is
// strict for now: a file name or tag that is not a slug is an error. Once it
// slugifies them itself (DESIGN §3), this script could pass them through.
// When two installed versions of one package have READMEs, the shallowest
// (the one npm hoisted) is kept.
//
// It prints one line per article to stderr and the folder to stdout.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// date is the fixed publication date of every article.
const date = "2026-01-01"

// maxDescription is the content model's limit for a description, in runes.
const maxDescription = 160

func main() {
	modules := flag.String("modules", ".ci/node_modules", "the node_modules folder to read")
	flag.Parse()
	if err := run(*modules, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "corpus-readmes:", err)
		os.Exit(1)
	}
}

// pkg is the part of a package.json this script reads. Keywords is raw
// because some packages give a string rather than a list.
type pkg struct {
	Name        string          `json:"name"`
	Description json.RawMessage `json:"description"`
	Keywords    json.RawMessage `json:"keywords"`
}

func run(modules, out string) error {
	if out == "" {
		dir, err := os.MkdirTemp("", "renderwise-readmes-")
		if err != nil {
			return err
		}
		out = dir
	} else if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", out)
	} else if inRepo(out) {
		return fmt.Errorf("%s is inside the repository; the corpus is assembled elsewhere", out)
	}
	// Packages by depth first, so the hoisted copy of a package wins.
	var dirs []string
	err := filepath.WalkDir(modules, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil // workspace links and .bin entries
		}
		if !d.IsDir() && d.Name() == "package.json" {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(dirs, func(a, b string) int {
		return strings.Count(a, string(filepath.Separator)) - strings.Count(b, string(filepath.Separator))
	})

	seen := map[string]bool{}  // package names
	paths := map[string]bool{} // article paths, which slugs could make collide
	n := 0
	for _, dir := range dirs {
		readme, err := findReadme(dir)
		if err != nil || readme == "" {
			continue
		}
		var p pkg
		b, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &p); err != nil || p.Name == "" || seen[p.Name] {
			continue // a test fixture or a second copy, not a package to publish
		}
		seen[p.Name] = true
		rel := articlePath(p.Name)
		for i := 2; paths[rel]; i++ {
			rel = articlePath(fmt.Sprintf("%s-%d", p.Name, i))
		}
		paths[rel] = true
		body, err := os.ReadFile(readme)
		if err != nil {
			return err
		}
		dst := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, append(frontMatter(p), body...), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "%s\t%s\n", rel, readme)
		n++
	}
	if n == 0 {
		return errors.New("no README.md found under " + modules + " (run npm ci --prefix .ci first)")
	}
	fmt.Fprintf(os.Stderr, "%d articles\n", n)
	fmt.Println(out)
	return nil
}

// inRepo reports whether dir is inside the repository, taken to be the
// working directory when it holds go.mod (as when run from the repository's
// root, which the default -modules assumes).
func inRepo(dir string) bool {
	wd, err := os.Getwd()
	if err != nil {
		return false
	}
	if _, err := os.Stat(filepath.Join(wd, "go.mod")); err != nil {
		return false
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return true
	}
	rel, err := filepath.Rel(wd, abs)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// findReadme returns the path of dir's README.md in any casing, or "".
func findReadme(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && strings.EqualFold(e.Name(), "readme.md") {
			return filepath.Join(dir, e.Name()), nil
		}
	}
	return "", nil
}

// articlePath turns "@scope/name" into "scope/name.md" and "name" into
// "name.md", each segment a slug.
func articlePath(name string) string {
	var segs []string
	for _, s := range strings.Split(strings.TrimPrefix(name, "@"), "/") {
		if s := slugify(s); s != "" {
			segs = append(segs, s)
		}
	}
	if len(segs) == 0 {
		segs = []string{"package"}
	}
	return strings.Join(segs, "/") + ".md"
}

// slugify lowercases s, drops the accents of Latin letters it can, and turns
// every run of other characters into one hyphen: "Node.js" → "node-js".
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		r = plain(r)
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// plain maps a few accented Latin letters to their base letter; anything
// else outside a–z and 0–9 becomes a separator in [slugify].
func plain(r rune) rune {
	if r < utf8.RuneSelf || !unicode.IsLetter(r) {
		return r
	}
	for base, letters := range map[rune]string{
		'a': "àáâãäåā", 'c': "çč", 'e': "èéêëē", 'i': "ìíîïī", 'n': "ñ",
		'o': "òóôõöøō", 's': "šś", 'u': "ùúûüū", 'y': "ýÿ", 'z': "žź",
	} {
		if strings.ContainsRune(letters, r) {
			return base
		}
	}
	return r
}

// frontMatter returns the YAML front matter of the article for p. Strings
// are written as JSON strings, which YAML reads as double-quoted scalars, so
// no description can break the block.
func frontMatter(p pkg) []byte {
	desc := text(p.Description)
	if desc == "" {
		desc = "The README of the npm package " + p.Name + "."
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", quote(p.Name))
	fmt.Fprintf(&b, "description: %s\n", quote(truncate(desc, maxDescription)))
	fmt.Fprintf(&b, "date: %s\n", date)
	if tags := tags(p.Keywords); len(tags) > 0 {
		for i, t := range tags {
			tags[i] = quote(t) // "2015" is a tag, not a number
		}
		fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tags, ", "))
	}
	b.WriteString("---\n")
	return []byte(b.String())
}

// text returns a JSON value as one line of text if it is a string, else "".
func text(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return strings.Join(strings.Fields(s), " ")
}

// tags returns the keywords (a list, or a string of words separated by
// commas or spaces) as unique slugs, in their order.
func tags(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil
		}
		list = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	}
	var out []string
	for _, k := range list {
		if t := slugify(k); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// truncate cuts s to at most n runes, at a word boundary when there is one
// in the last quarter, and marks the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n - 1 // room for "…"
	for i := cut; i > n*3/4; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:.-") + "…"
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
