//go:build unix

package ui
