package content

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with the content, at a file and line.
type Problem struct {
	File    string // path in the content FS, e.g. "node/event-loop.md"
	Line    int    // 1-based
	Msg     string
	Warning bool // worth fixing, but the content still loads (e.g. an image without alt text)

	strict bool // a warning that [Options.Strict] makes an error: an unknown key
}

func (p Problem) String() string {
	if p.Warning {
		return fmt.Sprintf("%s:%d: warning: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// errorsOnly returns the problems that are not warnings.
func errorsOnly(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// strictly returns ps with the warnings that [Options.Strict] makes errors
// turned into errors.
func strictly(ps []Problem) []Problem {
	for i := range ps {
		if ps[i].strict {
			ps[i].Warning = false
		}
	}
	return ps
}

// ProblemsError is returned when content has problems. It lists all of them,
// sorted by file and line.
type ProblemsError struct {
	Problems []Problem
}

func (e *ProblemsError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func sortProblems(ps []Problem) {
	slices.SortFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Msg, b.Msg))
	})
}
