package provider

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// fieldType is what a stage field holds, in Terraform and in authentik's JSON.
type fieldType int

const (
	stringField fieldType = iota
	int64Field
	boolField
	// stringSetField is a list in authentik whose order means nothing
	// (many-to-many relations, enum lists): a set in Terraform, so that
	// reordering is not drift.
	stringSetField
	// stringListField is a list whose order matters.
	stringListField
	// jsonField is a JSON document in a string attribute (for example
	// jsonencode({...})), sent to authentik as the object it encodes.
	jsonField
)

// field is one attribute of a stage kind that maps to one member of
// authentik's serializer. A kind declares only these; the generic stage
// resource derives the schema, the request bodies, the reading of answers,
// the lost-answer check and the error paths from them.
type field struct {
	name string // the attribute's name, and authentik's member name unless api is set
	api  string
	typ  fieldType
	desc string

	// required fields must be configured. Optional ones are cleared in
	// authentik when removed from the configuration: with def when there is
	// one (the attribute is then never null), else with clear.
	required bool
	def      any // string, int64, bool or []string
	clear    clearValue

	// secret marks a write-only member of authentik: it gets a sensitive
	// attribute, a write-only twin <name>_wo and a <name>_wo_version.
	secret bool

	// since is the first authentik version ("2025.2") that has the member;
	// configuring it against an older server is an error naming both.
	since string

	stringValidators []validator.String
	int64Validators  []validator.Int64
	setValidators    []validator.Set
	listValidators   []validator.List
}

// clearValue is what a PATCH sends to clear an optional member that has no
// default.
type clearValue int

const (
	clearWithEmpty        clearValue = iota // "" for strings, [] for lists
	clearWithNull                           // JSON null
	clearWithFriendlyName                   // whichever of null and "" the server takes
)

func (f field) apiName() string {
	if f.api != "" {
		return f.api
	}
	return f.name
}

func (f field) woName() string        { return f.name + "_wo" }
func (f field) woVersionName() string { return f.name + "_wo_version" }

// tfType is the attribute's Terraform type.
func (f field) tfType() tftypes.Type {
	switch f.typ {
	case int64Field:
		return tftypes.Number
	case boolField:
		return tftypes.Bool
	case stringSetField:
		return tftypes.Set{ElementType: tftypes.String}
	case stringListField:
		return tftypes.List{ElementType: tftypes.String}
	default:
		return tftypes.String
	}
}

// attributes returns the schema attributes of the field: one, or three for
// a secret.
func (f field) attributes() map[string]schema.Attribute {
	optional := !f.required || f.secret
	computed := f.def != nil
	desc := f.desc
	if !f.required && f.def == nil && !f.secret {
		desc += " Removing it from the configuration clears it in authentik."
	}
	if f.def != nil {
		desc += fmt.Sprintf(" Defaults to `%s`, also when removed from the configuration.", defaultText(f.def))
	}
	if f.since != "" {
		desc += fmt.Sprintf(" Needs authentik %s or later.", f.since)
	}
	var a schema.Attribute
	switch f.typ {
	case int64Field:
		s := schema.Int64Attribute{MarkdownDescription: desc, Required: !optional, Optional: optional, Computed: computed,
			Validators: f.int64Validators}
		if v, ok := f.def.(int64); ok {
			s.Default = int64default.StaticInt64(v)
		}
		a = s
	case boolField:
		s := schema.BoolAttribute{MarkdownDescription: desc, Required: !optional, Optional: optional, Computed: computed}
		if v, ok := f.def.(bool); ok {
			s.Default = booldefault.StaticBool(v)
		}
		a = s
	case stringSetField:
		s := schema.SetAttribute{MarkdownDescription: desc, ElementType: types.StringType, Required: !optional, Optional: optional,
			Computed: computed, Validators: f.setValidators}
		if v, ok := f.def.([]string); ok {
			s.Default = setdefault.StaticValue(types.SetValueMust(types.StringType, stringValues(v)))
		}
		a = s
	case stringListField:
		s := schema.ListAttribute{MarkdownDescription: desc, ElementType: types.StringType, Required: !optional, Optional: optional,
			Computed: computed, Validators: f.listValidators}
		if v, ok := f.def.([]string); ok {
			s.Default = listdefault.StaticValue(types.ListValueMust(types.StringType, stringValues(v)))
		}
		a = s
	default:
		s := schema.StringAttribute{MarkdownDescription: desc, Required: !optional, Optional: optional, Computed: computed,
			Sensitive: f.secret, Validators: f.stringValidators}
		if v, ok := f.def.(string); ok {
			s.Default = stringdefault.StaticString(v)
		}
		a = s
	}
	attrs := map[string]schema.Attribute{f.name: a}
	if !f.secret {
		return attrs
	}
	plain := a.(schema.StringAttribute)
	wo := schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("Write-only `%s` (Terraform 1.11+): sent to authentik, never stored in state or plan. "+
			"It is sent on create, and again whenever `%s` changes.", f.name, f.woVersionName()),
		// Not Sensitive: Terraform never stores, shows or logs a write-only
		// value, so the mark would protect nothing, and it costs every
		// instance two sensitive paths in state, which Terraform pays for
		// on each write of the state (14 to 21% of the apply CPU of 1,000
		// Duo stages, BENCHMARKS.md).
		Optional: true, WriteOnly: true, Validators: f.stringValidators,
	}
	version := schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Any number; change it to send `%s` again (to rotate the secret).", f.woName()),
		Optional:            true,
		Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot(f.woName()))},
	}
	if f.required {
		plain.MarkdownDescription += fmt.Sprintf(" Stored in state; prefer `%s`. Exactly one of the two must be set. "+
			"authentik never returns it, so a change made in authentik is not detected.", f.woName())
	} else {
		plain.MarkdownDescription += fmt.Sprintf(" Stored in state; prefer `%s`. At most one of the two may be set; "+
			"removing both clears it in authentik.", f.woName())
		plain.Validators = append(slices.Clone(plain.Validators), stringvalidator.ConflictsWith(path.MatchRoot(f.woName())))
		// Terraform keeps nothing of a write-only value, so the version is
		// what records in state that a secret was sent: without it,
		// removing the write-only attribute would leave no change to plan
		// and the secret would stay in authentik.
		wo.Validators = append(slices.Clone(wo.Validators), stringvalidator.AlsoRequires(path.MatchRoot(f.woVersionName())))
		wo.MarkdownDescription += fmt.Sprintf(" Needs `%s`.", f.woVersionName())
		version.MarkdownDescription += fmt.Sprintf(" Required with `%s`: removing both clears the secret in authentik.", f.woName())
	}
	attrs[f.name] = plain
	attrs[f.woName()] = wo
	attrs[f.woVersionName()] = version
	return attrs
}

func defaultText(v any) string {
	if l, ok := v.([]string); ok {
		b, _ := json.Marshal(l)
		return string(b)
	}
	return fmt.Sprint(v)
}

func stringValues(v []string) []attr.Value {
	out := make([]attr.Value, len(v))
	for i, s := range v {
		out[i] = types.StringValue(s)
	}
	return out
}

// toJSON converts a known, non-null attribute value into what authentik takes.
func (f field) toJSON(v tftypes.Value) (any, error) {
	switch f.typ {
	case int64Field:
		var n big.Float
		if err := v.As(&n); err != nil {
			return nil, err
		}
		i, _ := n.Int64()
		return i, nil
	case boolField:
		var b bool
		err := v.As(&b)
		return b, err
	case stringSetField, stringListField:
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(elems))
		for _, e := range elems {
			var s string
			if err := e.As(&s); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case jsonField:
		var s string
		if err := v.As(&s); err != nil {
			return nil, err
		}
		return json.RawMessage(s), nil
	default:
		var s string
		err := v.As(&s)
		return s, err
	}
}

// clearJSON is what a PATCH sends to clear the field.
func (f field) clearJSON() any {
	switch {
	case f.def != nil:
		return f.def
	case f.clear == clearWithFriendlyName:
		return authentik.ClearFriendlyName
	case f.clear == clearWithNull || f.typ == int64Field || f.typ == boolField || f.typ == jsonField:
		return nil
	case f.typ == stringSetField || f.typ == stringListField:
		return []string{}
	default:
		return ""
	}
}

// fromJSON converts authentik's member into the attribute's value. An empty
// value ("", [], null) of an optional field without a default is null in
// Terraform: authentik has no other way to say "not set", and null is what
// the configuration holds when the attribute is left out.
func (f field) fromJSON(raw json.RawMessage) (tftypes.Value, error) {
	t := f.tfType()
	null := tftypes.NewValue(t, nil)
	emptyIsNull := !f.required && f.def == nil
	if len(raw) == 0 || string(raw) == "null" {
		return null, nil
	}
	switch f.typ {
	case int64Field:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return null, err
		}
		bf, _, err := big.ParseFloat(string(n), 10, 512, big.ToNearestEven)
		if err != nil {
			return null, err
		}
		return tftypes.NewValue(t, bf), nil
	case boolField:
		var b bool
		err := json.Unmarshal(raw, &b)
		return tftypes.NewValue(t, b), err
	case stringSetField, stringListField:
		var l []any
		if err := json.Unmarshal(raw, &l); err != nil {
			return null, err
		}
		if len(l) == 0 && emptyIsNull {
			return null, nil
		}
		elems := make([]tftypes.Value, len(l))
		for i, e := range l {
			elems[i] = tftypes.NewValue(tftypes.String, fmt.Sprint(e)) // pks may be numbers
		}
		return tftypes.NewValue(t, elems), nil
	case jsonField:
		return tftypes.NewValue(t, string(raw)), nil
	default:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return null, err
		}
		if s == "" && emptyIsNull {
			return null, nil
		}
		return tftypes.NewValue(t, s), nil
	}
}
