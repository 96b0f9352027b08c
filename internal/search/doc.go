// Package search owns an in-memory full-text index over plain documents and
// ranked results for a query. It knows nothing of HTTP, HTML templates or where
// the documents came from: callers pass [Doc] values (using [ExtractText] to
// turn rendered HTML into prose and code) and get [Result] values whose
// snippets are plain [Fragment] text for the caller to escape.
//
// # Text
//
// [ExtractText] keeps what a reader reads: the renderer's heading anchors
// ("#", "¶"), footnote marks, aria-hidden content, buttons, scripts and styles
// are dropped, and the content of pre blocks is returned apart, as code. [New]
// removes directives — Hugo-style shortcode markers {{< … >}} and {{% … %}},
// template actions {{ … }} and Liquid tags {% … %} — from every field, so they
// are never found and never shown; the text between a pair of markers stays.
//
// An [Index] is built once by [New] and never changes, so one index may serve
// any number of concurrent searches. Reloading content means building a new
// index.
//
// # Tokens
//
// Text is split into runs of Unicode letters and digits. Each token is
// lowercased and folded: nonspacing marks are dropped (so a decomposed "e" plus
// U+0301 matches "e") and the precomposed Latin letters of Latin-1 and
// Latin Extended-A lose their diacritics ("café" → "cafe", "ß" → "ss").
// A possessive "'s" is dropped. All-ASCII words then go through a small,
// conservative English stemmer (plurals, -ing, -ed, -ly, -ation and a final
// -e), so "streams" and "stream", "rendering" and "render", "cache" and
// "caching" meet. Scripts written without spaces are not segmented.
//
// # Queries
//
// A query is trimmed and cut to 1,000 characters and 16 words. Every word must
// match somewhere in a document (AND). Words inside double quotes form a
// phrase that must appear as consecutive tokens of one field. The last word,
// when it is not quoted and has at least two characters, also matches as a
// prefix of indexed words ("rend" finds "render" and "rendering"), so results
// can follow typing; a prefix reaches at most the 50 most common words that
// start with it. A query without letters or digits has no results.
//
// A word of four letters or more that is not quoted, and is not a last word
// already reaching words as a prefix, also matches indexed words one edit away
// (two from eight letters) that are at least ten times as common as it is:
// every near word for a word no document has, so "garbge collector" finds the
// garbage collector. See fuzzy.go for the rule and the method.
//
// # Scoring
//
// Each field is scored with BM25 (k1 = 1.2) and the field scores are added with
// weights: title ×5, headings ×3, tags ×3, body ×1. Because BM25 saturates at
// k1+1 times the word's IDF, one title match outweighs any number of body
// matches of the same word (unless the title is over five times the average
// title length). Code counts ×0.5. Words reached only through a prefix count
// half, words reached through one typo 0.3 and through two 0.15, so an exact
// match outranks a fuzzy one.
// Equal scores are ordered by ID, then by position in the input, so results
// are deterministic.
//
// # Snippets
//
// A result's snippet is the 30-word window of the body that covers the most
// distinct query words (then the most matches, then the earliest), centred on
// its matches. It is cut from the code only when the body has no match and
// the code has one. Matched tokens keep the body's original casing and are marked;
// an ellipsis fragment marks each end that cuts the body.
package search
