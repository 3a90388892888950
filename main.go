// Command terraform-provider-authentik is a Terraform provider for authentik.
package main

import (
	"flag"
	"log"
	"os"

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

	if !debug {
		quietUnreadLogs()
	}
	// Profiles for scripts/bench.sh: only the bench build has them
	// (profile_bench.go); in the release build this does nothing. Terraform
	// stops the provider by closing the plugin connection, which makes Serve
	// return, so they are written after it.
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
