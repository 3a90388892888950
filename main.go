// Command terraform-provider-authentik is a Terraform provider for authentik.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: providerAddress,
		Debug:   debug,
	})
	if err != nil {
		log.Fatalf("provider %s (commit %s): %s", version, commit, err)
	}
}
