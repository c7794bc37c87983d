//go:build amd64 && !purego

package imageprep

import "golang.org/x/sys/cpu"

// vsumRows8 and hdot8 are in resample_amd64.s (AVX2): the vertical and
// horizontal passes of resamplePlanes, eight outputs or eight taps at a
// time, with the Go loops' exact integer results.
//
//go:noescape
func vsumRows8(rows **int16, w *int32, k, n int, dst *uint8, round, shift int)

//go:noescape
func hdot8(row *uint8, offs *int32, w *int16, n int, out *int16)

// addRowU8 is in resample_amd64.s (AVX2): acc[i] += src[i] for i < n, n
// a multiple of 8 (shrinkYCbCr's row sums).
//
//go:noescape
func addRowU8(acc *int32, src *uint8, n int)

// haveResampleAsm says whether this CPU runs vsumRows8, hdot8 and
// addRowU8.
var haveResampleAsm = cpu.X86.HasAVX2
