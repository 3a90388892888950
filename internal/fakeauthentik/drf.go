package fakeauthentik

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// parseBody decodes a request body the way DRF's parsers do. An empty body,
// or one without a content type, is an empty dict.
func parseBody(w http.ResponseWriter, c *call) (map[string]any, bool) {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return map[string]any{}, true
	}
	ct := c.r.Header.Get("Content-Type")
	if ct == "" {
		return map[string]any{}, true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		writeDetail(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Unsupported media type %q in request.", ct))
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		writeDetail(w, http.StatusBadRequest, "JSON parse error - "+err.Error())
		return nil, false
	}
	if dec.More() {
		writeDetail(w, http.StatusBadRequest, "JSON parse error - Extra data")
		return nil, false
	}
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case nil:
		writeJSON(w, http.StatusBadRequest, obj{{"non_field_errors", []string{"No data provided"}}})
	default:
		writeJSON(w, http.StatusBadRequest, obj{{"non_field_errors", []string{"Invalid data. Expected a dictionary, but got " + pyType(v) + "."}}})
	}
	return nil, false
}

func pyType(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case string:
		return "str"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "int"
		}
		return "float"
	case []any:
		return "list"
	default:
		return "dict"
	}
}

// pyNumber renders a JSON number like Python's str() of the parsed value.
func pyNumber(n json.Number) string {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		if i, ok := new(bigInt).parse(s); ok {
			return i
		}
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	if math.IsInf(f, 0) {
		if f > 0 {
			return "inf"
		}
		return "-inf"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		r := strconv.FormatFloat(f, 'e', -1, 64)
		// Go: 1e+20, 1.5e-05; Python: 1e+20, 1.5e-05
		return r
	}
	r := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(r, ".") {
		r += ".0"
	}
	return r
}

// bigInt keeps arbitrary-size integers as Python would print them.
type bigInt struct{}

func (bigInt) parse(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	d := strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
	if d == "" {
		return "0", true
	}
	if neg {
		return "-" + d, true
	}
	return d, true
}

var hexDigits = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// parsePyUUID accepts what Python's uuid.UUID(hex) accepts and returns the
// canonical lower-case form.
func parsePyUUID(s string) (string, bool) {
	h := strings.ReplaceAll(strings.ReplaceAll(s, "urn:", ""), "uuid:", "")
	h = strings.ReplaceAll(strings.Trim(h, "{}"), "-", "")
	if !hexDigits.MatchString(h) {
		return "", false
	}
	h = strings.ToLower(h)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// strField is a DRF CharField (trim_whitespace=True).
type strField struct {
	name                  string
	required              bool
	allowBlank, allowNull bool
}

// check validates one value. It returns the value to store (nil = NULL),
// whether the field was present, and an error message ("" if valid).
func (f strField) check(data map[string]any, partial bool) (val *string, present bool, msg string) {
	raw, present := data[f.name]
	if !present {
		if f.required && !partial {
			return nil, false, msgRequired
		}
		return nil, false, ""
	}
	switch x := raw.(type) {
	case nil:
		if !f.allowNull {
			return nil, true, msgNull
		}
		return nil, true, ""
	case string:
		t := strings.TrimSpace(x)
		if t == "" && !f.allowBlank {
			return nil, true, msgBlank
		}
		return &t, true, ""
	case json.Number:
		t := pyNumber(x)
		return &t, true, ""
	default:
		return nil, true, msgNotString
	}
}

var slugRE = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

var designations = map[string]bool{
	"authentication": true, "authorization": true, "invalidation": true, "enrollment": true,
	"unenrollment": true, "recovery": true, "stage_configuration": true,
}

// validateFlowSetLocked validates a 2024.10 flow_set (FlowSetSerializer,
// many=True). It returns nil when the value is valid, which on the real
// server leads to the nested-write assertion.
func (s *Server) validateFlowSetLocked(raw any) any {
	switch x := raw.(type) {
	case nil:
		return []string{msgNull}
	case []any:
		var items []any
		bad := false
		for _, it := range x {
			m, ok := it.(map[string]any)
			if !ok {
				items = append(items, obj{{"non_field_errors", []string{"Invalid data. Expected a dictionary, but got " + pyType(it) + "."}}})
				bad = true
				continue
			}
			e := s.flowErrorsLocked(m)
			if e != nil {
				bad = true
			} else {
				e = obj{}
			}
			items = append(items, e)
		}
		if bad {
			return items
		}
		return nil
	default:
		return obj{{"non_field_errors", []string{fmt.Sprintf("Expected a list of items but got type %q.", pyType(raw))}}}
	}
}

// flowErrorsLocked validates a flow's required fields (FlowSerializer);
// nil when they are valid.
func (s *Server) flowErrorsLocked(m map[string]any) obj {
	var e obj
	for _, f := range []string{"name", "slug", "title", "designation"} {
		val, _, msg := (strField{name: f, required: true}).check(m, false)
		switch {
		case msg != "":
			e = append(e, kv{f, []string{msg}})
		case f == "slug" && !slugRE.MatchString(*val):
			e = append(e, kv{f, []string{"Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."}})
		case f == "slug" && s.flowBySlugLocked(*val) != nil:
			e = append(e, kv{f, []string{"Flow with this slug already exists."}})
		case f == "designation" && !designations[*val]:
			e = append(e, kv{f, []string{fmt.Sprintf("%q is not a valid choice.", *val)}})
		}
	}
	return e
}
