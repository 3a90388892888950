package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// identityImportBlock imports by resource identity (Terraform 1.12+).
func identityImportBlock(addr, id string) string {
	return fmt.Sprintf("import {\n  to       = %s\n  identity = {\n    id = %q\n  }\n}\n", addr, id)
}

// Every device resource has the identity {id}: set on import, kept by a
// rename, and usable instead of the import ID, in an import block written
// by hand and in the one terraform-plugin-testing generates.
func TestAccDevice_identity(t *testing.T) {
	runDeviceCases(t, func(t *testing.T, env *testEnv, c deviceCase) {
		dev := c.enroll(env)
		id := strconv.Itoa(dev.PK)
		identity := []statecheck.StateCheck{statecheck.ExpectIdentity(c.addr(), map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
			Steps: []resource.TestStep{
				{ // adopted through an import block that names the identity
					Config: env.config(identityImportBlock(c.addr(), id) + c.hcl(c.seed.Name)),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(c.addr(), plancheck.ResourceActionNoop)}},
					ConfigStateChecks: identity,
				},
				{Config: env.config(c.hcl("renamed")), ConfigStateChecks: identity},
				{ResourceName: c.addr(), ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
				{ResourceName: c.addr(), ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			},
		})
	})
}

// An identity whose id is no pk is refused before any request.
func TestAccDevice_identityValidation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{{
			Config:      env.config(identityImportBlock("authentik_static_device.test", "codes") + hcl("authentik_static_device", "test", map[string]string{"name": q("codes")})),
			PlanOnly:    true,
			ExpectError: wrapRe(`Invalid import ID.*"codes" is not a static device pk`),
		}},
	})
	env.expectNoCalls(t)
}
