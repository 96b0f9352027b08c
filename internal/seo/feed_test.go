package seo

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// parsedFeed is an Atom feed as a reader sees it, namespaces included.
type parsedFeed struct {
	XMLName  xml.Name     `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string       `xml:"http://www.w3.org/2005/Atom id"`
	Title    parsedText   `xml:"http://www.w3.org/2005/Atom title"`
	Subtitle parsedText   `xml:"http://www.w3.org/2005/Atom subtitle"`
	Updated  string       `xml:"http://www.w3.org/2005/Atom updated"`
	Links    []parsedLink `xml:"http://www.w3.org/2005/Atom link"`
	Author   struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Entries []parsedEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type parsedEntry struct {
	ID         string       `xml:"http://www.w3.org/2005/Atom id"`
	Title      parsedText   `xml:"http://www.w3.org/2005/Atom title"`
	Links      []parsedLink `xml:"http://www.w3.org/2005/Atom link"`
	Published  string       `xml:"http://www.w3.org/2005/Atom published"`
	Updated    string       `xml:"http://www.w3.org/2005/Atom updated"`
	Summary    parsedText   `xml:"http://www.w3.org/2005/Atom summary"`
	Content    parsedText   `xml:"http://www.w3.org/2005/Atom content"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"http://www.w3.org/2005/Atom category"`
}

type parsedText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type parsedLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

func sampleFeed() Feed {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 30, 0, 0, time.UTC) }
	return Feed{
		Title:    "Renderwise <SSR> & friends",
		Subtitle: "How the web is built & delivered",
		BaseURL:  "https://example.com/",
		Updated:  day(22),
		Entries: []Entry{
			{
				URL:         "https://example.com/articles/rendering/isr",
				Title:       "ISR: a < b && c > d",
				Summary:     "Stale pages, <fresh> regeneration.",
				ContentHTML: []byte(`<p>Hello <em>ISR</em> &amp; "friends"</p><script>alert(1)</script>`),
				Published:   day(20),
				Updated:     day(22),
				Tags:        []string{"rendering", "nextjs"},
			},
			{
				URL:         "https://example.com/articles/rendering/ssg",
				Title:       "SSG",
				ContentHTML: []byte("<p>Built ahead of time.</p>"),
				Published:   time.Date(2026, 11, 10, 11, 0, 0, 0, time.FixedZone("CET", 3600)),
			},
		},
	}
}

func TestAtomParsesWithRequiredElements(t *testing.T) {
	t.Parallel()
	body, err := sampleFeed().Atom()
	if err != nil {
		t.Fatalf("Atom() error: %v", err)
	}
	var got parsedFeed
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("parse feed: %v\n%s", err, body)
	}

	checks := []struct{ what, got, want string }{
		{"feed id", got.ID, "https://example.com/"},
		{"feed title", got.Title.Body, "Renderwise <SSR> & friends"},
		{"feed subtitle", got.Subtitle.Body, "How the web is built & delivered"},
		{"feed updated", got.Updated, "2026-11-22T09:30:00Z"},
		{"author name", got.Author.Name, "Renderwise <SSR> & friends"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	wantLinks := map[string]string{
		"self":      "https://example.com/feed.xml",
		"alternate": "https://example.com/",
	}
	if len(got.Links) != len(wantLinks) {
		t.Errorf("feed has %d links, want %d", len(got.Links), len(wantLinks))
	}
	for _, l := range got.Links {
		if l.Href != wantLinks[l.Rel] {
			t.Errorf("link rel=%q href = %q, want %q", l.Rel, l.Href, wantLinks[l.Rel])
		}
	}

	if len(got.Entries) != 2 {
		t.Fatalf("feed has %d entries, want 2", len(got.Entries))
	}
	e := got.Entries[0]
	entryChecks := []struct{ what, got, want string }{
		{"entry id", e.ID, "https://example.com/articles/rendering/isr"},
		{"entry title", e.Title.Body, "ISR: a < b && c > d"},
		{"entry published", e.Published, "2026-11-20T09:30:00Z"},
		{"entry updated", e.Updated, "2026-11-22T09:30:00Z"},
		{"entry summary", e.Summary.Body, "Stale pages, <fresh> regeneration."},
		{"entry content type", e.Content.Type, "html"},
		{"entry content", e.Content.Body, `<p>Hello <em>ISR</em> &amp; "friends"</p><script>alert(1)</script>`},
	}
	for _, c := range entryChecks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if len(e.Links) != 1 || e.Links[0].Rel != "alternate" || e.Links[0].Href != e.ID {
		t.Errorf("entry links = %+v, want one alternate link to %q", e.Links, e.ID)
	}
	var terms []string
	for _, c := range e.Categories {
		terms = append(terms, c.Term)
	}
	if strings.Join(terms, ",") != "rendering,nextjs" {
		t.Errorf("entry categories = %q, want [rendering nextjs]", terms)
	}

	// An entry without an updated time uses its published time, in UTC.
	if got, want := got.Entries[1].Updated, "2026-11-10T10:00:00Z"; got != want {
		t.Errorf("second entry updated = %q, want %q", got, want)
	}
}

func TestAtomEscapesMarkup(t *testing.T) {
	t.Parallel()
	body, err := sampleFeed().Atom()
	if err != nil {
		t.Fatalf("Atom() error: %v", err)
	}
	s := string(body)
	for _, raw := range []string{"<script>", "<p>", "<em>", "<SSR>", "a < b", "&& c"} {
		if strings.Contains(s, raw) {
			t.Errorf("feed holds unescaped %q:\n%s", raw, s)
		}
	}
	if !strings.Contains(s, "&lt;p&gt;Hello &lt;em&gt;ISR&lt;/em&gt; &amp;amp;") {
		t.Errorf("feed content is not escaped HTML:\n%s", s)
	}
}

func TestAtomKeepsEntryOrder(t *testing.T) {
	t.Parallel()
	f := sampleFeed()
	body, err := f.Atom()
	if err != nil {
		t.Fatalf("Atom() error: %v", err)
	}
	var got parsedFeed
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("parse feed: %v", err)
	}
	for i, e := range got.Entries {
		if e.ID != f.Entries[i].URL {
			t.Errorf("entry %d id = %q, want %q (newest first, as given)", i, e.ID, f.Entries[i].URL)
		}
	}
}

func TestAtomUpdatedDefaultsToLatestEntry(t *testing.T) {
	t.Parallel()
	f := sampleFeed()
	f.Updated = time.Time{}
	body, err := f.Atom()
	if err != nil {
		t.Fatalf("Atom() error: %v", err)
	}
	var got parsedFeed
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("parse feed: %v", err)
	}
	if want := "2026-11-22T09:30:00Z"; got.Updated != want {
		t.Errorf("feed updated = %q, want %q", got.Updated, want)
	}
}

func TestAtomIsDeterministic(t *testing.T) {
	t.Parallel()
	a, errA := sampleFeed().Atom()
	b, errB := sampleFeed().Atom()
	if errA != nil || errB != nil {
		t.Fatalf("Atom() errors: %v, %v", errA, errB)
	}
	if string(a) != string(b) {
		t.Errorf("two calls with the same feed gave different bytes")
	}
}

func TestAtomRefusesMissingRequiredValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*Feed)
		wantErr string
	}{
		{"a feed without a title", func(f *Feed) { f.Title = "" }, "atom feed: title is empty"},
		{"a feed without a base URL", func(f *Feed) { f.BaseURL = "" }, "atom feed: base URL is empty"},
		{"an entry without a URL", func(f *Feed) { f.Entries[1].URL = "" }, `atom feed: entry 2 (""): URL is empty`},
		{"an entry without a title", func(f *Feed) { f.Entries[0].Title = "" }, "entry 1 (\"https://example.com/articles/rendering/isr\"): title is empty"},
		{"an entry without any time", func(f *Feed) { f.Entries[1].Published = time.Time{} }, "entry 2 (\"https://example.com/articles/rendering/ssg\"): no updated or published time"},
		{"an empty feed without a time", func(f *Feed) { f.Entries = nil; f.Updated = time.Time{} }, "atom feed: no updated time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := sampleFeed()
			tt.edit(&f)
			_, err := f.Atom()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Atom() error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
