// Command imageflood writes the PNG that scripts/image-flood.sh sends to
// /_img: a 16-bit RGBA image of one colour, so the file is small while its
// decoded pixels are large (8 bytes each).
//
//	go run ./scripts/imageflood WIDTH HEIGHT FILE
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "imageflood:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: imageflood WIDTH HEIGHT FILE")
	}
	w, err := strconv.Atoi(args[0])
	if err != nil {
		return err
	}
	h, err := strconv.Atoi(args[1])
	if err != nil {
		return err
	}
	m := image.NewNRGBA64(image.Rect(0, 0, w, h))
	c := color.NRGBA64{R: 0x1234, G: 0x5678, B: 0x9abc, A: 0xffff}
	for y := range h {
		for x := range w {
			m.SetNRGBA64(x, y, c)
		}
	}
	f, err := os.Create(args[2])
	if err != nil {
		return err
	}
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, m); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
