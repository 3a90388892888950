//go:build bench

package main

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

// The benchmark build's profiling hooks (scripts/bench.sh builds with
// -tags bench). The release build has profile_release.go instead: no
// profiler, and none of these environment variables.

// Environment variables that turn on profiling. A "%p" in a path becomes the
// process id: Terraform starts a fresh provider process for each command (and
// sometimes several), and each must write its own file.
const (
	envCPUProfile = "AUTHENTIK_PROVIDER_CPUPROFILE"
	envMemProfile = "AUTHENTIK_PROVIDER_MEMPROFILE"
	// envPeakRSSFile appends "<pid> <VmHWM in KiB> goroutines=<n>" when the
	// process ends, a fallback for measuring peak memory where GNU time is
	// missing (and a check for goroutines left behind).
	envPeakRSSFile = "AUTHENTIK_PROVIDER_PEAKRSS_FILE"
)

// startProfiles starts what the environment asks for and returns the function
// that writes the results; it must run after the plugin server returned.
func startProfiles() (stop func()) {
	var cpu *os.File
	if p := profilePath(envCPUProfile); p != "" {
		f, err := os.Create(p)
		if err != nil {
			log.Printf("%s: %v", envCPUProfile, err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			log.Printf("%s: %v", envCPUProfile, err)
			_ = f.Close()
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			_ = cpu.Close()
		}
		if p := profilePath(envMemProfile); p != "" {
			writeHeapProfile(p)
		}
		if p := os.Getenv(envPeakRSSFile); p != "" {
			appendPeakRSS(p)
		}
	}
}

func profilePath(env string) string {
	return strings.ReplaceAll(os.Getenv(env), "%p", strconv.Itoa(os.Getpid()))
}

// writeHeapProfile writes the allocation profile (alloc_space shows where
// memory was allocated over the whole run; inuse_space what was live at the
// last GC).
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Printf("%s: %v", envMemProfile, err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		log.Printf("%s: %v", envMemProfile, err)
	}
}

// appendPeakRSS appends the process's peak resident set size (VmHWM).
func appendPeakRSS(path string) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for line := range strings.Lines(string(status)) {
		v, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return
		}
		fmt.Fprintf(f, "%d %s goroutines=%d\n", os.Getpid(), strings.TrimSuffix(strings.TrimSpace(v), " kB"), runtime.NumGoroutine())
		_ = f.Close()
		return
	}
}
