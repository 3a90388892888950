package provider

import (
	"context"
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

// timeoutGetter is one of timeouts.Value's Create, Read, Update or Delete.
type timeoutGetter func(ctx context.Context, def time.Duration) (time.Duration, diag.Diagnostics)

// withTimeout bounds ctx by the resource's `timeouts` entry.
func withTimeout(ctx context.Context, get timeoutGetter, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	d, ds := get(ctx, defaultTimeout)
	diags.Append(ds...)
	if ds.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}
