package images

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// svgHeadLimit bounds how far into an SVG file the root element is looked
// for. A prolog (XML declaration, comments, DOCTYPE) longer than this is
// refused rather than read to the end.
const svgHeadLimit = 64 << 10

// maxSVGSide bounds a width or height read from an SVG, so that a hostile
// value cannot overflow the arithmetic of whoever uses it.
const maxSVGSide = 1 << 20

// svgSize finds the root element of an SVG document in r and returns the
// size it declares: the width and height attributes when both are absolute
// lengths; one of them and the other from the viewBox's aspect ratio; else
// the viewBox's width and height; else 0, 0.
func svgSize(r io.Reader) (w, h int, err error) {
	d := xml.NewDecoder(r)
	// Not strict: SVG from drawing programs often uses entities declared in
	// an internal DOCTYPE subset, which encoding/xml does not expand.
	d.Strict = false
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) {
		// The attributes read here are ASCII in every ASCII-compatible
		// encoding, so any declared charset is read as it is.
		return in, nil
	}
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, 0, errors.New("no root element in the first 64 KiB")
			}
			return 0, 0, err
		}
		switch t := tok.(type) {
		case xml.ProcInst, xml.Comment, xml.Directive:
			continue
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return 0, 0, errors.New("text before the root element")
			}
		case xml.StartElement:
			if t.Name.Local != "svg" {
				return 0, 0, fmt.Errorf("root element is <%s>, not <svg>", t.Name.Local)
			}
			w, h := svgAttrSize(t.Attr)
			return w, h, nil
		default:
			return 0, 0, fmt.Errorf("unexpected %T before the root element", tok)
		}
	}
}

// svgAttrSize combines the width, height and viewBox attributes.
func svgAttrSize(attrs []xml.Attr) (w, h int) {
	var width, height, vbw, vbh float64
	for _, a := range attrs {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "width":
			width = svgLength(a.Value)
		case "height":
			height = svgLength(a.Value)
		case "viewBox":
			vbw, vbh = svgViewBox(a.Value)
		}
	}
	switch {
	case width > 0 && height > 0:
	case width > 0 && vbw > 0:
		height = width * vbh / vbw
	case height > 0 && vbh > 0:
		width = height * vbw / vbh
	default:
		width, height = vbw, vbh
	}
	return svgPixels(width), svgPixels(height)
}

// svgUnits are the absolute CSS units in CSS pixels. Relative units (%, em,
// ex…) say nothing about the intrinsic size and are ignored.
var svgUnits = map[string]float64{
	"": 1, "px": 1, "pt": 96.0 / 72, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4,
}

// svgLength parses an SVG length attribute into CSS pixels, or returns 0.
func svgLength(s string) float64 {
	s = strings.TrimSpace(s)
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) + 1
	unit, ok := svgUnits[strings.ToLower(s[i:])]
	if !ok {
		return 0
	}
	return positive(s[:i]) * unit
}

// svgViewBox returns the width and height of a viewBox="x y w h" value,
// or 0, 0.
func svgViewBox(s string) (w, h float64) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	if len(f) != 4 {
		return 0, 0
	}
	w, h = positive(f[2]), positive(f[3])
	if w == 0 || h == 0 {
		return 0, 0
	}
	return w, h
}

// positive parses a finite number greater than 0, or returns 0.
func positive(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0
	}
	return v
}

// svgPixels rounds a length to whole pixels, or 0 when it is out of range.
func svgPixels(v float64) int {
	if !(v > 0) || v > maxSVGSide {
		return 0
	}
	return max(1, int(math.Round(v)))
}
