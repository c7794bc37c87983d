//go:build !purego

#include "textflag.h"

// func dot4x8(a0, a1, a2, a3, w *float32, ldw, n int, bias *float32, act int, o0, o1, o2, o3 *float32)
//
// oi[j] = act(bias[j] + sum over k < n of ai[k] * w[k*ldw+j]) for pixels
// i < 4 and outputs j < 8, where act is leaky ReLU (max(v, 0.1 v)) when
// act != 0: one weight vector load and four broadcast FMAs per k.
TEXT ·dot4x8(SB), NOSPLIT, $0-104
	MOVQ a0+0(FP), R8
	MOVQ a1+8(FP), R9
	MOVQ a2+16(FP), R10
	MOVQ a3+24(FP), R11
	MOVQ w+32(FP), SI
	MOVQ ldw+40(FP), DX
	SHLQ $2, DX
	MOVQ n+48(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ AX, AX

loop:
	TESTQ CX, CX
	JZ    done
	VMOVUPS      (SI), Y4
	VBROADCASTSS (R8)(AX*1), Y5
	VFMADD231PS  Y4, Y5, Y0
	VBROADCASTSS (R9)(AX*1), Y6
	VFMADD231PS  Y4, Y6, Y1
	VBROADCASTSS (R10)(AX*1), Y7
	VFMADD231PS  Y4, Y7, Y2
	VBROADCASTSS (R11)(AX*1), Y8
	VFMADD231PS  Y4, Y8, Y3
	ADDQ         $4, AX
	ADDQ         DX, SI
	DECQ         CX
	JMP          loop

done:
	MOVQ    bias+56(FP), BX
	VMOVUPS (BX), Y9
	VADDPS  Y9, Y0, Y0
	VADDPS  Y9, Y1, Y1
	VADDPS  Y9, Y2, Y2
	VADDPS  Y9, Y3, Y3
	MOVQ    act+64(FP), BX
	TESTQ   BX, BX
	JZ      store
	MOVL         $0x3DCCCCCD, BX // float32(0.1)
	VMOVD        BX, X10
	VBROADCASTSS X10, Y10
	VMULPS       Y10, Y0, Y11
	VMAXPS       Y11, Y0, Y0
	VMULPS       Y10, Y1, Y11
	VMAXPS       Y11, Y1, Y1
	VMULPS       Y10, Y2, Y11
	VMAXPS       Y11, Y2, Y2
	VMULPS       Y10, Y3, Y11
	VMAXPS       Y11, Y3, Y3

store:
	MOVQ    o0+72(FP), BX
	VMOVUPS Y0, (BX)
	MOVQ    o1+80(FP), BX
	VMOVUPS Y1, (BX)
	MOVQ    o2+88(FP), BX
	VMOVUPS Y2, (BX)
	MOVQ    o3+96(FP), BX
	VMOVUPS Y3, (BX)
	VZEROUPPER
	RET

// func fmaRows(acc, src, k *float32, c, n int)
//
// acc[p*c+j] += src[p*c+j] * k[j] for pixels p < n and channels j < c (a
// multiple of 8): one tap of a depthwise convolution along a row.
TEXT ·fmaRows(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ k+16(FP), DX
	MOVQ c+24(FP), BX
	SHLQ $2, BX
	MOVQ n+32(FP), CX
	TESTQ CX, CX
	JZ    fdone
	TESTQ BX, BX
	JZ    fdone

fpix:
	XORQ AX, AX

fch:
	VMOVUPS     (SI)(AX*1), Y0
	VMOVUPS     (DX)(AX*1), Y1
	VMOVUPS     (DI)(AX*1), Y2
	VFMADD231PS Y1, Y0, Y2
	VMOVUPS     Y2, (DI)(AX*1)
	ADDQ        $32, AX
	CMPQ        AX, BX
	JLT         fch
	ADDQ        BX, DI
	ADDQ        BX, SI
	DECQ        CX
	JNZ         fpix

fdone:
	VZEROUPPER
	RET
