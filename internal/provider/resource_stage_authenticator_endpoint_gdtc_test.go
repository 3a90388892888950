package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// gdtcKey stands for a service-account key; the stage is only stored by
// authentik, which talks to Google when a user runs it.
const gdtcKey = `{"client_email":"sa@p.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n","type":"service_account"}`

func init() {
	registerStageCase(stageCase{
		kind:       endpointGDTCStage,
		enterprise: true,
		minimal:    map[string]string{"credentials": `jsonencode({ type = "service_account", client_email = "sa@p.iam.gserviceaccount.com" })`},
		full: map[string]string{"credentials_wo": `jsonencode({ type = "service_account", client_email = "sa2@p.iam.gserviceaccount.com" })`,
			"credentials_wo_version": "1", "configure_flow": "{flow}", "friendly_name": q("Chrome device")},
		// credentials is a secret, never read back: the drift is on a member
		// the minimal configuration leaves unset.
		drift: authentik.StageBody{"friendly_name": "Edited"},
		officialState: map[string]any{"credentials": `{"client_email":"sa@p.iam.gserviceaccount.com","type":"service_account"}`,
			"configure_flow": "", "friendly_name": ""},
	})
}

var gdtcBase = map[string]any{"name": "gdtc", "credentials": gdtcKey}

func TestEndpointGDTCStage_validators(t *testing.T) {
	runValidationCases(t, endpointGDTCStage, gdtcBase, map[string]validationCase{
		"not JSON":         {map[string]any{"credentials": "secret-key-material"}, "credentials", `Invalid JSON object.*is not valid JSON`},
		"a JSON string":    {map[string]any{"credentials": `"secret-key-material"`}, "credentials", `is JSON but not an object`},
		"a JSON array":     {map[string]any{"credentials": `["secret-key-material"]`}, "credentials", `is JSON but not an object`},
		"JSON null":        {map[string]any{"credentials": `null`}, "credentials", `is JSON but not an object`},
		"wo not an object": {map[string]any{"credentials": nil, "credentials_wo": `[1]`}, "credentials_wo", `is JSON but not an object`},
		"no credentials":   {map[string]any{"credentials": nil}, "", `Missing credentials`},
		"both":             {map[string]any{"credentials_wo": gdtcKey}, "", `Conflicting credentials and credentials_wo`},
		"pretty JSON":      {map[string]any{"credentials": "{\n  \"type\": \"service_account\"\n}\n"}, "", ""},
	})
}

// The credentials are a secret: a refusal never repeats them.
func TestEndpointGDTCStage_validatorHidesTheValue(t *testing.T) {
	for _, v := range []string{"secret-key-material", `["secret-key-material"]`} {
		for _, d := range validateConfigOf(t, endpointGDTCStage, withValues(gdtcBase, map[string]any{"credentials": v})) {
			if strings.Contains(d.Summary+d.Detail, "secret-key-material") {
				t.Errorf("the diagnostic shows the credentials: %s: %s", d.Summary, d.Detail)
			}
		}
	}
}

// The credentials go to authentik as the object they encode, which is what
// it takes ("Value must be a dictionary" for a string, on 2025.12.4).
func TestEndpointGDTCStage_createBody(t *testing.T) {
	if got, want := createBodyOf(t, endpointGDTCStage, gdtcBase, gdtcBase), `{"credentials":`+gdtcKey+`,"name":"gdtc"}`; got != want {
		t.Errorf("create body\n got  %s\n want %s", got, want)
	}
	config := map[string]any{"name": "gdtc", "credentials_wo": `{"type": "service_account"}`, "credentials_wo_version": 1}
	plan := map[string]any{"name": "gdtc", "credentials_wo_version": 1}
	if got, want := createBodyOf(t, endpointGDTCStage, plan, config), `{"credentials":{"type":"service_account"},"name":"gdtc"}`; got != want {
		t.Errorf("write-only create body\n got  %s\n want %s", got, want)
	}
}

func TestAccEndpointGDTCStage_validation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config(hcl("authentik_stage_authenticator_endpoint_gdtc", "test",
				map[string]string{"name": q("tf-acc-gdtc-validation"), "credentials": q("not-json")})),
			PlanOnly:    true,
			ExpectError: wrapRe(`Invalid JSON object.*credentials is not valid JSON; it must be a JSON object`),
		}},
	})
	env.expectNoCalls(t)
}

// The write-only credentials are sent as an object on create, and again
// only when their version changes.
func TestAccEndpointGDTCStage_writeOnlyCredentials(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal(skipEnterprise, "authentik refuses GDTC stages without an enterprise licence")
	env.fake.SetEnterpriseLicense(true)
	name := env.uniqueName("gdtc-wo")
	attrs := map[string]string{"name": q(name), "credentials_wo": `jsonencode({ type = "service_account", n = 1 })`, "credentials_wo_version": "1"}
	cfg := func(a map[string]string) string {
		return env.config(hcl("authentik_stage_authenticator_endpoint_gdtc", "test", a))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   writeOnly,
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    cfg(attrs),
				Check: env.expectCalls(`POST /stages/authenticator/endpoint_gdtc/ {"name":"` + name +
					`","credentials":{"n":1,"type":"service_account"}}`),
			},
			{
				PreConfig:        env.before(nil),
				Config:           cfg(with(attrs, "credentials_wo", `jsonencode({ type = "service_account", n = 2 })`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectCalls(),
			},
			{
				PreConfig: env.before(nil),
				Config:    cfg(with(attrs, "credentials_wo", `jsonencode({ type = "service_account", n = 2 })`, "credentials_wo_version", "2")),
				Check:     env.expectCalls(`PATCH /stages/authenticator/endpoint_gdtc/{id}/ {"credentials":{"n":2,"type":"service_account"}}`),
			},
		},
	})
}
