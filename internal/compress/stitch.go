package compress

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
)

// A page made of a static shell and holes rendered per request (partial
// prerendering, DESIGN.md §7) is sent as one gzip member (RFC 1952) whose
// deflate stream is stitched together: the shell's pieces were compressed
// once, the holes are compressed as they are rendered, and nothing is
// compressed twice. A piece is raw deflate compressed on its own (no
// reference reaches outside it) and ended by a sync flush, so it is
// byte-aligned and not final; pieces in a row are one valid deflate stream,
// which a final empty block closes. The CRC-32 of the whole is combined
// from the pieces' own (zlib's crc32_combine), so the shell's bytes are not
// read again per request.

// Piece is a part of a body, compressed once to be stitched into gzip
// bodies by a [Stitcher].
type Piece struct {
	Plain   []byte // the bytes of the part
	Deflate []byte // raw deflate, sync-flushed, not final
	crc     uint32
	shift   uint32 // x^(8·len(Plain)) mod P, for combining CRCs
}

// NewPiece compresses plain at [GzipLevel] as a piece.
func NewPiece(plain []byte) Piece {
	var b bytes.Buffer
	b.Grow(len(plain)/3 + 16)
	fw, _ := flate.NewWriter(&b, GzipLevel) // the level is valid
	fw.Write(plain)
	fw.Flush()
	return Piece{Plain: plain, Deflate: b.Bytes(), crc: crc32.ChecksumIEEE(plain), shift: crcShift(int64(len(plain)))}
}

// Stitcher writes one gzip member made of precompressed pieces and of
// bytes compressed as they come. [Stitcher.Flush] ends what was written so
// far and sends it; Close ends the member. It is not safe for concurrent
// use.
//
// What is written between pieces (a hole) is gathered and, at the next
// piece or flush, stored as it is when it is under storeBelow bytes, and
// compressed at the fastest level otherwise. A hole is a sentence or two:
// deflating 300 bytes cost 15–20 µs (building Huffman tables for so little
// data), half of a whole PPR request in BenchmarkServePPR, to save about
// 150 bytes on the wire.
type Stitcher struct {
	w    io.Writer
	dyn  []byte // written since the last piece or flush
	crc  uint32
	size int64
	err  error
}

// storeBelow is the size under which a hole is stored, not compressed.
const storeBelow = 4 << 10

// gzipHeader is a gzip member header: deflate, no name, no time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

var dynamicWriters = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
	return fw
}}

// NewStitcher starts a gzip member on w.
func NewStitcher(w io.Writer) *Stitcher {
	s := &Stitcher{w: w}
	_, s.err = w.Write(gzipHeader)
	return s
}

// Piece writes a precompressed piece.
func (s *Stitcher) Piece(p Piece) error {
	if err := s.flushDynamic(); err != nil {
		return err
	}
	_, s.err = s.w.Write(p.Deflate)
	s.crc = crcCombine(s.crc, p.crc, p.shift)
	s.size += int64(len(p.Plain))
	return s.err
}

// Write takes b (a hole rendered for this request).
func (s *Stitcher) Write(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.dyn = append(s.dyn, b...)
	return len(b), nil
}

// Flush ends the bytes written since the last piece or flush as a piece of
// their own and passes everything on to w (so a streamed response can flush
// it to the client).
func (s *Stitcher) Flush() error { return s.flushDynamic() }

// flushDynamic writes the gathered bytes as deflate blocks that end
// byte-aligned and not final, as a piece does: stored blocks for a small
// hole, a sync-flushed compressed stream (which the next piece must not
// refer back into: each starts afresh) otherwise.
func (s *Stitcher) flushDynamic() error {
	if len(s.dyn) == 0 || s.err != nil {
		return s.err
	}
	b := s.dyn
	s.crc = crc32.Update(s.crc, crc32.IEEETable, b) // the CRC so far, carried on over b
	s.size += int64(len(b))
	s.dyn = s.dyn[:0]
	if len(b) < storeBelow {
		// A stored block: BFINAL 0, BTYPE 00, then LEN and NLEN. The
		// stream is byte-aligned here (after the header or a sync flush).
		hdr := [5]byte{0, byte(len(b)), byte(len(b) >> 8), ^byte(len(b)), ^byte(len(b) >> 8)}
		if _, s.err = s.w.Write(hdr[:]); s.err == nil {
			_, s.err = s.w.Write(b)
		}
		return s.err
	}
	fw := dynamicWriters.Get().(*flate.Writer)
	defer dynamicWriters.Put(fw)
	fw.Reset(s.w)
	if _, s.err = fw.Write(b); s.err == nil {
		s.err = fw.Flush()
	}
	return s.err
}

// Close ends the deflate stream with a final empty block and writes the
// gzip trailer (CRC-32 and size of everything written).
func (s *Stitcher) Close() error {
	if err := s.flushDynamic(); err != nil {
		return err
	}
	if s.err != nil {
		return s.err
	}
	trailer := []byte{0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0} // a final empty fixed-Huffman block
	binary.LittleEndian.PutUint32(trailer[2:], s.crc)
	binary.LittleEndian.PutUint32(trailer[6:], uint32(s.size))
	_, s.err = s.w.Write(trailer)
	return s.err
}

// CRC-32 (IEEE, reflected) combination, after zlib's crc32_combine_gen and
// crc32_combine_op: crc(A‖B) = crc(A)·x^(8·len B) mod P ⊕ crc(B).

const crcPoly = 0xedb88320

// multModP returns a·b modulo the CRC polynomial (bit-reflected).
func multModP(a, b uint32) uint32 {
	m := uint32(1) << 31
	var p uint32
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// x2n[k] is x^(2^k) modulo the polynomial.
var x2n = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	t[0] = p
	for k := 1; k < 32; k++ {
		p = multModP(p, p)
		t[k] = p
	}
	return t
}()

// crcShift returns x^(8·n) modulo the polynomial.
func crcShift(n int64) uint32 {
	p := uint32(1) << 31 // x^0
	for k := 3; n != 0; k++ {
		if n&1 != 0 {
			p = multModP(x2n[k&31], p)
		}
		n >>= 1
	}
	return p
}

// crcCombine returns the CRC of A‖B from crc(A), crc(B) and B's shift.
func crcCombine(crcA, crcB, shiftB uint32) uint32 { return multModP(shiftB, crcA) ^ crcB }
