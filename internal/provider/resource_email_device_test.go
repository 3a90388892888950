package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// authentik 2024.10 has no email devices: their paths are unrouted (an HTML
// 404 to a read, which would otherwise read as a wrong URL, and the empty
// HTML 405 of a failing write to the create). Import and create both say
// which version the resource needs, after one /admin/version/ request.
func TestAccEmailDevice_before2025(t *testing.T) {
	t.Parallel()
	env := newTestEnvVersion(t, fakeauthentik.V2024_10)
	if env.atLeast("2025.2") {
		env.skipReal(skipVersion, "needs authentik before 2025.2")
	}
	cfg := hcl("authentik_email_device", "test", map[string]string{"name": q("work mail")})
	want := `authentik 2024.10.5 has no email devices.*authentik_email_device needs authentik 2025.2 or later; the server runs 2024.10.5 ` +
		`\(%s /api/v3/authenticators/admin/email/%s answered an HTML %d\)`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             func(*terraform.State) error { return nil },
		Steps: []resource.TestStep{
			{Config: env.config(importBlock("authentik_email_device.test", "1") + cfg), ExpectError: wrapRe(fmt.Sprintf(want, "GET", "1/", 404))},
			{Config: env.config(cfg), ExpectError: wrapRe(fmt.Sprintf(want, "POST", "", 405))},
		},
	})
	if env.real() {
		return
	}
	if n := env.countRequests("GET", "/admin/version/", 200); n != 2 {
		t.Errorf("want one version request per provider process that met the 404 (2), got %d", n)
	}
}
