//go:build !purego

#include "textflag.h"

// func vsumRows8(rows **int16, w *int32, k, n int, dst *uint8, round, shift int)
//
// dst[x] = clamp0255((round + sum over j < k of w[j] * rows[j][x]) >> shift)
// for x < n (a multiple of 8), eight outputs per step (AVX2): the rows
// sign-extended to 32 bits, multiplied by the broadcast weight, summed,
// shifted, and packed with signed then unsigned saturation (which is the
// clamp to 0..255).
TEXT ·vsumRows8(SB), NOSPLIT, $0-56
	MOVQ rows+0(FP), SI
	MOVQ w+8(FP), DI
	MOVQ k+16(FP), R8
	MOVQ n+24(FP), CX
	MOVQ dst+32(FP), DX
	MOVQ round+40(FP), AX
	VMOVD AX, X14
	VPBROADCASTD X14, Y14
	MOVQ shift+48(FP), AX
	VMOVQ AX, X15
	XORQ R9, R9

loopx:
	CMPQ R9, CX
	JGE  done
	VMOVDQU Y14, Y0
	XORQ R10, R10

loopk:
	CMPQ R10, R8
	JGE  store
	MOVQ (SI)(R10*8), R11
	VPMOVSXWD    (R11)(R9*2), Y1
	VPBROADCASTD (DI)(R10*4), Y2
	VPMULLD      Y2, Y1, Y1
	VPADDD       Y1, Y0, Y0
	INCQ R10
	JMP  loopk

store:
	VPSRAD       X15, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKSSDW    X1, X0, X0
	VPACKUSWB    X0, X0, X0
	MOVQ         X0, (DX)(R9*1)
	ADDQ $8, R9
	JMP  loopx

done:
	VZEROUPPER
	RET

// func hdot8(row *uint8, offs *int32, w *int16, n int, out *int16)
//
// out[i] = (sum over j < 8 of w[8i+j] * row[offs[i]+j] + 128) >> 8 for
// i < n: eight source samples widened to 16 bits and multiplied by the
// output's eight weights (zero past its taps) with one VPMADDWD, then
// summed across (AVX).
TEXT ·hdot8(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ offs+8(FP), DI
	MOVQ w+16(FP), R8
	MOVQ n+24(FP), CX
	MOVQ out+32(FP), DX
	XORQ R9, R9

hloop:
	CMPQ R9, CX
	JGE  hdone
	MOVLQSX   (DI)(R9*4), AX
	VPMOVZXBW (SI)(AX*1), X0
	VPMADDWD  (R8), X0, X0
	VPSHUFD   $0x4e, X0, X1
	VPADDD    X1, X0, X0
	VPSHUFD   $0xb1, X0, X1
	VPADDD    X1, X0, X0
	VMOVD     X0, AX
	ADDL $128, AX
	SARL $8, AX
	MOVW AX, (DX)(R9*2)
	ADDQ $16, R8
	INCQ R9
	JMP  hloop

hdone:
	RET

// func addRowU8(acc *int32, src *uint8, n int)
//
// acc[i] += src[i] for i < n (a multiple of 8), eight per step (AVX2).
TEXT ·addRowU8(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ R9, R9

addloop:
	CMPQ R9, CX
	JGE  adddone
	VPMOVZXBD (SI)(R9*1), Y0
	VPADDD    (DI)(R9*4), Y0, Y0
	VMOVDQU   Y0, (DI)(R9*4)
	ADDQ $8, R9
	JMP  addloop

adddone:
	VZEROUPPER
	RET
