//go:build !bench

package main

// startProfiles does nothing in the release build; the profiling hooks that
// scripts/bench.sh uses are in profile_bench.go, built only with -tags bench.
func startProfiles() (stop func()) { return func() {} }
