package jpegscale

import "math"

// Reduced inverse DCT: instead of the 8×8 pixels of a block, the means of
// its g×g squares (g = 8/n for n outputs a side). A mean of IDCT outputs
// is a linear function of the coefficients, separable like the IDCT
// itself: out[k][l] = Σ_u Σ_v A_n[k][u] A_n[l][v] F[u][v], with
//
//	A_n[k][u] = 1/g Σ_{x=kg}^{kg+g-1} C(u)/2 cos((2x+1)uπ/16)
//
// (C(0) = 1/√2, else 1): the IDCT's basis averaged over each square. For
// n = 1 that is F[0][0]/8; for n = 2 the even frequencies other than 0
// drop out, for n = 4 frequency 4 does. Computing it costs a fraction of
// a full IDCT (rows of zero coefficients, the common case, are skipped)
// and the result equals decoding at full size and averaging, up to
// rounding and to the clipping of full-size pixels to [0, 255].

// reduceBits is the fixed-point precision of the averaged basis.
const reduceBits = 12

// reduceBasis holds A_n in Q12 for n = 1, 2, 4, 8 (indexed by n), [k][u].
var reduceBasis = func() (t [9][8][8]int32) {
	for _, n := range []int{1, 2, 4, 8} {
		g := 8 / n
		for k := 0; k < n; k++ {
			for u := 0; u < 8; u++ {
				cu := 1.0
				if u == 0 {
					cu = 1 / math.Sqrt2
				}
				var sum float64
				for x := k * g; x < (k+1)*g; x++ {
					sum += cu / 2 * math.Cos(float64((2*x+1)*u)*math.Pi/16)
				}
				t[n][k][u] = int32(math.Round(sum / float64(g) * (1 << reduceBits)))
			}
		}
	}
	return t
}()

// scaledIDCT replaces the dequantized coefficients in b (natural order,
// b[8*u+v] with u the vertical frequency) by the block's means over
// ox×oy pixels (ox, oy in 1, 2, 4, 8), level-shifted by −128 like idct's
// output: row k of the result is b[8*k : 8*k+ox].
func scaledIDCT(b *block, ox, oy int) {
	switch {
	case ox == 1 && oy == 1:
		// The mean of the block is F[0][0]/8.
		b[0] = (b[0] + 4) >> 3
	case ox == 2 && oy == 2:
		reduce2x2(b)
	case ox == 4 && oy == 4:
		reduce4x4(b)
	default:
		reduceAny(b, ox, oy)
	}
}

// q12 is x in Q12.
func q12(x float64) int32 { return int32(math.Round(x * (1 << reduceBits))) }

// basis2 holds A_2[0][u] for u = 0, 1, 3, 5, 7 (the even ones but 0 are
// zero); A_2[1][u] is the same for u = 0 and its negation for odd u.
var basis2 = func() (t [8]float64) {
	for u := range t {
		cu := 1.0
		if u == 0 {
			cu = 1 / math.Sqrt2
		}
		for x := 0; x < 4; x++ {
			t[u] += cu / 2 * math.Cos(float64((2*x+1)*u)*math.Pi/16) / 4
		}
	}
	return t
}()

// weights2 is A_2[0][u]·A_2[0][v] in Q12 for u, v in 0, 1, 3, 5, 7.
var weights2 = func() (w [5][5]int32) {
	idx := [5]int{0, 1, 3, 5, 7}
	for i, u := range idx {
		for j, v := range idx {
			w[i][j] = q12(basis2[u] * basis2[v])
		}
	}
	return w
}()

// reduce2x2 is the 2×2 case: the 25 coefficients that count, summed by
// the parity of their frequencies (odd ones change sign between the two
// halves of the block).
func reduce2x2(b *block) {
	idx := [5]int{0, 1, 3, 5, 7}
	var ee, eo, oe, oo int32 // even/odd vertical, even/odd horizontal
	for i, u := range idx {
		row := b[8*u : 8*u+8 : 8*u+8]
		w := &weights2[i]
		odd := w[1]*row[1] + w[2]*row[3] + w[3]*row[5] + w[4]*row[7]
		if i == 0 {
			ee, eo = w[0]*row[0], odd
		} else {
			oe += w[0] * row[0]
			oo += odd
		}
	}
	const half = 1 << (reduceBits - 1)
	b[0] = (ee + eo + oe + oo + half) >> reduceBits
	b[1] = (ee - eo + oe - oo + half) >> reduceBits
	b[8] = (ee + eo - oe - oo + half) >> reduceBits
	b[9] = (ee - eo - oe + oo + half) >> reduceBits
}

// The 4-point case folds the 8 frequencies onto 4 (A_4[k][u] is
// C(u)/2·cos(uπ/16)·cos((2k+1)uπ/8), and frequency 8−u aliases to −u),
// then runs a 4-point IDCT: 11 multiplications for 4 outputs.
var (
	k4c0       = q12(1 / math.Sqrt2 / 2)
	k4r2, k4r6 = q12(math.Cos(math.Pi/4) / 2 * math.Cos(2*math.Pi/16)), q12(math.Cos(math.Pi/4) / 2 * math.Cos(6*math.Pi/16))
	k4p1, k4p7 = q12(math.Cos(math.Pi/8) / 2 * math.Cos(math.Pi/16)), q12(math.Cos(math.Pi/8) / 2 * math.Cos(7*math.Pi/16))
	k4p3, k4p5 = q12(math.Cos(math.Pi/8) / 2 * math.Cos(3*math.Pi/16)), q12(math.Cos(math.Pi/8) / 2 * math.Cos(5*math.Pi/16))
	k4q1, k4q7 = q12(math.Cos(3*math.Pi/8) / 2 * math.Cos(math.Pi/16)), q12(math.Cos(3*math.Pi/8) / 2 * math.Cos(7*math.Pi/16))
	k4q3, k4q5 = q12(math.Cos(3*math.Pi/8) / 2 * math.Cos(3*math.Pi/16)), q12(math.Cos(3*math.Pi/8) / 2 * math.Cos(5*math.Pi/16))
)

// idct4 is the 1-D 4-point reduction of f0..f7, in Q12 of their scale.
func idct4(f0, f1, f2, f3, f4, f5, f6, f7 int32) (o0, o1, o2, o3 int32) {
	e := k4c0 * f0
	g2 := k4r2*f2 - k4r6*f6
	p := k4p1*f1 - k4p7*f7 + k4q3*f3 - k4q5*f5
	q := k4q1*f1 - k4q7*f7 - k4p3*f3 + k4p5*f5
	return e + g2 + p, e - g2 + q, e - g2 - q, e + g2 - p
}

// reduce4x4 runs idct4 over the rows with coefficients (into Q2), then
// over the four columns.
func reduce4x4(b *block) {
	var t [8][4]int32
	const r1 = 1 << (reduceBits - 3)
	for u := 0; u < 8; u++ {
		f := b[8*u : 8*u+8 : 8*u+8]
		if f[0]|f[1]|f[2]|f[3]|f[4]|f[5]|f[6]|f[7] == 0 {
			continue
		}
		o0, o1, o2, o3 := idct4(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7])
		t[u] = [4]int32{(o0 + r1) >> (reduceBits - 2), (o1 + r1) >> (reduceBits - 2), (o2 + r1) >> (reduceBits - 2), (o3 + r1) >> (reduceBits - 2)}
	}
	const r2 = 1 << (reduceBits + 1)
	for l := 0; l < 4; l++ {
		o0, o1, o2, o3 := idct4(t[0][l], t[1][l], t[2][l], t[3][l], t[4][l], t[5][l], t[6][l], t[7][l])
		b[l], b[8+l], b[16+l], b[24+l] = (o0+r2)>>(reduceBits+2), (o1+r2)>>(reduceBits+2), (o2+r2)>>(reduceBits+2), (o3+r2)>>(reduceBits+2)
	}
}

// reduceAny is the general separable case (a block of subsampled chroma
// decoded to more pixels one way than the other): rows, kept in Q2, then
// columns, each through the averaged basis.
func reduceAny(b *block, ox, oy int) {
	ax, ay := &reduceBasis[ox], &reduceBasis[oy]
	// Rows: t[u][l] = Σ_v F[u][v] A_ox[l][v], kept in Q2 (the inputs
	// are at most 2^12 in a valid file, so nothing here or below
	// overflows 32 bits).
	var t [8][8]int32
	var rows [8]bool
	for u := 0; u < 8; u++ {
		f := b[8*u : 8*u+8 : 8*u+8]
		if f[0]|f[1]|f[2]|f[3]|f[4]|f[5]|f[6]|f[7] == 0 {
			continue
		}
		rows[u] = true
		for l := 0; l < ox; l++ {
			a := &ax[l]
			s := f[0]*a[0] + f[1]*a[1] + f[2]*a[2] + f[3]*a[3] + f[4]*a[4] + f[5]*a[5] + f[6]*a[6] + f[7]*a[7]
			t[u][l] = (s + 1<<(reduceBits-3)) >> (reduceBits - 2)
		}
	}
	// Columns: out[k][l] = Σ_u A_oy[k][u] t[u][l], from Q(2+12) to Q0.
	var out [8][8]int32
	for u := 0; u < 8; u++ {
		if !rows[u] {
			continue
		}
		for k := 0; k < oy; k++ {
			a := ay[k][u]
			if a == 0 {
				continue
			}
			for l := 0; l < ox; l++ {
				out[k][l] += a * t[u][l]
			}
		}
	}
	for k := 0; k < oy; k++ {
		for l := 0; l < ox; l++ {
			b[8*k+l] = (out[k][l] + 1<<(reduceBits+1)) >> (reduceBits + 2)
		}
	}
}
