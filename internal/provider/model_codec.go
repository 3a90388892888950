package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// modelCodec moves a resource's values between Terraform and its model
// struct, as tfsdk.State.Get and Set do, but with the struct's layout worked
// out once instead of on every call.
//
// Why: the framework's Get and Set walk the struct by reflection each time,
// compiling a regular expression for every field's tag: about 470 µs and
// 2,000 allocations per Duo stage Read, paid for every resource in every
// plan (BENCHMARKS.md). The codec does the same conversion through each
// attribute's own type (ValueFromTerraform, ToTerraformValue), so values
// come out exactly as the framework's would; a test holds the two equal.
//
// Model fields must be attr.Value types tagged `tfsdk:"<attribute>"`, one
// per schema attribute, as the framework requires too.
type modelCodec[M any] struct {
	typ    tftypes.Type
	fields []codecField
}

type codecField struct {
	index    int
	name     string
	attrType attr.Type
}

// newModelCodec matches M's fields to the schema's attributes.
func newModelCodec[M any](s schema.Schema) (*modelCodec[M], error) {
	ctx := context.Background()
	rt := reflect.TypeFor[M]()
	c := &modelCodec[M]{typ: s.Type().TerraformType(ctx)}
	seen := map[string]bool{}
	for i := range rt.NumField() {
		f := rt.Field(i)
		name := f.Tag.Get("tfsdk")
		a, ok := s.Attributes[name]
		if !ok {
			return nil, fmt.Errorf("%s.%s: tag %q names no attribute", rt.Name(), f.Name, name)
		}
		at := a.GetType()
		if vt := reflect.TypeOf(at.ValueType(ctx)); vt != f.Type {
			return nil, fmt.Errorf("%s.%s is %s, attribute %q holds %s", rt.Name(), f.Name, f.Type, name, vt)
		}
		seen[name] = true
		c.fields = append(c.fields, codecField{index: i, name: name, attrType: at})
	}
	for name := range s.Attributes {
		if !seen[name] {
			return nil, fmt.Errorf("%s has no field for attribute %q", rt.Name(), name)
		}
	}
	return c, nil
}

// mustModelCodec is newModelCodec for a resource's own model, where a
// mismatch is a programming error that every test run would hit.
func mustModelCodec[M any](r resource.Resource) func() *modelCodec[M] {
	return sync.OnceValue(func() *modelCodec[M] {
		var sr resource.SchemaResponse
		r.Schema(context.Background(), resource.SchemaRequest{}, &sr)
		c, err := newModelCodec[M](sr.Schema)
		if err != nil {
			panic(err)
		}
		return c
	})
}

// get reads a state, plan or configuration value (its Raw) into m.
func (c *modelCodec[M]) get(ctx context.Context, raw tftypes.Value, m *M) diag.Diagnostics {
	var diags diag.Diagnostics
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil || vals == nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered reading the resource's values: not a known object (%v). "+
			"This is always a problem with the provider; please report it.", err))
		return diags
	}
	rv := reflect.ValueOf(m).Elem()
	for _, f := range c.fields {
		v, err := f.attrType.ValueFromTerraform(ctx, vals[f.name])
		if err != nil {
			diags.AddAttributeError(path.Root(f.name), "Value Conversion Error", err.Error())
			continue
		}
		rv.Field(f.index).Set(reflect.ValueOf(v))
	}
	return diags
}

// setState stores m as the new state.
func (c *modelCodec[M]) setState(ctx context.Context, s *tfsdk.State, m *M) diag.Diagnostics {
	var diags diag.Diagnostics
	vals := make(map[string]tftypes.Value, len(c.fields))
	rv := reflect.ValueOf(m).Elem()
	for _, f := range c.fields {
		v, err := rv.Field(f.index).Interface().(attr.Value).ToTerraformValue(ctx)
		if err != nil {
			diags.AddAttributeError(path.Root(f.name), "Value Conversion Error", err.Error())
			continue
		}
		vals[f.name] = v
	}
	if diags.HasError() {
		return diags
	}
	if err := tftypes.ValidateValue(c.typ, vals); err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered storing the resource's values: "+err.Error()+
			". This is always a problem with the provider; please report it.")
		return diags
	}
	s.Raw = tftypes.NewValue(c.typ, vals)
	return diags
}
