// Command terraform-provider-authentik is a Terraform provider for authentik.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/authentik-iac/terraform-provider-authentik/internal/provider"
)

// Set by goreleaser through -ldflags "-X main.version=...".
var (
	version = "dev"
	commit  = "none"
)

// providerAddress is where the provider is published. Configurations use
// source = "authentik-iac/authentik".
const providerAddress = "registry.terraform.io/authentik-iac/authentik"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()

	// Profiles for scripts/bench.sh, off unless the environment asks for
	// them. Terraform stops the provider by closing the plugin connection,
	// which makes Serve return, so they are written after it.
	if !debug {
		quietUnreadLogs()
	}
	stopProfiles := startProfiles()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(providerAddress, provider.NewProtocol6Server(version), opts...)
	stopProfiles()
	if err != nil {
		log.Fatalf("provider %s (commit %s): %s", version, commit, err)
	}
}

// quietUnreadLogs turns the SDK's and the provider's logging off when
// Terraform would throw it away. Terraform shows a provider's log only when
// TF_LOG or TF_LOG_PROVIDER is set; without them it still reads every line the
// provider writes and drops it. The plugin SDK logs each RPC several times at
// TRACE by default, as JSON: at 1,000 resources that was about 30% of the
// provider's CPU and a quarter of its allocations (BENCHMARKS.md). A level a
// user set explicitly is kept.
func quietUnreadLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, env := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_AUTHENTIK"} {
		if os.Getenv(env) == "" {
			_ = os.Setenv(env, "OFF")
		}
	}
}

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
