package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NewWebAuthnStageResource returns the authentik_stage_authenticator_webauthn resource.
func NewWebAuthnStageResource() resource.Resource { return newStageResource(webauthnStage)() }

// userVerificationValues are authentik's UserVerificationEnum, which is also
// its ResidentKeyRequirementEnum (the 2026 schema uses the first for both).
var userVerificationValues = []string{"required", "preferred", "discouraged"}

// webauthnHintValues are authentik's WebAuthnHintEnum.
var webauthnHintValues = []string{"security-key", "client-device", "hybrid"}

// webauthnHintsSince is the first authentik version with WebAuthn hints
// (stage `hints`, validate stage `webauthn_hints`) and with
// `prevent_duplicate_devices`: both came after the 2026.2 releases (commits
// e9b33be6 "Add WebAuthn client hints support" and 0b1ba603 are in no
// version/2026.2.* tag) and are in the 2026.5 schema.
const webauthnHintsSince = "2026.5"

var webauthnStage = &stageKind{
	typeName: "stage_authenticator_webauthn",
	path:     "/stages/authenticator/webauthn/",
	title:    "WebAuthn stage",
	desc:     "A WebAuthn authenticator setup stage: lets users enroll a passkey or security key during a flow.",
	fields: append(authenticatorSetupFields("a WebAuthn device"),
		field{name: "user_verification", def: "preferred",
			stringValidators: []validator.String{stringvalidator.OneOf(userVerificationValues...)},
			desc:             "Whether the authenticator must verify the user (PIN, biometrics): `required`, `preferred` or `discouraged`."},
		field{name: "resident_key_requirement", def: "preferred",
			stringValidators: []validator.String{stringvalidator.OneOf(userVerificationValues...)},
			desc:             "Whether the credential must be discoverable (a passkey): `required`, `preferred` or `discouraged`."},
		field{name: "authenticator_attachment", clear: clearWithNull,
			stringValidators: []validator.String{stringvalidator.OneOf("platform", "cross-platform")},
			desc:             "Restrict enrollment to `platform` authenticators (built into the device) or `cross-platform` ones (security keys). Unset allows both."},
		field{name: "device_type_restrictions", typ: stringSetField,
			setValidators: []validator.Set{setvalidator.ValueStringsAre(isUUIDOf("WebAuthn device type aaguid",
				"the authentik_webauthn_device_type data source's aaguid"))},
			desc: "aaguids of the only WebAuthn device types users may enroll (see the `authentik_webauthn_device_type` data source). Unset allows all."},
		// authentik's default is 0; the official provider stores it as read,
		// so 0 is the default here too.
		field{name: "max_attempts", typ: int64Field, def: int64(0), since: "2025.8",
			int64Validators: []validator.Int64{int64validator.Between(0, maxPositiveInt)},
			desc:            "Failed enrollment attempts allowed before the flow is cancelled; `0` allows any number."},
		// Order is the preference order the browser gets, so a list.
		field{name: "hints", typ: stringListField, since: webauthnHintsSince,
			listValidators: []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(webauthnHintValues...)), listvalidator.UniqueValues()},
			desc:           "WebAuthn hints for the browser, in order of preference: `security-key`, `client-device`, `hybrid`."},
		field{name: "prevent_duplicate_devices", typ: boolField, def: true, since: webauthnHintsSince,
			desc: "Whether a given device can be registered only once."},
	),
}

// isUUIDOf validates a uuid referring to an authentik object, with a
// message naming what it is and where to find it.
func isUUIDOf(what, where string) validator.String {
	return stringvalidator.RegexMatches(uuidRegexp,
		"must be a "+what+", a UUID such as 2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b (use "+where+")")
}
