package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// clientFrom unpacks the provider's data in a resource's or data source's
// Configure. The data is nil while Terraform validates before the provider is
// configured; then there is nothing to do yet.
func clientFrom(data any, diags *diag.Diagnostics) *authentik.Client {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; this is a bug in the provider", data))
		return nil
	}
	return pd.client
}

// defaultTimeout bounds an operation whose `timeouts` entry is not set. The
// client's own retry budget is shorter, so this only stops a hung server.
const defaultTimeout = 5 * time.Minute
