// Command baseline is the floor the load test compares Renderwise with: a
// bare net/http server that writes one prebuilt, precompressed page from
// memory. It fetches that page once from a running server (-from), so both
// send the same bytes. With -headers it also sends every response header
// that server sent (Cache-Control, ETag, the security headers …, each as it
// was on that one response), so the two write the same bytes on the wire
// too (DESIGN.md §6).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "address to listen on")
	from := flag.String("from", "", "URL of the page to serve, fetched once with Accept-Encoding: gzip")
	headers := flag.Bool("headers", false, "send every header the page was fetched with, not only Content-Type and Content-Encoding")
	flag.Parse()
	if *from == "" {
		fmt.Fprintln(os.Stderr, "baseline: -from URL is required")
		os.Exit(2)
	}
	req, _ := http.NewRequest(http.MethodGet, *from, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	replay := http.Header{"Content-Type": resp.Header["Content-Type"]}
	if enc := resp.Header["Content-Encoding"]; enc != nil {
		replay["Content-Encoding"] = enc
	}
	if *headers {
		replay = resp.Header.Clone()
		delete(replay, "Date") // net/http writes its own
		delete(replay, "Content-Length")
	}
	log.Printf("serving %d bytes with %d headers on %s", len(body), len(replay), *addr)
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range replay {
			h[k] = v
		}
		w.Write(body)
	})))
}
