package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NewValidateStageResource returns the authentik_stage_authenticator_validate resource.
func NewValidateStageResource() resource.Resource { return newStageResource(validateStage)() }

// deviceClassValues are authentik's DeviceClassesEnum. `email` exists from
// authentik 2025.2 on; older servers reject it themselves.
var deviceClassValues = []string{"static", "totp", "webauthn", "duo", "sms", "email"}

var validateStage = &stageKind{
	typeName: "stage_authenticator_validate",
	path:     "/stages/authenticator/validate/",
	title:    "authenticator validation stage",
	desc:     "An authenticator validation stage: asks the user for a second factor with one of their enrolled devices.",
	fields: []field{
		{name: "not_configured_action", def: "skip",
			stringValidators: []validator.String{stringvalidator.OneOf("skip", "deny", "configure")},
			desc: "What happens when the user has no device of the allowed classes: `skip` the stage, `deny` access, " +
				"or `configure` one with `configuration_stages`."},
		// Required: authentik refuses an empty list, and its default (every
		// class the version knows) differs between versions, so no static
		// default could stand for it.
		{name: "device_classes", typ: stringSetField, required: true,
			setValidators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.OneOf(deviceClassValues...))},
			desc: "Device classes users may authenticate with: `static`, `totp`, `webauthn`, `duo`, `sms`, `email` " +
				"(`email` needs authentik 2025.2 or later)."},
		{name: "configuration_stages", typ: stringSetField,
			setValidators: []validator.Set{setvalidator.ValueStringsAre(isUUIDOf("stage uuid", "an authenticator stage resource's id"))},
			desc: "uuids of the authenticator setup stages offered when `not_configured_action` is `configure`. " +
				"After one of them passes, the user is not asked again."},
		{name: "last_auth_threshold", def: "seconds=0",
			stringValidators: append(nonEmpty(), isTimedelta()),
			desc: "Skip the stage if one of the user's devices was used within this time, written as authentik's " +
				"duration, e.g. `hours=1;minutes=30` (units: " + strings.Join(timedeltaUnits, ", ") + "). `seconds=0` never skips."},
		{name: "webauthn_user_verification", def: "preferred",
			stringValidators: []validator.String{stringvalidator.OneOf(userVerificationValues...)},
			desc:             "Whether WebAuthn devices must verify the user: `required`, `preferred` or `discouraged`."},
		{name: "webauthn_allowed_device_types", typ: stringSetField,
			setValidators: []validator.Set{setvalidator.ValueStringsAre(isUUIDOf("WebAuthn device type aaguid",
				"the authentik_webauthn_device_type data source's aaguid"))},
			desc: "aaguids of the only WebAuthn device types accepted (see the `authentik_webauthn_device_type` data source). Unset accepts all."},
		{name: "webauthn_hints", typ: stringListField, since: webauthnHintsSince,
			listValidators: []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(webauthnHintValues...)), listvalidator.UniqueValues()},
			desc:           "WebAuthn hints for the browser, in order of preference: `security-key`, `client-device`, `hybrid`."},
	},
}
