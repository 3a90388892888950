package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// yubikey5 is the aaguid of a "YubiKey 5 Series" in every authentik's
// device catalogue (2024.10.5 and 2025.12.4 checked).
const yubikey5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8"

// titanV2 is "Google Titan Security Key v2".
const titanV2 = "42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3"

func init() {
	registerStageCase(stageCase{
		kind:    webauthnStage,
		minimal: map[string]string{},
		// Every optional attribute every supported version has; max_attempts
		// (2025.8), hints and prevent_duplicate_devices (2026.5) are gated.
		full: map[string]string{
			"configure_flow": "{flow}", "friendly_name": q("Passkey"),
			"user_verification": q("required"), "resident_key_requirement": q("required"),
			"authenticator_attachment": q("cross-platform"),
			"device_type_restrictions": "[" + q(yubikey5) + ", " + q(titanV2) + "]",
		},
		drift: authentik.StageBody{"user_verification": "discouraged"},
		officialState: map[string]any{
			"name": "{name}", "friendly_name": "", "configure_flow": "", "user_verification": "preferred",
			"resident_key_requirement": "preferred", "authenticator_attachment": "", "device_type_restrictions": []string{},
			"max_attempts": 0, "hints": []string{}, "prevent_duplicate_devices": true,
		},
	})
}

const webauthnStageType = "authentik_stage_authenticator_webauthn"

func TestAccWebAuthnStage_validation(t *testing.T) {
	t.Parallel()
	base := map[string]string{"name": q("tf-acc-webauthn-validation")}
	testPlanErrors(t, webauthnStageType, map[string]planErrorCase{
		"user_verification": {with(base, "user_verification", q("always")),
			`Attribute user_verification value must be one of: \["required" "preferred" "discouraged"\], got: "always"`},
		"resident_key_requirement": {with(base, "resident_key_requirement", q("Required")),
			`Attribute resident_key_requirement value must be one of: \["required" "preferred" "discouraged"\], got: "Required"`},
		"authenticator_attachment": {with(base, "authenticator_attachment", q("usb")),
			`Attribute authenticator_attachment value must be one of: \["platform" "cross-platform"\], got: "usb"`},
		"device type not a uuid": {with(base, "device_type_restrictions", `["YubiKey 5 Series"]`),
			`Attribute device_type_restrictions\[Value\("YubiKey 5 Series"\)\] must be a WebAuthn device type aaguid`},
		"negative max_attempts": {with(base, "max_attempts", "-1"), `Attribute max_attempts value must be between 0 and 2147483647, got: -1`},
		"unknown hint": {with(base, "hints", `["usb"]`),
			`Attribute hints\[0\] value must be one of: \["security-key" "client-device" "hybrid"\], got: "usb"`},
		"repeated hint":       {with(base, "hints", `["hybrid", "hybrid"]`), `Duplicate List Value.*hints = \["hybrid", "hybrid"\].*contains duplicate values of: "hybrid"`},
		"configure_flow slug": {with(base, "configure_flow", q("default-webauthn-setup")), `Attribute configure_flow must be a UUID`},
	})
}

// Members a server's version lacks are refused before any write, naming
// both versions: authentik would ignore them and the plan never settle.
func TestAccWebAuthnStage_tooOld(t *testing.T) {
	t.Parallel()
	base := map[string]string{"name": q("tf-acc-webauthn-old")}
	t.Run("max_attempts on 2024.10", func(t *testing.T) {
		t.Parallel()
		testTooOld(t, fakeauthentik.V2024_10, webauthnStageType, with(base, "max_attempts", "3"),
			"authentik 2024.10.5 has no max_attempts.*`max_attempts` exists from authentik 2025.8 on; this server runs 2024.10.5")
	})
	t.Run("hints on 2025.12", func(t *testing.T) {
		t.Parallel()
		testTooOld(t, fakeauthentik.V2025_12, webauthnStageType, with(base, "hints", `["security-key"]`),
			"authentik 2025.12.4 has no hints.*`hints` exists from authentik 2026.5 on")
	})
	t.Run("prevent_duplicate_devices on 2025.12", func(t *testing.T) {
		t.Parallel()
		testTooOld(t, fakeauthentik.V2025_12, webauthnStageType, with(base, "prevent_duplicate_devices", "false"),
			"authentik 2025.12.4 has no prevent_duplicate_devices.*exists from authentik 2026.5 on")
	})
}

// A gated member left out of the configuration is never sent, so the
// stage works on every version; its default is what the official provider
// stored, so its state plans empty.
func TestWebAuthnStage_bodies(t *testing.T) {
	r := testStageResource(webauthnStage)
	plan := stageValues(webauthnStage, map[string]any{"name": "w", "user_verification": "preferred",
		"resident_key_requirement": "preferred", "max_attempts": 0, "prevent_duplicate_devices": true})
	config := stageValues(webauthnStage, map[string]any{"name": "w"})
	var diags diag.Diagnostics
	body := r.createBody(plan, config, &diags)
	for _, gated := range []string{"max_attempts", "hints", "prevent_duplicate_devices"} {
		if _, sent := body[gated]; sent {
			t.Errorf("create sent %s, which was not configured", gated)
		}
	}
	base := map[string]any{"id": "id", "name": "w", "user_verification": "preferred", "resident_key_requirement": "preferred",
		"max_attempts": 0, "prevent_duplicate_devices": true, "device_type_restrictions": []string{yubikey5, titanV2}}
	cases := map[string]struct {
		plan, state map[string]any
		want        string
	}{
		"set reordered":        {withValues(base, map[string]any{"device_type_restrictions": []string{titanV2, yubikey5}}), base, `{}`},
		"restrictions cleared": {withValues(base, map[string]any{"device_type_restrictions": nil}), base, `{"device_type_restrictions":[]}`},
		"attachment cleared":   {base, withValues(base, map[string]any{"authenticator_attachment": "platform"}), `{"authenticator_attachment":null}`},
		"hints in order":       {withValues(base, map[string]any{"hints": []string{"hybrid", "security-key"}}), base, `{"hints":["hybrid","security-key"]}`},
		"max_attempts reset":   {base, withValues(base, map[string]any{"max_attempts": 5}), `{"max_attempts":0}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := patchOf(t, webauthnStage, tc.plan, tc.state, tc.plan); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
