package emulator

import "math"

// Offsets, sizes and part numbers come from clients, any int64 they like:
// the helpers here do the arithmetic on them without wrapping, so that no
// sum or product can turn a range outside the file into one inside it.

// within reports whether the byte range [off, off+size) lies inside
// [0, limit), computed without overflow.
func within(off, size, limit int64) bool {
	return off >= 0 && size >= 0 && size <= limit && off <= limit-size
}

// addOK returns a+b for non-negative a and b, and false when the sum
// would not fit an int64 (or an operand is negative).
func addOK(a, b int64) (int64, bool) {
	if a < 0 || b < 0 || a > math.MaxInt64-b {
		return 0, false
	}
	return a + b, true
}

// mulOK returns a*b for non-negative a and b, and false when the product
// would not fit an int64 (or an operand is negative).
func mulOK(a, b int64) (int64, bool) {
	if a < 0 || b < 0 || a != 0 && b > math.MaxInt64/a {
		return 0, false
	}
	return a * b, true
}

// ceilDiv is ⌈x/d⌉ for x ≥ 0 and d > 0, without the overflow of (x+d-1)/d.
func ceilDiv(x, d int64) int64 {
	q := x / d
	if x%d != 0 {
		q++
	}
	return q
}

// partStart is where part n (1-based) begins in a file of psize-byte
// parts; false when that lies beyond any int64.
func partStart(n int, psize int64) (int64, bool) {
	if n < 1 {
		return 0, false
	}
	return mulOK(int64(n-1), psize)
}
