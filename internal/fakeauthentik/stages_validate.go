package fakeauthentik

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// stageWrite is the outcome of validating one create, PUT or PATCH.
type stageWrite struct {
	errs  obj            // field -> messages, in serializer order
	set   map[string]any // validated values to store
	crash bool           // the real server raises after validation (405 text/html)
}

// validateStageLocked runs a stage serializer over data: every writable
// field in serializer order (unknown and read-only keys are ignored), then
// the serializer's validate() when every field passed. self is the stage's
// pk on PUT and PATCH.
func (s *Server) validateStageLocked(sp *kindSpec, data map[string]any, self string, partial bool) *stageWrite {
	v := &stageWrite{set: map[string]any{}}
	for _, f := range sp.fields {
		raw, present := data[f.name]
		if !present {
			if f.required && !partial {
				v.errs = append(v.errs, kv{f.name, []string{msgRequired}})
			}
			continue
		}
		val, detail := s.stageFieldLocked(sp, f, raw, self)
		if detail == nil && sp.kind.check[f.name] != nil {
			if msg := sp.kind.check[f.name](val, data); msg != "" {
				detail = []string{msg}
			}
		}
		switch {
		case detail != nil:
			v.errs = append(v.errs, kv{f.name, detail})
		case f.typ == ftFlowSet:
			// ≤ 2025.10: a valid flow_set reaches DRF's assertion against
			// writable nested fields, an unhandled exception.
			v.crash = true
		case isCrash(val):
			v.crash = true
		default:
			v.set[f.name] = val
		}
	}
	if len(v.errs) == 0 && sp.kind.enterprise && !s.stages.licensed {
		v.errs = obj{{"non_field_errors", []string{"Enterprise is required to create/update this object."}}}
	}
	return v
}

// crashValue marks a value whose validator raised something other than a
// validation error.
type crashValue struct{}

func isCrash(v any) bool { _, ok := v.(crashValue); return ok }

// stageFieldLocked validates one present field and returns the value to
// store, or the error detail: a list of messages, or (for a list field) an
// object of them by item index.
func (s *Server) stageFieldLocked(sp *kindSpec, f *stageField, raw any, self string) (any, any) {
	exists := func(pk string) bool { return s.relatedExistsLocked(f.rel, pk) }
	switch f.typ {
	case ftString, ftEmail:
		return s.charFieldLocked(sp, f, raw, self)
	case ftChoice:
		if raw == nil {
			return nullable(f)
		}
		return choice(f.choices, raw)
	case ftInt:
		return intField(f, raw)
	case ftBool:
		return boolField(raw)
	case ftPK:
		pk, msg := checkPK(raw, exists)
		if msg != "" {
			return nil, []string{msg}
		}
		if pk == nil {
			return nullable(f)
		}
		return *pk, nil
	case ftPKList:
		return pkList(raw, exists)
	case ftChoiceList:
		return choiceList(f, raw, slicesContains(sp.kind.nonEmpty, f.name))
	case ftFlowSet:
		if e := s.validateFlowSetLocked(raw); e != nil {
			return nil, e
		}
		return nil, nil
	case ftDict:
		if _, ok := raw.(map[string]any); !ok && raw != nil {
			return nil, []string{"Value must be a dictionary, and not have any duplicate keys."}
		}
	}
	if raw == nil { // JSONField(allow_null=False)
		return nil, []string{msgNull}
	}
	return raw, nil
}

func nullable(f *stageField) (any, any) {
	if f.nullable {
		return nil, nil
	}
	return nil, []string{msgNull}
}

func slicesContains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// charFieldLocked is DRF's CharField (trim_whitespace=True) with the field's
// validators: max_length, no NUL, EmailValidator, the kind's timedelta
// validator and, for name, the unique validator across all stages.
func (s *Server) charFieldLocked(sp *kindSpec, f *stageField, raw any, self string) (any, any) {
	val, present, msg := (strField{name: f.name, allowBlank: f.blank, allowNull: f.nullable}).check(map[string]any{f.name: raw}, true)
	if msg != "" || !present {
		return nil, []string{msg}
	}
	if val == nil {
		return nil, nil
	}
	t := *val
	var msgs []string
	if f.maxLength > 0 && utf8.RuneCountInString(t) > f.maxLength {
		msgs = append(msgs, fmt.Sprintf("Ensure this field has no more than %d characters.", f.maxLength))
	}
	if strings.ContainsRune(t, 0) {
		msgs = append(msgs, "Null characters are not allowed.")
	}
	if f.typ == ftEmail && !validEmail(t) {
		msgs = append(msgs, "Enter a valid email address.")
	}
	if t != "" && slicesContains(sp.kind.timedeltas, f.name) {
		switch timedeltaCheck(t) {
		case tdInvalid:
			msgs = append(msgs, t+" is not in the correct format of 'hours=3;minutes=1'.")
		case tdOverflow:
			return crashValue{}, nil
		}
	}
	if f.name == "name" && len(msgs) == 0 && s.stageNameTakenLocked(t, self) {
		msgs = append(msgs, "stage with this name already exists.")
	}
	if len(msgs) > 0 {
		return nil, msgs
	}
	return t, nil
}

// choice is DRF's ChoiceField: str(value) must be a choice; "" is not.
func choice(choices []string, raw any) (any, any) {
	text := pyStr(raw)
	for _, c := range choices {
		if c == text {
			return c, nil
		}
	}
	return nil, []string{`"` + text + `" is not a valid choice.`}
}

var reDecimal = regexp.MustCompile(`\.0*\s*$`)
var reInt = regexp.MustCompile(`^[+-]?\d+(_\d+)*$`)

// intField is DRF's IntegerField: int(str(value)) after dropping a ".0"
// tail, then its max_value and min_value validators.
func intField(f *stageField, raw any) (any, any) {
	if raw == nil {
		return nullable(f)
	}
	if x, ok := raw.(string); ok && len(x) > 1000 {
		return nil, []string{"String value too large."}
	}
	text := strings.TrimSpace(reDecimal.ReplaceAllString(pyStr(raw), ""))
	n, ok := new(big.Int).SetString(strings.ReplaceAll(text, "_", ""), 10)
	if _, isBool := raw.(bool); isBool || !reInt.MatchString(text) || !ok {
		return nil, []string{"A valid integer is required."}
	}
	var msgs []string
	if f.max != nil && n.Cmp(big.NewInt(*f.max)) > 0 {
		msgs = append(msgs, fmt.Sprintf("Ensure this value is less than or equal to %d.", *f.max))
	}
	if f.min != nil && n.Cmp(big.NewInt(*f.min)) < 0 {
		msgs = append(msgs, fmt.Sprintf("Ensure this value is greater than or equal to %d.", *f.min))
	}
	if len(msgs) > 0 {
		return nil, msgs
	}
	// Every integer field of these serializers has a database range, so
	// a value that passed fits.
	return n.Int64(), nil
}

var (
	boolTrue  = map[string]bool{"t": true, "T": true, "y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true, "1": true}
	boolFalse = map[string]bool{"f": true, "F": true, "n": true, "N": true, "no": true, "No": true, "NO": true, "false": true, "False": true, "FALSE": true, "off": true, "Off": true, "OFF": true, "0": true}
)

// boolField is DRF's BooleanField: its TRUE_VALUES and FALSE_VALUES, where
// the numbers 1 and 0 (also 1.0 and 0.0) count like Python's set lookup.
func boolField(raw any) (any, any) {
	switch x := raw.(type) {
	case nil:
		return nil, []string{msgNull}
	case bool:
		return x, nil
	case string:
		if boolTrue[x] {
			return true, nil
		}
		if boolFalse[x] {
			return false, nil
		}
	case json.Number:
		if f, err := x.Float64(); err == nil && (f == 1 || f == 0) {
			return f == 1, nil
		}
	}
	return nil, []string{"Must be a valid boolean."}
}

// checkPK is PrimaryKeyRelatedField over a UUID primary key, with "" read
// as null (RelatedField.run_validation). A nil pointer means null.
func checkPK(raw any, exists func(string) bool) (*string, string) {
	switch x := raw.(type) {
	case nil:
		return nil, ""
	case bool:
		return nil, "Incorrect type. Expected pk value, received bool."
	case string:
		if x == "" {
			return nil, ""
		}
		pk, ok := parsePyUUID(x)
		if !ok {
			return nil, "“" + x + "” is not a valid UUID."
		}
		if !exists(pk) {
			return nil, fmt.Sprintf("Invalid pk \"%s\" - object does not exist.", x)
		}
		return &pk, ""
	case json.Number:
		text := pyNumber(x)
		if _, err := x.Int64(); err != nil || strings.HasPrefix(text, "-") {
			return nil, "“" + text + "” is not a valid UUID."
		}
		return nil, fmt.Sprintf("Invalid pk \"%s\" - object does not exist.", text)
	default:
		return nil, "Incorrect type. Expected pk value, received " + pyType(raw) + "."
	}
}

// pkList is ManyRelatedField: a list of pks, each looked up by the child
// field's to_internal_value (so null is a pk "None" and "" a bad UUID); the
// first bad item is the error. Duplicates collapse (RelatedManager.set).
func pkList(raw any, exists func(string) bool) (any, any) {
	items, detail := listOf(raw)
	if detail != nil {
		return nil, detail
	}
	var pks []string
	for _, it := range items {
		switch x := it.(type) {
		case nil:
			return nil, []string{`Invalid pk "None" - object does not exist.`}
		case string:
			if x == "" {
				return nil, []string{"“” is not a valid UUID."}
			}
		}
		pk, msg := checkPK(it, exists)
		if msg != "" {
			return nil, []string{msg}
		}
		pks = append(pks, *pk)
	}
	return pks, nil
}

// choiceList is ListField(child=ChoiceField) for a Postgres ArrayField:
// errors by item index; order and duplicates are kept.
func choiceList(f *stageField, raw any, nonEmpty bool) (any, any) {
	items, detail := listOf(raw)
	if detail != nil {
		return nil, detail
	}
	if nonEmpty && len(items) == 0 {
		return nil, []string{"This list may not be empty."}
	}
	out := []string{}
	var errs obj
	for i, it := range items {
		var msgs any
		var c any
		if it == nil {
			msgs = []string{msgNull}
		} else {
			c, msgs = choice(f.choices, it)
		}
		if msgs != nil {
			errs = append(errs, kv{strconv.Itoa(i), msgs})
			continue
		}
		out = append(out, c.(string))
	}
	if errs != nil {
		return nil, errs
	}
	return out, nil
}

// listOf accepts what DRF's list fields iterate: a list, or (as Python
// iterates a dict) an object's keys. Strings, numbers and booleans are not
// lists; null is "may not be null".
func listOf(raw any) ([]any, any) {
	switch x := raw.(type) {
	case nil:
		return nil, []string{msgNull}
	case []any:
		return x, nil
	case map[string]any: // Go lost the key order; sorted stands in
		var out []any
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = append(out, k)
		}
		return out, nil
	}
	return nil, []string{fmt.Sprintf("Expected a list of items but got type %q.", pyType(raw))}
}
