package graphics

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"image"
	"image/jpeg"
	"strconv"
	"strings"
)

// kittyChunk is the most base64 the kitty protocol takes per escape.
const kittyChunk = 4096

// KittyTransmit is the escapes that send img to a kitty-protocol
// terminal under image id, as zlib-compressed RGB in 4096-byte chunks,
// each passed through tmux when inTmux. With virtual set it also makes a
// virtual placement cols x rows cells big for Unicode placeholders to
// show (kitty 0.28+); without, the image is only stored, for
// KittyPlace. q=2: the terminal answers nothing.
func KittyTransmit(img *image.NRGBA, id uint32, cols, rows int, virtual bool, inTmux bool) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	raw := make([]byte, 0, w*h*3)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		o := img.PixOffset(b.Min.X, y)
		for x := 0; x < w; x++ {
			raw = append(raw, img.Pix[o+4*x], img.Pix[o+4*x+1], img.Pix[o+4*x+2])
		}
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zw.Write(raw)
	zw.Close()
	data := base64.StdEncoding.EncodeToString(z.Bytes())

	keys := "a=t"
	if virtual {
		keys = "a=T,U=1,c=" + strconv.Itoa(cols) + ",r=" + strconv.Itoa(rows)
	}
	keys += ",q=2,f=24,o=z,i=" + strconv.FormatUint(uint64(id), 10) + ",s=" + strconv.Itoa(w) + ",v=" + strconv.Itoa(h)
	var out strings.Builder
	for first := true; first || len(data) > 0; first = false {
		n := min(kittyChunk, len(data))
		part := data[:n]
		data = data[n:]
		more := "0"
		if len(data) > 0 {
			more = "1"
		}
		head := "m=" + more
		if first {
			head = keys + "," + head
		} else {
			head = "q=2," + head
		}
		out.WriteString(Wrap("\x1b_G"+head+";"+part+"\x1b\\", inTmux))
	}
	return []byte(out.String())
}

// KittyPlace shows stored image id at the cursor, cols x rows cells, the
// cursor left where it was (C=1): the direct placement older kittys and
// WezTerm take instead of placeholders.
func KittyPlace(id uint32, cols, rows int, inTmux bool) []byte {
	return []byte(Wrap("\x1b_Ga=p,q=2,C=1,p=1,i="+strconv.FormatUint(uint64(id), 10)+
		",c="+strconv.Itoa(cols)+",r="+strconv.Itoa(rows)+"\x1b\\", inTmux))
}

// KittyUnplace removes KittyPlace's placement of id, keeping the image
// stored.
func KittyUnplace(id uint32, inTmux bool) []byte {
	return []byte(Wrap("\x1b_Ga=d,d=i,q=2,p=1,i="+strconv.FormatUint(uint64(id), 10)+"\x1b\\", inTmux))
}

// KittyDeleteAll frees every image this program stored (sent on exit).
func KittyDeleteAll(inTmux bool) []byte {
	return []byte(Wrap("\x1b_Ga=d,d=A,q=2\x1b\\", inTmux))
}

// placeholder is the kitty Unicode placeholder character.
const placeholder = '\U0010EEEE'

// KittyPlaceholders is the cells that show image id (1..255, carried in
// the 256-colour foreground so it crosses tmux) cols x rows big: each
// cell is the placeholder with its row and column diacritics. Lines end
// with a reset.
func KittyPlaceholders(id uint32, cols, rows int) []string {
	cols, rows = min(cols, len(diacritics)), min(rows, len(diacritics))
	lines := make([]string, rows)
	fg := "\x1b[38;5;" + strconv.FormatUint(uint64(id&0xff), 10) + "m"
	var sb strings.Builder
	for r := 0; r < rows; r++ {
		sb.Reset()
		sb.WriteString(fg)
		for c := 0; c < cols; c++ {
			sb.WriteRune(placeholder)
			sb.WriteRune(diacritics[r])
			sb.WriteRune(diacritics[c])
		}
		sb.WriteString("\x1b[0m")
		lines[r] = sb.String()
	}
	return lines
}

// EncodeITerm is iTerm2's inline image escape for img, stretched to
// cols x rows cells, as a JPEG (quality 90).
func EncodeITerm(img *image.NRGBA, cols, rows int, inTmux bool) []byte {
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	seq := "\x1b]1337;File=inline=1;size=" + strconv.Itoa(buf.Len()) + ";width=" + strconv.Itoa(cols) +
		";height=" + strconv.Itoa(rows) + ";preserveAspectRatio=0:" + base64.StdEncoding.EncodeToString(buf.Bytes()) + "\a"
	return []byte(Wrap(seq, inTmux))
}

// diacritics are the combining marks kitty reads as placeholder row and
// column numbers (kitty's gen/rowcolumn-diacritics.txt, in order; the
// first 128 are enough for any preview here).
var diacritics = []rune{
	0x0305, 0x030D, 0x030E, 0x0310, 0x0312, 0x033D, 0x033E, 0x033F, 0x0346, 0x034A,
	0x034B, 0x034C, 0x0350, 0x0351, 0x0352, 0x0357, 0x035B, 0x0363, 0x0364, 0x0365,
	0x0366, 0x0367, 0x0368, 0x0369, 0x036A, 0x036B, 0x036C, 0x036D, 0x036E, 0x036F,
	0x0483, 0x0484, 0x0485, 0x0486, 0x0487, 0x0592, 0x0593, 0x0594, 0x0595, 0x0597,
	0x0598, 0x0599, 0x059C, 0x059D, 0x059E, 0x059F, 0x05A0, 0x05A1, 0x05A8, 0x05A9,
	0x05AB, 0x05AC, 0x05AF, 0x05C4, 0x0610, 0x0611, 0x0612, 0x0613, 0x0614, 0x0615,
	0x0616, 0x0617, 0x0657, 0x0658, 0x0659, 0x065A, 0x065B, 0x065D, 0x065E, 0x06D6,
	0x06D7, 0x06D8, 0x06D9, 0x06DA, 0x06DB, 0x06DC, 0x06DF, 0x06E0, 0x06E1, 0x06E2,
	0x06E4, 0x06E7, 0x06E8, 0x06EB, 0x06EC, 0x0730, 0x0732, 0x0733, 0x0735, 0x0736,
	0x073A, 0x073D, 0x073F, 0x0740, 0x0741, 0x0743, 0x0745, 0x0747, 0x0749, 0x074A,
	0x07EB, 0x07EC, 0x07ED, 0x07EE, 0x07EF, 0x07F0, 0x07F1, 0x07F3, 0x0816, 0x0817,
	0x0818, 0x0819, 0x081B, 0x081C, 0x081D, 0x081E, 0x081F, 0x0820, 0x0821, 0x0822,
	0x0823, 0x0825, 0x0826, 0x0827, 0x0829, 0x082A, 0x082B, 0x082C,
}
