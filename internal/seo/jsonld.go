package seo

import "time"

// schemaContext is the @context of every top-level JSON-LD value.
const schemaContext = "https://schema.org"

// ArticleLD holds the plain values that describe one article for JSON-LD.
type ArticleLD struct {
	// Headline is the article title.
	Headline string
	// Description is the one- or two-sentence summary from front matter.
	Description string
	// URL is the article's absolute canonical URL.
	URL string
	// Image is the absolute URL of the article's social image; empty omits it.
	Image string
	// Published and Modified are the article's dates; a zero Modified means
	// Published, and a zero Published omits both.
	Published, Modified time.Time
	// Keywords are the article's tags, in order.
	Keywords []string
	// SiteName and SiteURL name the organization that is both author and
	// publisher.
	SiteName, SiteURL string
	// SiteLogo is the absolute URL of the site's logo; empty omits it.
	SiteLogo string
}

// ArticleSchema is a schema.org Article, ready for [encoding/json.Marshal].
// Here and in the other …Schema types, each field is the schema.org property
// named by its json tag.
type ArticleSchema struct {
	Context          string             `json:"@context"`
	Type             string             `json:"@type"`
	Headline         string             `json:"headline"`
	Description      string             `json:"description,omitempty"`
	DatePublished    string             `json:"datePublished,omitempty"`
	DateModified     string             `json:"dateModified,omitempty"`
	Image            string             `json:"image,omitempty"`
	URL              string             `json:"url"`
	MainEntityOfPage WebPageSchema      `json:"mainEntityOfPage"`
	Author           OrganizationSchema `json:"author"`
	Publisher        OrganizationSchema `json:"publisher"`
	Keywords         []string           `json:"keywords,omitempty"`
}

// WebPageSchema is a schema.org WebPage referred to by its URL as @id.
type WebPageSchema struct {
	Type string `json:"@type"`
	ID   string `json:"@id"`
}

// OrganizationSchema is a schema.org Organization: the site itself.
type OrganizationSchema struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
	Logo string `json:"logo,omitempty"`
}

// Article returns the schema.org Article for a. Dates are written in UTC in
// RFC 3339 form; the site is both author and publisher.
func Article(a ArticleLD) ArticleSchema {
	site := OrganizationSchema{Type: "Organization", Name: a.SiteName, URL: a.SiteURL, Logo: a.SiteLogo}
	out := ArticleSchema{
		Context:          schemaContext,
		Type:             "Article",
		Headline:         a.Headline,
		Description:      a.Description,
		Image:            a.Image,
		URL:              a.URL,
		MainEntityOfPage: WebPageSchema{Type: "WebPage", ID: a.URL},
		Author:           site,
		Publisher:        site,
		Keywords:         a.Keywords,
	}
	if !a.Published.IsZero() {
		out.DatePublished = formatTime(a.Published)
		modified := a.Modified
		if modified.IsZero() {
			modified = a.Published
		}
		out.DateModified = formatTime(modified)
	}
	return out
}

// Crumb is one step of a breadcrumb trail: a name and its absolute URL.
type Crumb struct {
	Name string
	URL  string
}

// BreadcrumbListSchema is a schema.org BreadcrumbList, ready for
// [encoding/json.Marshal].
type BreadcrumbListSchema struct {
	Context         string           `json:"@context"`
	Type            string           `json:"@type"`
	ItemListElement []ListItemSchema `json:"itemListElement"`
}

// ListItemSchema is one schema.org ListItem of a breadcrumb trail.
type ListItemSchema struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// Breadcrumbs returns the schema.org BreadcrumbList for crumbs, from the home
// page down to the current page; positions start at 1. A crumb with an empty
// URL (usually the current page) is written without an item.
func Breadcrumbs(crumbs []Crumb) BreadcrumbListSchema {
	out := BreadcrumbListSchema{
		Context:         schemaContext,
		Type:            "BreadcrumbList",
		ItemListElement: make([]ListItemSchema, len(crumbs)),
	}
	for i, c := range crumbs {
		out.ItemListElement[i] = ListItemSchema{Type: "ListItem", Position: i + 1, Name: c.Name, Item: c.URL}
	}
	return out
}

// WebSiteSchema is a schema.org WebSite with its search action, ready for
// [encoding/json.Marshal].
type WebSiteSchema struct {
	Context         string             `json:"@context"`
	Type            string             `json:"@type"`
	Name            string             `json:"name"`
	URL             string             `json:"url"`
	PotentialAction SearchActionSchema `json:"potentialAction"`
}

// SearchActionSchema is a schema.org SearchAction: how to search the site.
type SearchActionSchema struct {
	Type       string `json:"@type"`
	Target     string `json:"target"`
	QueryInput string `json:"query-input"`
}

// searchTerm is the placeholder named in both the target and query-input
// of the search action.
const searchTerm = "search_term_string"

// WebSite returns the schema.org WebSite for the site named name at baseURL,
// with a SearchAction whose target is <base>/search?q={search_term_string}.
func WebSite(name, baseURL string) WebSiteSchema {
	return WebSiteSchema{
		Context: schemaContext,
		Type:    "WebSite",
		Name:    name,
		URL:     Canonical(baseURL, "/"),
		PotentialAction: SearchActionSchema{
			Type:       "SearchAction",
			Target:     Canonical(baseURL, "/search") + "?q={" + searchTerm + "}",
			QueryInput: "required name=" + searchTerm,
		},
	}
}
