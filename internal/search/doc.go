// Package search owns an in-memory full-text index over plain documents and
// ranked results for a query. It knows nothing of HTTP, HTML templates or where
// the documents came from: callers pass [Doc] values (using [PlainText] to turn
// rendered HTML into text) and get [Result] values whose snippets are plain
// [Fragment] text for the caller to escape.
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
// # Scoring
//
// Each field is scored with BM25 (k1 = 1.2) and the field scores are added with
// weights: title ×5, headings ×3, tags ×3, body ×1. Because BM25 saturates at
// k1+1 times the word's IDF, one title match outweighs any number of body
// matches of the same word (unless the title is over five times the average
// title length). Words reached only through a prefix count half.
// Equal scores are ordered by ID, then by position in the input, so results
// are deterministic.
//
// # Snippets
//
// A result's snippet is the 30-word window of the body that covers the most
// distinct query words (then the most matches, then the earliest), centred on
// its matches. Matched tokens keep the body's original casing and are marked;
// an ellipsis fragment marks each end that cuts the body.
package search
