package fakeauthentik

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// pyStr is Python's str() of a decoded JSON value.
func pyStr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return x
	case json.Number:
		return pyNumber(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, pyRepr(k)+": "+pyRepr(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
	}
	return pyStr(v)
}

type tdResult int

const (
	tdValid tdResult = iota
	tdInvalid
	tdOverflow
)

var timedeltaUnits = map[string]float64{
	"microseconds": 1e-6, "milliseconds": 1e-3, "seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800,
}

// timedeltaCheck is authentik's timedelta_string_validator: "key=value"
// pairs split on ";", keys case-insensitive, unknown keys skipped, values
// parsed by Python's float(); at least one known key. timedelta() then
// raises OverflowError (not caught: a server error) beyond ±999999999 days.
func timedeltaCheck(expr string) tdResult {
	known, total := false, 0.0
	for _, pair := range strings.Split(expr, ";") {
		kv := strings.Split(pair, "=")
		if len(kv) != 2 {
			return tdInvalid
		}
		unit, ok := timedeltaUnits[strings.ToLower(kv[0])]
		if !ok {
			continue
		}
		f, ok := pyFloat(kv[1])
		if !ok || math.IsNaN(f) {
			return tdInvalid
		}
		known, total = true, total+f*unit
	}
	switch {
	case !known:
		return tdInvalid
	case math.IsInf(total, 0) || math.Abs(total)/86400 > 999999999:
		return tdOverflow
	}
	return tdValid
}

var reUnderscore = regexp.MustCompile(`(\d)_(\d)`)

// pyFloat is Python's float() of a string: surrounding whitespace,
// underscores between digits, inf/infinity/nan; no hexadecimal.
func pyFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(strings.ToLower(s), "0x") || strings.Contains(s, "__") {
		return 0, false
	}
	s = reUnderscore.ReplaceAllString(reUnderscore.ReplaceAllString(s, "$1$2"), "$1$2")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return 0, false
	}
	return f, true
}

var (
	emailUser   = regexp.MustCompile("(?i)^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$")
	emailDomain = regexp.MustCompile(`(?i)^((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63})$`)
)

// validEmail is Django's EmailValidator for the common cases: a dot-atom
// local part and a dotted domain (or localhost). Quoted local parts and
// address literals are not modelled.
func validEmail(v string) bool {
	at := strings.LastIndex(v, "@")
	if v == "" || at < 0 || len(v) > 320 {
		return false
	}
	user, domain := v[:at], v[at+1:]
	return emailUser.MatchString(user) && (domain == "localhost" || emailDomain.MatchString(domain) && !strings.HasSuffix(domain, "-"))
}
