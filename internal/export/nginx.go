package export

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Files written for deploy/nginx.conf, in a hidden folder of the export.
const (
	// NginxPagesMap lists every page file with how it is delivered, as
	// entries of an nginx map: "/articles/x/index.html" ssg; or isr-30.
	NginxPagesMap = ".nginx/pages.map"
	// NginxServerConf holds the locations the export cannot answer as
	// files: SSR pages (passed to the server) and aliases (301).
	NginxServerConf = ".nginx/server.conf"
)

// nginxFiles returns the files deploy/nginx.conf includes: the delivery of
// each page, so nginx can send the Cache-Control and X-Render-Mode of
// DESIGN.md §4, and the locations of SSR pages and aliases.
func nginxFiles(m *manifest, site *content.Site) map[string][]byte {
	var pages bytes.Buffer
	pages.WriteString("# Written by renderwise build for deploy/nginx.conf: how each page file is delivered.\n")
	for _, o := range m.Outputs {
		var v string
		switch {
		case o.Kind == kindNotFound:
			v = "notfound"
		case o.Kind != kindPage && o.Kind != kindImage:
			continue
		case o.Mode == content.ISR:
			v = "isr-" + strconv.Itoa(int(o.Revalidate.Seconds()))
		default:
			v = "ssg"
		}
		fmt.Fprintf(&pages, "%q %s;\n", "/"+o.File, v)
	}
	for _, route := range m.NeedsServer {
		if route != "/search" { // deploy/nginx.conf maps it itself
			fmt.Fprintf(&pages, "%q server;\n", route)
		}
	}
	var server bytes.Buffer
	server.WriteString("# Written by renderwise build for deploy/nginx.conf: what the export cannot answer as files.\n")
	for _, route := range m.NeedsServer {
		if route == "/search" {
			continue // deploy/nginx.conf passes it on itself
		}
		fmt.Fprintf(&server, "location = %s { proxy_pass http://renderwise; }\n", route)
	}
	for _, a := range site.All() {
		if a.Draft {
			continue
		}
		for _, al := range a.Aliases {
			fmt.Fprintf(&server, "location = %s { return 301 %s; }\n", nginxLocation(al), a.Path)
		}
	}
	for _, rt := range page.Routes(site) {
		if rt.Part == 1 && rt.Paginated(site) { // as the server answers …/page/1
			first := strings.TrimSuffix(rt.Path, "/") + "/page/1"
			fmt.Fprintf(&server, "location = %s { return 301 %s; }\n", nginxLocation(first), rt.Path)
		}
	}
	return map[string][]byte{NginxPagesMap: pages.Bytes(), NginxServerConf: server.Bytes()}
}

// nginxLocation writes an alias as an nginx location. Old file names may
// hold spaces ("/articles/My Post"), which end an unquoted nginx word, so
// such a path is quoted; content.Site never has an alias with a double
// quote or a backslash, so nothing inside needs escaping.
func nginxLocation(p string) string {
	if strings.ContainsAny(p, " ;{}'") {
		return `"` + p + `"`
	}
	return p
}
