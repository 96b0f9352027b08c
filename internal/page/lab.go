package page

import (
	"fmt"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/web"
)

// LabTarget is an article the delivery lab fetches: the one that explains
// a mode, served in that mode.
type LabTarget struct {
	Mode content.Mode
	Path string
}

// LabTargets returns the lab's articles that site has, in the order the
// course teaches the modes.
func LabTargets(site *content.Site) []LabTarget {
	var out []LabTarget
	for _, m := range []content.Mode{content.SSG, content.ISR, content.SSR, content.PPR} {
		if a, ok := site.Article(explain[m]); ok && !a.Draft && a.Render == m {
			out = append(out, LabTarget{Mode: m, Path: a.Path})
		}
	}
	return out
}

// LabURL is the address the lab fetches for a target: the simulated data
// source's delay goes to the modes that render for the request.
func LabURL(t LabTarget, delay time.Duration) string {
	if delay > 0 && (t.Mode == content.SSR || t.Mode == content.PPR) {
		return t.Path + "?delay=" + strconv.FormatInt(delay.Milliseconds(), 10)
	}
	return t.Path
}

// Lab is what the server measured for one request of /lab.
type Lab struct {
	Delay   time.Duration
	Results []LabResult
}

// LabResult is one fetch of the lab, as the server saw it.
type LabResult struct {
	Target       LabTarget
	URL          string
	Status       int
	Cache        string // X-Cache
	Age          string
	ServerTiming string
	FirstByte    time.Duration
	Total        time.Duration
	Bytes        int
}

func (b *Builder) labPage(site *content.Site, lab *Lab, d web.Delivery) templ.Component {
	m := b.meta(site, "Delivery lab", "One article in every rendering mode, fetched side by side: status, cache, time to first byte and total time.", "/lab", d)
	m.Nav = "/lab"
	m.NoIndex = true // the figures are this request's
	m.Scripts = append(m.Scripts, b.assets.URL("lab.js"))
	v := web.LabView{Meta: m}
	if lab == nil {
		lab = &Lab{}
	}
	v.DelayMS = int(lab.Delay.Milliseconds())
	v.MaxDelayMS = int(MaxDelay.Milliseconds())
	for _, r := range lab.Results {
		row := web.LabRow{
			Mode: string(r.Target.Mode), Article: r.Target.Path, URL: r.URL,
			Status: strconv.Itoa(r.Status), Cache: dash(r.Cache), Age: dash(r.Age), Timing: dash(r.ServerTiming),
			FirstByte: formatDuration(r.FirstByte), Total: formatDuration(r.Total), Size: fmt.Sprintf("%.1f KB", float64(r.Bytes)/1000),
		}
		v.Rows = append(v.Rows, row)
	}
	return web.LabPage(v)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
