package provider

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
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

// timedeltaUnits are the keys authentik's timedelta_from_string takes
// (authentik/lib/utils/time.py), case-insensitive.
var timedeltaUnits = []string{"weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds"}

var timedeltaSeconds = map[string]float64{
	"weeks": 7 * 86400, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1, "milliseconds": 1e-3, "microseconds": 1e-6,
}

// pythonFloat is the decimal syntax of Python's float() (after authentik
// strips the value), without inf and nan, which authentik cannot use.
var pythonFloat = regexp.MustCompile(`^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$`)

// maxTimedeltaSeconds is Python's timedelta.max; beyond it authentik fails
// with a server error instead of a validation message.
const maxTimedeltaSeconds = 999999999 * 86400

// isTimedelta validates authentik's duration string, "hours=1;minutes=30".
// authentik splits it on ";" and each part on "=" (exactly one), ignores
// unknown keys (if one key is known) and parses values as floats. Unknown
// keys are refused here: authentik would ignore a typo such as "hour=1".
func isTimedelta() validator.String { return timedeltaValidator{} }

type timedeltaValidator struct{}

func (timedeltaValidator) Description(context.Context) string {
	return "must be a duration such as hours=1;minutes=30 (units " + strings.Join(timedeltaUnits, ", ") + ")"
}

func (v timedeltaValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (timedeltaValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkTimedelta(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a duration authentik understands: %s. Write unit=number pairs separated by \";\", "+
				"such as hours=1;minutes=30, with units %s.", req.ConfigValue.ValueString(), err, strings.Join(timedeltaUnits, ", ")))
	}
}

func checkTimedelta(s string) error {
	var total float64
	for _, pair := range strings.Split(s, ";") {
		key, value, ok := strings.Cut(pair, "=")
		switch {
		case pair == "":
			return fmt.Errorf("it has an empty part (a \";\" too many)")
		case !ok || strings.Contains(value, "="):
			return fmt.Errorf("%q must have exactly one \"=\"", pair)
		}
		unit, known := timedeltaSeconds[strings.ToLower(key)]
		if !known {
			return fmt.Errorf("%q is not a unit", key)
		}
		v := strings.TrimSpace(value)
		if !pythonFloat.MatchString(v) {
			return fmt.Errorf("%q is not a number", value)
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", value)
		}
		total += n * unit
	}
	if math.Abs(total) > maxTimedeltaSeconds || math.IsInf(total, 0) {
		return fmt.Errorf("it is longer than the longest duration authentik can hold (999999999 days)")
	}
	return nil
}
