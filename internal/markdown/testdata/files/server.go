package main

import "net/http"

func main() {
	// begin handler
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello"))
	})
	// end handler
	http.ListenAndServe(":8080", nil)
}
