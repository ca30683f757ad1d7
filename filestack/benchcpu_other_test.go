//go:build !unix

package filestack

// processCPU is not measured here; benchmarks then report 0 CPU-s.
func processCPU() float64 { return 0 }
