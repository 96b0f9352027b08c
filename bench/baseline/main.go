// Command baseline is the floor the load test compares Renderwise with: a
// bare net/http server that writes one prebuilt, precompressed page from
// memory. It fetches that page once from a running server (-from), so both
// send the same bytes.
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
	ctype, enc := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding")
	log.Printf("serving %d bytes (%s, %s) on %s", len(body), ctype, enc, *addr)
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", ctype)
		if enc != "" {
			h.Set("Content-Encoding", enc)
		}
		w.Write(body)
	})))
}
