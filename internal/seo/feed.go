package seo

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"time"
)

// atomNS is the Atom 1.0 namespace (RFC 4287, section 1.2).
const atomNS = "http://www.w3.org/2005/Atom"

// Feed is the site's Atom feed, served at /feed.xml.
type Feed struct {
	// Title is the site name; it is also the feed's author.
	Title string
	// Subtitle is an optional one-line description of the site.
	Subtitle string
	// BaseURL is the site's base URL; it is the feed's id and the root of
	// its self and alternate links.
	BaseURL string
	// Updated is when the feed last changed. The zero time means the
	// latest Updated (or Published) time among the entries.
	Updated time.Time
	// Entries are written in the order given: callers pass newest first.
	Entries []Entry
}

// Entry is one article in a [Feed].
type Entry struct {
	// URL is the article's absolute canonical URL; it is also the entry id.
	URL string
	// Title is the article title as plain text.
	Title string
	// Summary is the plain-text description; empty omits <summary>.
	Summary string
	// ContentHTML is the article body as an HTML fragment; nil omits
	// <content>. It is written escaped, as <content type="html">.
	ContentHTML []byte
	// Published is when the article first appeared; the zero time omits
	// <published>.
	Published time.Time
	// Updated is when the article last changed; the zero time means
	// Published.
	Updated time.Time
	// Tags become <category term="…"/> elements, in order.
	Tags []string
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"feed"`
	NS       string      `xml:"xmlns,attr"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
	Categories []atomCategory `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// Atom returns the feed as an Atom 1.0 document (RFC 4287). Times are written
// in UTC in RFC 3339 form, text is XML-escaped by encoding/xml, and the HTML
// content of each entry is escaped once inside <content type="html">.
//
// It fails when a field Atom requires is missing: the feed's title or base
// URL, an entry's URL or title, or any time to put in an <updated> element.
func (f Feed) Atom() ([]byte, error) {
	if f.Title == "" {
		return nil, errors.New("atom feed: title is empty")
	}
	if f.BaseURL == "" {
		return nil, errors.New("atom feed: base URL is empty")
	}
	home := Canonical(f.BaseURL, "/")
	out := atomFeed{
		NS:    atomNS,
		ID:    home,
		Title: atomText{Type: "text", Body: f.Title},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: Canonical(f.BaseURL, "/feed.xml")},
			{Rel: "alternate", Type: "text/html", Href: home},
		},
		Author:  atomPerson{Name: f.Title, URI: home},
		Entries: make([]atomEntry, 0, len(f.Entries)),
	}
	if f.Subtitle != "" {
		out.Subtitle = &atomText{Type: "text", Body: f.Subtitle}
	}
	updated := f.Updated
	for i, e := range f.Entries {
		ae, entryUpdated, err := atomEntryOf(e)
		if err != nil {
			return nil, fmt.Errorf("atom feed: entry %d (%q): %w", i+1, e.URL, err)
		}
		if f.Updated.IsZero() && entryUpdated.After(updated) {
			updated = entryUpdated
		}
		out.Entries = append(out.Entries, ae)
	}
	if updated.IsZero() {
		return nil, errors.New("atom feed: no updated time: set Feed.Updated or give entries a time")
	}
	out.Updated = formatTime(updated)

	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("atom feed: %w", err)
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}

// atomEntryOf converts e and returns the time written as its <updated>.
func atomEntryOf(e Entry) (atomEntry, time.Time, error) {
	if e.URL == "" {
		return atomEntry{}, time.Time{}, errors.New("URL is empty")
	}
	if e.Title == "" {
		return atomEntry{}, time.Time{}, errors.New("title is empty")
	}
	updated := e.Updated
	if updated.IsZero() {
		updated = e.Published
	}
	if updated.IsZero() {
		return atomEntry{}, time.Time{}, errors.New("no updated or published time")
	}
	ae := atomEntry{
		ID:         e.URL,
		Title:      atomText{Type: "text", Body: e.Title},
		Link:       atomLink{Rel: "alternate", Type: "text/html", Href: e.URL},
		Updated:    formatTime(updated),
		Categories: make([]atomCategory, 0, len(e.Tags)),
	}
	if !e.Published.IsZero() {
		ae.Published = formatTime(e.Published)
	}
	if e.Summary != "" {
		ae.Summary = &atomText{Type: "text", Body: e.Summary}
	}
	if e.ContentHTML != nil {
		ae.Content = &atomText{Type: "html", Body: string(e.ContentHTML)}
	}
	for _, t := range e.Tags {
		ae.Categories = append(ae.Categories, atomCategory{Term: t})
	}
	return ae, updated, nil
}

// formatTime writes t in UTC so the output does not depend on the location
// of the time values passed in.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
