package content

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// publishedTypes are the kinds of file served beside the articles
// (DESIGN.md §8): images, documents and media. Pages are only ever made from
// Markdown, so HTML, scripts and stylesheets in the content folder are never
// published: the site's Content-Security-Policy allows same-origin scripts,
// and an author's file must not become one. Editor backups (x.md~, x.bak,
// x.swp) fall outside the list too.
var publishedTypes = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true, ".svg": true, ".ico": true,
	".pdf": true, ".txt": true, ".csv": true,
	".mp4": true, ".webm": true, ".mp3": true, ".ogg": true, ".wav": true,
}

// quietFolders are hidden folders that every content folder under version
// control has; they are skipped without a warning.
var quietFolders = map[string]bool{".git": true, ".hg": true, ".svn": true}

// Published reports whether a name in the content folder may be served
// beside the articles, judging by the name alone, and if not, why. The
// Site's file list ([Site.File]) applies the same rule and also leaves out
// symbolic links and anything that is not a regular file.
func Published(name string) (ok bool, why string) {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return false, "hidden"
		}
	}
	if strings.HasSuffix(name, ".md") {
		return false, "an article's source"
	}
	if !publishedTypes[strings.ToLower(path.Ext(name))] {
		return false, "not a published type (images, PDF, text, CSV, audio and video are)"
	}
	return true, ""
}

// scan walks fsys once and sorts what it finds: the Markdown sources, the
// files published beside them, and a warning for everything else that will
// not be served. Symbolic links are never followed, so nothing outside the
// folder is read or served through one.
func scan(fsys fs.FS) (sources, files []string, warnings []Problem, err error) {
	skip := func(p, why string) {
		warnings = append(warnings, Problem{File: p, Line: 1, Msg: "not published: " + why, Warning: true})
	}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		hidden := strings.HasPrefix(d.Name(), ".")
		switch {
		case d.IsDir() && hidden:
			if !quietFolders[d.Name()] {
				skip(p+"/", "hidden folder")
			}
			return fs.SkipDir
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			skip(p, "a symbolic link (links are not followed)")
		case !d.Type().IsRegular():
			skip(p, "not a regular file")
		case !hidden && strings.HasSuffix(p, ".md"):
			sources = append(sources, p)
		case slices.Contains(settingsFiles, p):
			// the site's settings, read by [readSettings]; never served
		default:
			if ok, why := Published(p); ok {
				files = append(files, p)
			} else {
				skip(p, why)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list articles: %w", err)
	}
	return sources, files, warnings, nil
}

// regularFile returns the FileInfo of name if it is a regular file reached
// without a symbolic link (checked where fsys can tell, [fs.ReadLinkFS]);
// anything else is [fs.ErrNotExist], as it is for [scan]. An article asked
// for by its URL is thus read under the same rule as one found by listing.
func regularFile(fsys fs.FS, name string) (fs.FileInfo, error) {
	for i := range len(name) {
		if name[i] != '/' {
			continue
		}
		if info, err := fs.Lstat(fsys, name[:i]); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
		}
	}
	info, err := fs.Lstat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return info, nil
}
