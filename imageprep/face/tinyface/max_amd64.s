//go:build !purego

#include "textflag.h"

// func max4(dst, a, b, d, e *float32, n int)
//
// dst[i] = max(a[i], b[i], d[i], e[i]) for i < n (a multiple of 8), with
// Go's max semantics (a NaN gives a NaN, +0 beats -0): in the negated
// domain each step is min(x, y) | min(y, x), since VMINPS returns its
// second operand for a NaN or two zeros (the sequence the compiler emits
// for one float max, eight lanes at a time).
TEXT ·max4(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R8
	MOVQ d+24(FP), R9
	MOVQ e+32(FP), R10
	MOVQ n+40(FP), CX
	MOVL $0x80000000, AX
	MOVD AX, X15
	VPBROADCASTD X15, Y15
	XORQ R11, R11

loop:
	CMPQ R11, CX
	JGE  done
	VXORPS (SI)(R11*4), Y15, Y0
	VXORPS (R8)(R11*4), Y15, Y1
	VMINPS Y1, Y0, Y2
	VMINPS Y0, Y1, Y3
	VORPS  Y3, Y2, Y0
	VXORPS (R9)(R11*4), Y15, Y1
	VMINPS Y1, Y0, Y2
	VMINPS Y0, Y1, Y3
	VORPS  Y3, Y2, Y0
	VXORPS (R10)(R11*4), Y15, Y1
	VMINPS Y1, Y0, Y2
	VMINPS Y0, Y1, Y3
	VORPS  Y3, Y2, Y0
	VXORPS Y15, Y0, Y0
	VMOVUPS Y0, (DI)(R11*4)
	ADDQ $8, R11
	JMP  loop

done:
	VZEROUPPER
	RET
