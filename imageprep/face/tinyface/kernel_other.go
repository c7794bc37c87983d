//go:build !amd64 || purego

package tinyface

// Without the amd64 kernel every matrix product takes the Go loops.
const haveDot4x8 = false

func dot4x8(a0, a1, a2, a3, w *float32, ldw, n int, bias *float32, act int, o0, o1, o2, o3 *float32) {
	panic("tinyface: dot4x8 without its assembly")
}

func fmaRows(acc, src, k *float32, c, n int) {
	panic("tinyface: fmaRows without its assembly")
}

const haveMax4 = false

func max4(dst, a, b, d, e *float32, n int) {
	panic("tinyface: max4 without its assembly")
}
