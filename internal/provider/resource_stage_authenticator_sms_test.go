package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

func init() {
	registerStageCase(stageCase{
		kind:    smsStage,
		minimal: map[string]string{"from_number": q("+15555550100"), "account_sid": q("AC1"), "auth": q("tok")},
		// mapping is left out: it must name an existing webhook mapping, and
		// this provider has no resource to make one yet (its own tests cover it).
		full: map[string]string{"from_number": q("+15555550101"), "account_sid": q("https://sms.example.com/send"),
			"auth_wo": q("user"), "auth_wo_version": "1", "sms_provider": q("generic"), "auth_type": q("bearer"),
			"auth_password": q("pw"), "verify_only": "true", "configure_flow": "{flow}", "friendly_name": q("Text message")},
		drift: authentik.StageBody{"from_number": "+15555550199"},
		officialState: map[string]any{"from_number": "+15555550100", "account_sid": "AC1", "auth": "tok",
			"sms_provider": "twilio", "auth_type": "basic", "auth_password": "", "mapping": "", "verify_only": false,
			"configure_flow": "", "friendly_name": ""},
	})
}

var smsBase = map[string]any{"name": "sms", "from_number": "+15555550100", "account_sid": "AC1", "auth": "tok"}

func TestSMSStage_validators(t *testing.T) {
	runValidationCases(t, smsStage, smsBase, map[string]validationCase{
		"provider not in enum":  {map[string]any{"sms_provider": "nexmo"}, "sms_provider", `value must be one of: \["twilio" "generic"\]`},
		"provider generic":      {map[string]any{"sms_provider": "generic"}, "", ""},
		"auth_type not in enum": {map[string]any{"auth_type": "digest"}, "auth_type", `value must be one of: \["basic" "bearer"\]`},
		"empty from_number":     {map[string]any{"from_number": ""}, "from_number", `character count must be at least 1`},
		"empty account_sid":     {map[string]any{"account_sid": ""}, "account_sid", `character count must be at least 1`},
		"empty auth":            {map[string]any{"auth": ""}, "auth", `character count must be at least 1`},
		"no auth":               {map[string]any{"auth": nil}, "", `Missing auth`},
		"both auths":            {map[string]any{"auth_wo": "x"}, "", `Conflicting auth and auth_wo`},
		"auth_password twins":   {map[string]any{"auth_password": "a", "auth_password_wo": "b", "auth_password_wo_version": 1}, "auth_password", `cannot be specified when`},
		"auth_password_wo alone": {map[string]any{"auth_password_wo": "b"}, "auth_password_wo",
			`"auth_password_wo_version" must be specified when "auth_password_wo"`},
		"mapping not a uuid":  {map[string]any{"mapping": "my-mapping"}, "mapping", `must be the uuid of a webhook property mapping`},
		"mapping uuid":        {map[string]any{"mapping": "2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b"}, "", ""},
		"configure_flow slug": {map[string]any{"configure_flow": "default-authenticator-sms-setup"}, "configure_flow", `must be a UUID`},
		"empty friendly_name": {map[string]any{"friendly_name": ""}, "friendly_name", `character count must be at least 1`},
	})
}

// A create sends every configured member and the official provider's
// defaults; unset optional members are left out.
func TestSMSStage_createBody(t *testing.T) {
	plan := withValues(smsBase, map[string]any{"sms_provider": "twilio", "auth_type": "basic", "verify_only": false})
	if got, want := createBodyOf(t, smsStage, plan, smsBase),
		`{"account_sid":"AC1","auth":"tok","auth_type":"basic","from_number":"+15555550100","name":"sms","provider":"twilio","verify_only":false}`; got != want {
		t.Errorf("create body\n got  %s\n want %s", got, want)
	}
	woConfig := withValues(smsBase, map[string]any{"auth": nil, "auth_wo": "wo", "auth_wo_version": 1, "auth_password_wo": "pwo", "auth_password_wo_version": 1})
	woPlan := withValues(plan, map[string]any{"auth": nil, "auth_wo_version": 1, "auth_password_wo_version": 1})
	if got, want := createBodyOf(t, smsStage, woPlan, woConfig),
		`{"account_sid":"AC1","auth":"wo","auth_password":"pwo","auth_type":"basic","from_number":"+15555550100","name":"sms","provider":"twilio","verify_only":false}`; got != want {
		t.Errorf("write-only create body\n got  %s\n want %s", got, want)
	}
}

func TestSMSStage_patchBody(t *testing.T) {
	state := withValues(smsBase, map[string]any{"id": "id", "sms_provider": "twilio", "auth_type": "basic", "verify_only": false,
		"mapping": "2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b", "auth_password": "pw"})
	cleared := withValues(state, map[string]any{"mapping": nil, "auth_password": nil})
	if got := patchOf(t, smsStage, cleared, state, cleared); got != `{"auth_password":"","mapping":null}` {
		t.Errorf("clearing: %s", got)
	}
	generic := withValues(state, map[string]any{"sms_provider": "generic", "auth_type": "bearer"})
	if got := patchOf(t, smsStage, generic, state, generic); got != `{"auth_type":"bearer","provider":"generic"}` {
		t.Errorf("provider: %s", got)
	}
}

// Invalid values fail at plan, on their attribute, before any request.
func TestAccSMSStage_validation(t *testing.T) {
	t.Parallel()
	base := map[string]string{"name": q("tf-acc-sms-validation"), "from_number": q("+15555550100"), "account_sid": q("AC1"), "auth": q("tok")}
	cases := map[string]struct {
		attrs map[string]string
		want  string
	}{
		"provider":  {with(base, "sms_provider", q("nexmo")), `Attribute sms_provider value must be one of: \["twilio" "generic"\]`},
		"auth_type": {with(base, "auth_type", q("digest")), `Attribute auth_type value must be one of: \["basic" "bearer"\]`},
		"mapping":   {with(base, "mapping", q("x")), `Attribute mapping must be the uuid of a webhook property mapping`},
		"no auth":   {with(base, "auth", ""), `Missing auth`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				TerraformVersionChecks:   writeOnly,
				Steps: []resource.TestStep{{
					Config: env.config(hcl("authentik_stage_authenticator_sms", "test", tc.attrs)), PlanOnly: true,
					ExpectError: wrapRe(tc.want),
				}},
			})
			env.expectNoCalls(t)
		})
	}
}

// The write-only secrets are sent on create, and again only when their
// version changes; dropping the optional one clears it.
func TestAccSMSStage_writeOnlySecrets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal(skipRequestLog, "checks which requests carry the secrets")
	name := env.uniqueName("sms-wo")
	attrs := map[string]string{"name": q(name), "from_number": q("+15555550100"), "account_sid": q("AC1"),
		"auth_wo": q("tok-1"), "auth_wo_version": "1", "auth_password_wo": q("pw-1"), "auth_password_wo_version": "1"}
	cfg := func(a map[string]string) string {
		return env.config(hcl("authentik_stage_authenticator_sms", "test", a))
	}
	addr := "authentik_stage_authenticator_sms.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   writeOnly,
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    cfg(attrs),
				Check: env.expectCalls(`POST /stages/authenticator/sms/ {"name":"` + name + `","provider":"twilio","from_number":"+15555550100",` +
					`"account_sid":"AC1","auth":"tok-1","auth_type":"basic","auth_password":"pw-1","verify_only":false}`),
			},
			{ // a new value without a new version is not sent
				PreConfig:        env.before(nil),
				Config:           cfg(with(attrs, "auth_wo", q("tok-2"), "auth_password_wo", q("pw-2"))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectCalls(),
			},
			{
				PreConfig:        env.before(nil),
				Config:           cfg(with(attrs, "auth_wo", q("tok-2"), "auth_wo_version", "2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				Check:            env.expectCalls(`PATCH /stages/authenticator/sms/{id}/ {"auth":"tok-2"}`),
			},
			{
				PreConfig: env.before(nil),
				Config:    cfg(with(attrs, "auth_wo", q("tok-2"), "auth_wo_version", "2", "auth_password_wo", "", "auth_password_wo_version", "")),
				Check:     env.expectCalls(`PATCH /stages/authenticator/sms/{id}/ {"auth_password":""}`),
			},
		},
	})
}
