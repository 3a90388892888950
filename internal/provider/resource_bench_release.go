//go:build !bench

package provider

import "github.com/hashicorp/terraform-plugin-framework/resource"

// benchResources is empty in the release build. The benchmark's baselines
// (resource_bench_noop.go) exist only in `go build -tags bench`, which
// scripts/bench.sh makes: the provider users run must not carry them, and
// its schema (and `make docs`) must not depend on how it was started.
// scripts/check-release-binary.sh checks the built binary.
func benchResources() []func() resource.Resource { return nil }
