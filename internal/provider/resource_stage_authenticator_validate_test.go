package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func init() {
	registerStageCase(stageCase{
		kind:    validateStage,
		minimal: map[string]string{"device_classes": `["totp"]`},
		full: map[string]string{
			"device_classes":                `["static", "totp", "webauthn"]`,
			"not_configured_action":         q("configure"),
			"configuration_stages":          "[authentik_stage_authenticator_totp.setup.id, authentik_stage_authenticator_static.setup.id]",
			"last_auth_threshold":           q("hours=1;minutes=30"),
			"webauthn_user_verification":    q("required"),
			"webauthn_allowed_device_types": "[" + q(yubikey5) + "]",
		},
		extraHCL: hcl(totpStageType, "setup", map[string]string{"name": q("{name}-totp")}) +
			hcl(staticStageType, "setup", map[string]string{"name": q("{name}-static")}),
		drift: authentik.StageBody{"not_configured_action": "deny"},
		officialState: map[string]any{
			"name": "{name}", "not_configured_action": "skip", "device_classes": []string{"totp"},
			"configuration_stages": []string{}, "last_auth_threshold": "seconds=0", "webauthn_user_verification": "preferred",
			"webauthn_allowed_device_types": []string{}, "webauthn_hints": []string{},
			// Members of a later authentik than any schema here: our schema
			// lacks them and the framework drops them from the state.
			"email_otp_throttling_factor": 1, "sms_otp_throttling_factor": 1,
			"totp_otp_throttling_factor": 1, "static_otp_throttling_factor": 1,
		},
	})
}

const validateStageType = "authentik_stage_authenticator_validate"

func TestAccValidateStage_validation(t *testing.T) {
	t.Parallel()
	base := map[string]string{"name": q("tf-acc-validate-validation"), "device_classes": `["totp"]`}
	testPlanErrors(t, validateStageType, map[string]planErrorCase{
		"no device_classes":     {with(base, "device_classes", ""), `The argument "device_classes" is required`},
		"empty device_classes":  {with(base, "device_classes", "[]"), `Attribute device_classes set must contain at least 1 elements, got: 0`},
		"unknown device class":  {with(base, "device_classes", `["totp", "yubikey"]`), `Attribute device_classes\[Value\("yubikey"\)\] value must be one of:.*got: "yubikey"`},
		"not_configured_action": {with(base, "not_configured_action", q("allow")), `Attribute not_configured_action value must be one of: \["skip" "deny" "configure"\], got: "allow"`},
		"configuration stage name": {with(base, "configuration_stages", `["default-authenticator-totp-setup"]`),
			`Attribute configuration_stages\[Value\("default-authenticator-totp-setup"\)\] must be a stage uuid`},
		"device type not a uuid": {with(base, "webauthn_allowed_device_types", `["YubiKey"]`),
			`Attribute webauthn_allowed_device_types\[Value\("YubiKey"\)\] must be a WebAuthn device type aaguid`},
		"webauthn_user_verification": {with(base, "webauthn_user_verification", q("yes")), `Attribute webauthn_user_verification value must be one of`},
		"unknown hint":               {with(base, "webauthn_hints", `["nfc"]`), `Attribute webauthn_hints\[0\] value must be one of`},
		"threshold unit typo": {with(base, "last_auth_threshold", q("hour=1")),
			`Invalid duration.*"hour=1" is not a duration authentik understands: "hour" is not a unit. Write unit=number pairs separated by ";", such as hours=1;minutes=30, with units weeks, days, hours, minutes, seconds, milliseconds, microseconds.`},
		"threshold not a number": {with(base, "last_auth_threshold", q("hours=one")), `"hours=one" is not a duration authentik understands: "one" is not a number`},
		"threshold trailing ;":   {with(base, "last_auth_threshold", q("hours=1;")), `it has an empty part`},
		"threshold empty":        {with(base, "last_auth_threshold", q("")), `Attribute last_auth_threshold UTF-8 character count must be at least 1`},
		"threshold too long":     {with(base, "last_auth_threshold", q("days=1000000000")), `longer than the longest duration authentik can hold`},
	})
}

// checkTimedelta accepts what authentik's timedelta_from_string parses
// (authentik/lib/utils/time.py) and refuses what it rejects, fails on with a
// server error, or silently ignores (unknown keys).
func TestCheckTimedelta(t *testing.T) {
	good := []string{"seconds=0", "hours=1;minutes=30", "days=1;hours=2;minutes=3;seconds=4", "Hours=1", "weeks=2",
		"milliseconds=500;microseconds=7", "minutes=1.5", "seconds= 30 ", "hours=-1", "hours=+1", "seconds=1e3", "seconds=.5",
		"seconds=1_000", "days=999999999"}
	bad := map[string]string{
		"":                   "empty part",
		"hours":              `exactly one "="`,
		"hours=1=2":          `exactly one "="`,
		"hours=1;":           "empty part",
		";hours=1":           "empty part",
		"hour=1":             `"hour" is not a unit`,
		" hours=1":           `" hours" is not a unit`,
		"hours =1":           `"hours " is not a unit`,
		"hours=1;years=1":    `"years" is not a unit`,
		"hours=":             "not a number",
		"hours=inf":          "not a number",
		"hours=nan":          "not a number",
		"hours=0x10":         "not a number",
		"hours=1_":           "not a number",
		"hours=1,5":          "not a number",
		"days=1000000000":    "longest duration",
		"weeks=1e300":        "longest duration",
		"seconds=1e400":      "not a number",
		"hours=1, minutes=2": `exactly one "="`,
	}
	for _, s := range good {
		if err := checkTimedelta(s); err != nil {
			t.Errorf("%q: unexpected error %v", s, err)
		}
	}
	for s, want := range bad {
		err := checkTimedelta(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error with %q", s, err, want)
		}
	}
}

func TestAccValidateStage_tooOld(t *testing.T) {
	t.Parallel()
	testTooOld(t, fakeauthentik.V2025_12, validateStageType,
		map[string]string{"name": q("tf-acc-validate-old"), "device_classes": `["webauthn"]`, "webauthn_hints": `["hybrid"]`},
		"authentik 2025.12.4 has no webauthn_hints.*`webauthn_hints` exists from authentik 2026.5 on")
}

func TestValidateStage_bodies(t *testing.T) {
	base := map[string]any{"id": "id", "name": "v", "not_configured_action": "skip", "device_classes": []string{"totp", "static"},
		"last_auth_threshold": "seconds=0", "webauthn_user_verification": "preferred", "configuration_stages": []string{"a", "b"}}
	cases := map[string]struct {
		plan, state map[string]any
		want        string
	}{
		"classes reordered":  {withValues(base, map[string]any{"device_classes": []string{"static", "totp"}}), base, `{}`},
		"stages reordered":   {withValues(base, map[string]any{"configuration_stages": []string{"b", "a"}}), base, `{}`},
		"stages cleared":     {withValues(base, map[string]any{"configuration_stages": nil}), base, `{"configuration_stages":[]}`},
		"threshold reset":    {base, withValues(base, map[string]any{"last_auth_threshold": "hours=1"}), `{"last_auth_threshold":"seconds=0"}`},
		"action reset":       {base, withValues(base, map[string]any{"not_configured_action": "deny"}), `{"not_configured_action":"skip"}`},
		"device types clear": {base, withValues(base, map[string]any{"webauthn_allowed_device_types": []string{yubikey5}}), `{"webauthn_allowed_device_types":[]}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := patchOf(t, validateStage, tc.plan, tc.state, tc.plan); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// A validation stage bound to the TOTP, static and WebAuthn setup stages
// through configuration_stages; reordering the list is no change. Needs a
// fake that models these stages (branch fakestages) or a real authentik.
func TestAccValidateStage_configurationStages(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	setup := hcl(totpStageType, "setup", map[string]string{"name": q(env.uniqueName("totp"))}) +
		hcl(staticStageType, "setup", map[string]string{"name": q(env.uniqueName("static"))}) +
		hcl(webauthnStageType, "setup", map[string]string{"name": q(env.uniqueName("webauthn"))})
	name := env.uniqueName("validate")
	validate := func(stages string) string {
		return env.config(setup + hcl(validateStageType, "x", map[string]string{
			"name": q(name), "device_classes": `["totp", "static", "webauthn"]`,
			"not_configured_action": q("configure"), "configuration_stages": stages,
		}))
	}
	forward := validate("[authentik_stage_authenticator_totp.setup.id, authentik_stage_authenticator_static.setup.id, authentik_stage_authenticator_webauthn.setup.id]")
	reverse := validate("[authentik_stage_authenticator_webauthn.setup.id, authentik_stage_authenticator_static.setup.id, authentik_stage_authenticator_totp.setup.id]")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{
				Config: forward,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validateStageType+".x", tfjsonpath.New("configuration_stages"), knownvalue.SetSizeExact(3)),
					statecheck.ExpectKnownValue(validateStageType+".x", tfjsonpath.New("last_auth_threshold"), knownvalue.StringExact("seconds=0")),
				},
			},
			{
				PreConfig: env.before(nil),
				Config:    reverse,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: env.expectCalls(),
			},
		},
	})
}
