//go:build amd64 && !purego

package tinyface

import "golang.org/x/sys/cpu"

// dot4x8 is in kernel_amd64.s (AVX2 and FMA).
//
//go:noescape
func dot4x8(a0, a1, a2, a3, w *float32, ldw, n int, bias *float32, act int, o0, o1, o2, o3 *float32)

// fmaRows is in kernel_amd64.s (AVX2 and FMA): acc[p*c+j] += src[p*c+j] *
// k[j] for p < n, j < c, c a multiple of 8.
//
//go:noescape
func fmaRows(acc, src, k *float32, c, n int)

// haveDot4x8 says whether this CPU runs dot4x8.
var haveDot4x8 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// max4 is in max_amd64.s (AVX2: VPBROADCASTD on Y registers, hence
// haveMax4): dst[i] = max(a[i], b[i], d[i], e[i]) for i < n, n a multiple
// of 8, with Go's max semantics.
//
//go:noescape
func max4(dst, a, b, d, e *float32, n int)

// haveMax4 says whether this CPU runs max4.
var haveMax4 = cpu.X86.HasAVX2
