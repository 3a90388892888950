package fakeauthentik

import "strings"

// stageKind is one authenticator stage type, served at
// /stages/authenticator/<segment>/. An entry holds only what authentik's
// OpenAPI schema cannot say. Everything else is read from the <model> and
// <model>Request components of the imitated version (stagespec.go): which
// fields exist, their order, type, enum, maxLength, minimum/maximum,
// nullable, required, whether blank is allowed, and which are write-only
// (sent, stored, never returned). A kind whose component is missing from a
// version's schema does not exist there: its routes answer like any unknown
// route (the email stage on 2024.10).
type stageKind struct {
	segment string // path segment below /stages/authenticator/
	model   string // Django model class = schema component name
	verbose string // Meta.verbose_name (verbose_name_plural adds "s")
	// defaults are the model defaults of optional fields, as JSON. Fields
	// not listed default to their zero value: null if nullable, else "",
	// 0, false, [] or {}.
	defaults string
	// allChoices lists ArrayFields whose default is every choice of the
	// version's enum (validate's device_classes).
	allChoices []string
	// nonEmpty lists ArrayFields without blank=True: [] is rejected.
	nonEmpty []string
	// timedeltas lists TextFields with authentik's timedelta_string_validator.
	timedeltas []string
	// check holds Serializer.validate_<field> methods, run once the field
	// itself is valid.
	check map[string]fieldCheck
	// enterprise marks EnterpriseRequiredMixin serializers: without a valid
	// licence every otherwise valid write fails in validate().
	enterprise bool
}

// fieldCheck is a validate_<field> method: it sees the converted value and
// the raw request body, and returns an error message or "".
type fieldCheck func(value any, data map[string]any) string

// stageKinds are authentik's authenticator stages, as of 2024.10–2026.2.
var stageKinds = []*stageKind{
	{segment: "duo", model: "AuthenticatorDuoStage", verbose: "Duo Authenticator Setup Stage"},
	{segment: "totp", model: "AuthenticatorTOTPStage", verbose: "TOTP Authenticator Setup Stage"},
	{
		segment: "static", model: "AuthenticatorStaticStage", verbose: "Static Authenticator Setup Stage",
		defaults: `{"token_count":6,"token_length":12}`,
	},
	{
		segment: "webauthn", model: "AuthenticatorWebAuthnStage", verbose: "WebAuthn Authenticator Setup Stage",
		defaults: `{"user_verification":"preferred","resident_key_requirement":"preferred","prevent_duplicate_devices":true}`,
	},
	{
		segment: "sms", model: "AuthenticatorSMSStage", verbose: "SMS Authenticator Setup Stage",
		defaults: `{"auth_type":"basic"}`,
	},
	{
		segment: "email", model: "AuthenticatorEmailStage", verbose: "Email Authenticator Setup Stage",
		defaults: `{"host":"localhost","port":25,"timeout":10,"from_address":"system@authentik.local",` +
			`"subject":"authentik Sign-in code","token_expiry":"minutes=30","template":"email/email_otp.html"}`,
		timedeltas: []string{"token_expiry"},
	},
	{
		segment: "validate", model: "AuthenticatorValidateStage", verbose: "Authenticator Validation Stage",
		defaults:   `{"not_configured_action":"skip","last_auth_threshold":"seconds=0","webauthn_user_verification":"preferred"}`,
		allChoices: []string{"device_classes"},
		nonEmpty:   []string{"device_classes"},
		timedeltas: []string{"last_auth_threshold"},
		check:      map[string]fieldCheck{"not_configured_action": configureNeedsStages},
	},
	{
		segment: "endpoint_gdtc", model: "AuthenticatorEndpointGDTCStage",
		verbose: "Endpoint Authenticator Google Device Trust Connector Stage", enterprise: true,
	},
}

// configureNeedsStages is AuthenticatorValidateStageSerializer's
// validate_not_configured_action. It reads configuration_stages from the
// request body only, so a PATCH of not_configured_action alone fails even
// when the stage has configuration stages.
func configureNeedsStages(value any, data map[string]any) string {
	if value != "configure" {
		return ""
	}
	// Python's "not x or len(x) < 1": a non-empty string or object passes
	// here (the field itself then rejects it).
	switch x := data["configuration_stages"].(type) {
	case []any:
		if len(x) > 0 {
			return ""
		}
	case string:
		if x != "" {
			return ""
		}
	case map[string]any:
		if len(x) > 0 {
			return ""
		}
	}
	return `When "Not configured action" is set to "Configure", you must set a configuration stage.`
}

// stageKindBySegment finds a kind by its path segment.
func stageKindBySegment(segment string) *stageKind {
	for _, k := range stageKinds {
		if k.segment == segment {
			return k
		}
	}
	return nil
}

// Derived names. authentik's app label is authentik_stages_authenticator_<segment>
// and its form component ak-stage-authenticator-<segment with dashes>-form,
// for every kind (enterprise's endpoint_gdtc included).
func (k *stageKind) metaModelName() string {
	return "authentik_stages_authenticator_" + k.segment + "." + strings.ToLower(k.model)
}

func (k *stageKind) component() string {
	return "ak-stage-authenticator-" + strings.ReplaceAll(k.segment, "_", "-") + "-form"
}
