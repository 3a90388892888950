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

// isTimedelta validates authentik's duration strings ("minutes=30",
// "hours=1;minutes=30") exactly as authentik.lib.utils.time.
// timedelta_from_string parses them: pairs separated by ";", each exactly
// one key=value; keys compared case-insensitively with the allowed ones,
// unknown keys skipped; values are floats (surrounding space allowed); at
// least one allowed key. authentik's help text shows "," as the separator,
// which its own parser rejects, so the message names ";".
func isTimedelta() validator.String { return timedeltaValidator{} }

type timedeltaValidator struct{}

var timedeltaKeys = []string{"microseconds", "milliseconds", "seconds", "minutes", "hours", "days", "weeks"}

var timedeltaUnits = map[string]float64{"microseconds": 1e-6, "milliseconds": 1e-3, "seconds": 1, "minutes": 60,
	"hours": 3600, "days": 86400, "weeks": 7 * 86400}

func (timedeltaValidator) Description(context.Context) string {
	return "must be an authentik duration such as minutes=30 or hours=1;minutes=30 (keys: " + strings.Join(timedeltaKeys, ", ") + ")"
}

func (v timedeltaValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v timedeltaValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if why := timedeltaProblem(s); why != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid authentik duration",
			fmt.Sprintf("%s is %q: %s. Use key=value pairs separated by \";\", such as minutes=30 or hours=1;minutes=30 "+
				"(keys: %s).", req.Path, s, why, strings.Join(timedeltaKeys, ", ")))
	}
}

// timedeltaProblem says why authentik would refuse s, or "".
func timedeltaProblem(s string) string {
	valid, seconds := 0, 0.0
	for pair := range strings.SplitSeq(s, ";") {
		key, value, ok := strings.Cut(pair, "=")
		if !ok || strings.Contains(value, "=") {
			return fmt.Sprintf("%q is not a single key=value pair", pair)
		}
		unit, known := timedeltaUnits[strings.ToLower(key)]
		if !known {
			continue // authentik skips unknown keys
		}
		value = strings.TrimSpace(value)
		f, err := strconv.ParseFloat(pythonDigits(value), 64)
		if err != nil || strings.ContainsAny(value, "xXpP") { // Go reads hexadecimal floats, Python does not
			return fmt.Sprintf("%q is not a number", value)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Sprintf("%q is not a finite number", value)
		}
		valid++
		seconds += f * unit
	}
	if valid == 0 {
		return "it has no known key"
	}
	if math.Abs(seconds) >= 999999999*86400 { // Python's timedelta limit
		return "it is longer than Python's timedelta allows (999999999 days)"
	}
	return ""
}

// pythonDigits drops the underscores Python's float() allows between two
// digits ("1_000"); any other underscore is left for ParseFloat to refuse.
func pythonDigits(s string) string {
	digit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && digit(i-1) && digit(i+1) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
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
	`|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")` +
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
