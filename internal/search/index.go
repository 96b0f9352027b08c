package search

import (
	"math"
	"slices"
)

// Doc is one document to index. Its text is plain: use [PlainText] for HTML.
type Doc struct {
	ID       string // returned in results, e.g. the article path "/articles/node/event-loop"
	Title    string
	Headings []string
	Tags     []string
	Body     string // plain text; snippets are cut from it
	Code     string // plain text of code blocks: searched, weighted low, snippeted only when the body has no match
}

// Index is an immutable full-text index built by [New]. It is safe for
// concurrent use.
type Index struct {
	docs     []docInfo
	postings [][]posting // by term ID, each sorted by document
	idf      []float64   // by term ID

	// surfaceTerm maps each folded, unstemmed word seen to its term ID.
	// surfaces holds the same words sorted, with their term IDs in
	// surfaceIDs, for prefix lookups.
	surfaceTerm map[string]int32
	surfaces    []string
	surfaceIDs  []int32
	terms       map[string]int32 // stem → term ID

	// fuzzy holds the surfaces by length in runes, for typo tolerance.
	fuzzy [maxFuzzyRunes + maxDistance + 1][]fuzzyWord

	// seq holds the term IDs of every field of every document back to back,
	// with gap between headings and between tags, so phrases can be checked
	// without storing positions in the postings.
	seq []int32
}

// The indexed fields, in the order of fieldWeight and fieldB.
const (
	fieldTitle = iota
	fieldHeadings
	fieldTags
	fieldBody
	fieldCode
	numFields
)

// BM25 parameters. Short fields are normalised less than the body so that a
// long title still counts as a title. Code counts half as much as prose: a
// word that only appears in an example is a weaker sign of what a page is
// about.
const k1 = 1.2

var (
	fieldWeight = [numFields]float64{5, 3, 3, 1, 0.5}
	fieldB      = [numFields]float64{0.5, 0.5, 0.5, 0.75, 0.75}
)

// gap separates headings (and tags) in seq so a phrase cannot span two.
const gap = -1

type docInfo struct {
	id, title, body, code string
	seq                   [numFields + 1]int // field f is Index.seq[seq[f]:seq[f+1]]
	norm                  [numFields]float64 // BM25 length normalisation k1·(1-b+b·len/avg)
}

// posting is one document's term frequencies, per field, for one term.
type posting struct {
	doc int32
	tf  [numFields]uint16
}

// New indexes docs. It keeps the IDs, titles, bodies and code (strings are
// shared, not copied) but not the slices of docs, which the caller may reuse.
// Directives ({{< figure >}}, {{% note %}}, {{ .Title }}) are removed from
// every field first, so they are neither found nor shown in a snippet.
func New(docs []Doc) *Index {
	ix := &Index{
		docs:        make([]docInfo, 0, len(docs)),
		surfaceTerm: make(map[string]int32),
		terms:       make(map[string]int32),
	}
	b := builder{ix: ix, lens: make([][numFields]int, 0, len(docs))}
	var total [numFields]float64
	for _, d := range docs {
		b.add(d)
		for f, l := range b.lens[len(b.lens)-1] {
			total[f] += float64(l)
		}
	}

	n := float64(len(ix.docs))
	for i := range ix.docs {
		d := &ix.docs[i]
		for f := range numFields {
			d.norm[f] = k1
			if total[f] > 0 {
				l := float64(b.lens[i][f])
				d.norm[f] = k1 * (1 - fieldB[f] + fieldB[f]*l*n/total[f])
			}
		}
	}
	ix.idf = make([]float64, len(ix.postings))
	for t, ps := range ix.postings {
		df := float64(len(ps))
		ix.idf[t] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	ix.surfaces = make([]string, 0, len(ix.surfaceTerm))
	for s := range ix.surfaceTerm {
		ix.surfaces = append(ix.surfaces, s)
	}
	slices.Sort(ix.surfaces)
	ix.surfaceIDs = make([]int32, len(ix.surfaces))
	for i, s := range ix.surfaces {
		ix.surfaceIDs[i] = ix.surfaceTerm[s]
		ix.addFuzzy(s, ix.surfaceIDs[i])
	}
	return ix
}

// builder holds the scratch state of [New].
type builder struct {
	ix      *Index
	buf     []byte
	stemBuf []byte
	tf      [][numFields]uint16 // by term ID, for the current document
	touched []int32             // term IDs with a non-zero tf
	lens    [][numFields]int    // field lengths in tokens, by document
}

// add indexes d.
func (b *builder) add(d Doc) {
	ix := b.ix
	doc := int32(len(ix.docs))
	d.Title, d.Body, d.Code = stripDirectives(d.Title), stripDirectives(d.Body), stripDirectives(d.Code)
	headings, tags := stripAll(d.Headings), stripAll(d.Tags)
	info := docInfo{id: d.ID, title: d.Title, body: d.Body, code: d.Code}
	var lens [numFields]int
	fields := [numFields][]string{{d.Title}, headings, tags, {d.Body}, {d.Code}}
	for f, texts := range fields {
		info.seq[f] = len(ix.seq)
		for j, text := range texts {
			if j > 0 {
				ix.seq = append(ix.seq, gap)
			}
			b.buf = scan(text, b.buf, func(_, _ int, folded []byte) bool {
				t := b.intern(folded)
				ix.seq = append(ix.seq, t)
				if b.tf[t] == ([numFields]uint16{}) {
					b.touched = append(b.touched, t)
				}
				if b.tf[t][f] < math.MaxUint16 {
					b.tf[t][f]++
				}
				lens[f]++
				return true
			})
		}
	}
	info.seq[numFields] = len(ix.seq)
	for _, t := range b.touched {
		ix.postings[t] = append(ix.postings[t], posting{doc: doc, tf: b.tf[t]})
		b.tf[t] = [numFields]uint16{}
	}
	b.touched = b.touched[:0]
	ix.docs = append(ix.docs, info)
	b.lens = append(b.lens, lens)
}

// stripAll returns texts with directives removed, copying the slice only if
// one had any.
func stripAll(texts []string) []string {
	var out []string
	for i, t := range texts {
		if s := stripDirectives(t); s != t && out == nil {
			out = slices.Clone(texts)
			out[i] = s
		} else if out != nil {
			out[i] = s
		}
	}
	if out == nil {
		return texts
	}
	return out
}

// intern returns the term ID of a folded word, adding the word and its stem
// to the index if they are new.
func (b *builder) intern(folded []byte) int32 {
	ix := b.ix
	if t, ok := ix.surfaceTerm[string(folded)]; ok {
		return t
	}
	b.stemBuf = stem(append(b.stemBuf[:0], folded...))
	t, ok := ix.terms[string(b.stemBuf)]
	if !ok {
		t = int32(len(ix.postings))
		ix.terms[string(b.stemBuf)] = t
		ix.postings = append(ix.postings, nil)
		b.tf = append(b.tf, [numFields]uint16{})
	}
	ix.surfaceTerm[string(folded)] = t
	return t
}

// term returns the term ID of a folded query word, or -1 if no document has it.
func (ix *Index) term(folded string) int32 {
	if t, ok := ix.surfaceTerm[folded]; ok {
		return t
	}
	if t, ok := ix.terms[string(stem([]byte(folded)))]; ok {
		return t
	}
	return -1
}

// weight is the field-weighted BM25 score of one posting, before IDF.
func (ix *Index) weight(p *posting) float64 {
	norm := &ix.docs[p.doc].norm
	var s float64
	for f := range numFields {
		if tf := p.tf[f]; tf > 0 {
			x := float64(tf)
			s += fieldWeight[f] * x * (k1 + 1) / (x + norm[f])
		}
	}
	return s
}
