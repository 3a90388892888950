package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func schemaOf(t testing.TB, r resource.Resource) schema.Schema {
	t.Helper()
	var sr resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	return sr.Schema
}

// sameModel compares two models field by field with attr.Value.Equal.
func sameModel(t *testing.T, got, want any) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		gv, wv := g.Field(i).Interface().(attr.Value), w.Field(i).Interface().(attr.Value)
		if !gv.Equal(wv) {
			t.Errorf("%s: codec %s, framework %s", g.Type().Field(i).Name, gv, wv)
		}
	}
}

// The codec reads and writes exactly what the framework's Get and Set do,
// for known, null and unknown values, nested lists and the timeouts object.
func TestModelCodec_sameAsFramework(t *testing.T) {
	ctx := context.Background()
	s := schemaOf(t, &duoStageResource{})
	typ := s.Type().TerraformType(ctx)
	flowType := typ.(tftypes.Object).AttributeTypes["flows"]
	flowElem := flowType.(tftypes.List).ElementType
	timeoutsType := typ.(tftypes.Object).AttributeTypes["timeouts"]
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	values := map[string]tftypes.Value{
		"all null": objectOf(t, typ, nil),
		"created": objectOf(t, typ, map[string]tftypes.Value{
			"id": str("6f1c2a8e-4d3b-4c2a-9e1f-000000000001"), "name": str("duo"), "client_id": str("DI1"),
			"client_secret": str("s"), "api_hostname": str("api-1.duosecurity.com"), "friendly_name": str("Duo"),
			"client_secret_wo_version": tftypes.NewValue(tftypes.Number, 3),
			"flows": tftypes.NewValue(flowType, []tftypes.Value{tftypes.NewValue(flowElem, map[string]tftypes.Value{
				"id": str("f"), "slug": str("duo-setup"), "name": str("Setup"), "designation": str("stage_configuration"),
			})}),
			"timeouts": tftypes.NewValue(timeoutsType, map[string]tftypes.Value{
				"create": str("5m"), "read": tftypes.NewValue(tftypes.String, nil), "update": tftypes.NewValue(tftypes.String, nil), "delete": str("1m"),
			}),
		}),
		"planned create": objectOf(t, typ, map[string]tftypes.Value{
			"id": unknown, "name": str("duo"), "client_secret_wo": str("wo"),
			"flows": tftypes.NewValue(flowType, tftypes.UnknownValue),
		}),
		"empty flows": objectOf(t, typ, map[string]tftypes.Value{"flows": tftypes.NewValue(flowType, []tftypes.Value{})}),
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var fromFramework, fromCodec duoStageModel
			if d := (tfsdk.State{Schema: s, Raw: v}).Get(ctx, &fromFramework); d.HasError() {
				t.Fatal(d)
			}
			if d := duoModels().get(ctx, v, &fromCodec); d.HasError() {
				t.Fatal(d)
			}
			sameModel(t, fromCodec, fromFramework)

			framework := tfsdk.State{Schema: s, Raw: objectOf(t, typ, nil)}
			if d := framework.Set(ctx, &fromFramework); d.HasError() {
				t.Fatal(d)
			}
			codec := tfsdk.State{Schema: s}
			if d := duoModels().setState(ctx, &codec, &fromCodec); d.HasError() {
				t.Fatal(d)
			}
			if !codec.Raw.Equal(framework.Raw) || !codec.Raw.Equal(v) {
				t.Errorf("set:\n codec     %s\n framework %s\n read      %s", codec.Raw, framework.Raw, v)
			}
		})
	}
}

// A model that does not match its schema is refused when the codec is built,
// naming the field or attribute.
func TestModelCodec_mismatch(t *testing.T) {
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"id":   schema.StringAttribute{Computed: true},
		"name": schema.StringAttribute{Required: true},
	}}
	type missing struct {
		ID types.String `tfsdk:"id"`
	}
	type wrongType struct {
		ID   types.String `tfsdk:"id"`
		Name types.Int64  `tfsdk:"name"`
	}
	type extra struct {
		ID       types.String   `tfsdk:"id"`
		Name     types.String   `tfsdk:"name"`
		Timeouts timeouts.Value `tfsdk:"timeouts"`
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{second(newModelCodec[missing](s)), `no field for attribute "name"`},
		{second(newModelCodec[wrongType](s)), `wrongType.Name is basetypes.Int64Value, attribute "name" holds basetypes.StringValue`},
		{second(newModelCodec[extra](s)), `extra.Timeouts: tag "timeouts" names no attribute`},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want it to contain %q", c.err, c.want)
		}
	}
	// The real models match their schemas.
	duoModels()
}

func second[A, B any](_ A, b B) B { return b }
