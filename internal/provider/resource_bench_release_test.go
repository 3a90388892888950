//go:build !bench

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// The release build serves no benchmark resource, whatever the environment
// says: AUTHENTIK_PROVIDER_BENCH=1 used to add two of them to the shipped
// provider (and to `make docs` run with it set).
func TestResources_noBenchInReleaseBuild(t *testing.T) {
	t.Setenv("AUTHENTIK_PROVIDER_BENCH", "1")
	var names []string
	for _, newResource := range (&authentikProvider{}).Resources(context.Background()) {
		var md resource.MetadataResponse
		newResource().Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "authentik"}, &md)
		names = append(names, md.TypeName)
		if strings.Contains(md.TypeName, "bench") {
			t.Errorf("the release build registers %s", md.TypeName)
		}
	}
	if len(names) == 0 {
		t.Fatal("no resources at all: the check above proves nothing")
	}
}
