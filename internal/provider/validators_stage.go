package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// isObjectUUID validates the uuid of an authentik object that is not a flow
// (a property mapping, a stage); what says where to find one.
func isObjectUUID(what string) validator.String {
	return stringvalidator.RegexMatches(uuidRegexp, "must be the uuid of "+what)
}

// isEmailAddress validates an address the way Django's EmailValidator
// (authentik's EmailField, OpenAPI format "email") does: a dot-atom or
// quoted local part, and a domain that is localhost, a name with a
// top-level domain, or a [literal] address.
func isEmailAddress() validator.String {
	return stringvalidator.RegexMatches(emailRegexp, "must be an email address such as authentik@example.com")
}

var emailRegexp = regexp.MustCompile(`^(?i)` +
	`(?:[-!#$%&'*+/=?^_` + "`" + `{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_` + "`" + `{}|~0-9A-Z]+)*` +
	`|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!\x23-\x5b\x5d-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")` +
	`@(?:localhost|(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+(?:[A-Z0-9-]{2,63})|\[[0-9A-F:.]+\])$`)

// isJSONObject validates a JSON document that must be an object. It never
// repeats the value: it may be a secret (a service-account key).
func isJSONObject(what string) validator.String { return jsonObjectValidator{what: what} }

type jsonObjectValidator struct{ what string }

func (v jsonObjectValidator) Description(context.Context) string {
	return "must be a JSON object (" + v.what + "), for example from jsonencode() or file()"
}

func (v jsonObjectValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v jsonObjectValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(req.ConfigValue.ValueString()), &m); err != nil || m == nil {
		what := "is not valid JSON"
		if json.Valid([]byte(req.ConfigValue.ValueString())) {
			what = "is JSON but not an object"
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON object",
			fmt.Sprintf("%s %s; it must be a JSON object (%s), for example jsonencode({...}) or file(\"key.json\"). "+
				"The value is not shown, since it may be secret.", req.Path, what, v.what))
	}
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
