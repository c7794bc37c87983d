//go:build !amd64 || purego

package imageprep

// Without the amd64 kernels resamplePlanes takes its Go loops.
const haveResampleAsm = false

func vsumRows8(rows **int16, w *int32, k, n int, dst *uint8, round, shift int) {
	panic("imageprep: vsumRows8 without its assembly")
}

func hdot8(row *uint8, offs *int32, w *int16, n int, out *int16) {
	panic("imageprep: hdot8 without its assembly")
}

func addRowU8(acc *int32, src *uint8, n int) {
	panic("imageprep: addRowU8 without its assembly")
}
