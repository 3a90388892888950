//go:build bench

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// Per-resource costs of the Duo stage's own code beside the framework's
// model conversion that every Read pays (one State.Get, one State.Set).
// Run with
//
//	go test -tags bench ./internal/provider -run '^$' -bench . -benchmem
//
// They reach into the Duo stage's model and mapping, so they are in the
// bench build only: a change there breaks `make bench` (which compiles them
// first), not the release build's tests.

func benchStage() authentik.DuoStage {
	flow := "0b7f2c1e-9a7d-4f55-8d3e-2f1a6c9b8e70"
	return authentik.DuoStage{
		PK: "6f1c2a8e-4d3b-4c2a-9e1f-000000000001", Name: "bench-duo-1", ClientID: "DIBENCH1",
		APIHostname: "api-bench.duosecurity.com", ConfigureFlow: &flow,
		FriendlyName: authentik.NullString{Value: "v1", Present: true},
		FlowSet:      []authentik.FlowSet{{PK: flow, Name: "Setup Duo", Slug: "duo-setup", Designation: "stage_configuration"}},
	}
}

func BenchmarkDuoSetFromAPI(b *testing.B) {
	s := benchStage()
	b.ReportAllocs()
	for b.Loop() {
		var m duoStageModel
		m.setFromAPI(s)
	}
}

func BenchmarkDuoPatch(b *testing.B) {
	var state duoStageModel
	state.setFromAPI(benchStage())
	state.ClientSecret = types.StringValue("bench-secret")
	plan := state
	plan.FriendlyName = types.StringValue("v2")
	b.ReportAllocs()
	for b.Loop() {
		if p := duoPatch(plan, state, state); p.IsEmpty() {
			b.Fatal("empty patch")
		}
	}
}

// BenchmarkDuoStateGetSet is the framework's reflection between tfsdk.State
// and duoStageModel, which Read pays once each way around setFromAPI.
func BenchmarkDuoStateGetSet(b *testing.B) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	(&duoStageResource{}).Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	nulls := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		nulls[name] = tftypes.NewValue(t, nil)
	}
	state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nulls)}
	var m duoStageModel
	if d := state.Get(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	m.setFromAPI(benchStage())
	m.ClientSecret = types.StringValue("bench-secret")
	if d := state.Set(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	s := benchStage()
	b.ReportAllocs()
	for b.Loop() {
		var m duoStageModel
		if d := state.Get(ctx, &m); d.HasError() {
			b.Fatal(d)
		}
		m.setFromAPI(s)
		if d := state.Set(ctx, &m); d.HasError() {
			b.Fatal(d)
		}
	}
}

// BenchmarkDuoStateCodec is what Read pays now: the same conversions as
// BenchmarkDuoStateGetSet through the provider's model codec.
func BenchmarkDuoStateCodec(b *testing.B) {
	ctx := context.Background()
	typ := duoModels().typ.(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
	}
	var m duoStageModel
	if d := duoModels().get(ctx, tftypes.NewValue(typ, vals), &m); d.HasError() {
		b.Fatal(d)
	}
	m.setFromAPI(benchStage())
	m.ClientSecret = types.StringValue("bench-secret")
	var state tfsdk.State
	if d := duoModels().setState(ctx, &state, &m); d.HasError() {
		b.Fatal(d)
	}
	s := benchStage()
	b.ReportAllocs()
	for b.Loop() {
		var m duoStageModel
		if d := duoModels().get(ctx, state.Raw, &m); d.HasError() {
			b.Fatal(d)
		}
		m.setFromAPI(s)
		if d := duoModels().setState(ctx, &state, &m); d.HasError() {
			b.Fatal(d)
		}
	}
}
