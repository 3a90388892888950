package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// Per-resource costs of the generic stage code that every Read and Update
// pays. Run with
//
//	go test ./internal/provider -run '^$' -bench . -benchmem

func benchStage(b *testing.B) authentik.Stage {
	var s authentik.Stage
	err := json.Unmarshal([]byte(`{"pk":"6f1c2a8e-4d3b-4c2a-9e1f-000000000001","name":"bench-duo-1","client_id":"DIBENCH1",
		"api_hostname":"api-bench.duosecurity.com","configure_flow":"0b7f2c1e-9a7d-4f55-8d3e-2f1a6c9b8e70","friendly_name":"v1",
		"admin_integration_key":"","flow_set":[{"pk":"0b7f2c1e-9a7d-4f55-8d3e-2f1a6c9b8e70","name":"Setup Duo","slug":"duo-setup",
		"designation":"stage_configuration"}]}`), &s)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkStageRead is a Read's conversion of authentik's answer into state.
func BenchmarkStageRead(b *testing.B) {
	r := testStageResource(duoStage)
	s := benchStage(b)
	state := stageValues(duoStage, baseDuo)
	b.ReportAllocs()
	for b.Loop() {
		var diags diag.Diagnostics
		v := r.fromAPI(state, s, &diags)
		var st tfsdk.State
		r.store(&st, nil, v)
	}
}

func BenchmarkStagePatch(b *testing.B) {
	r := testStageResource(duoStage)
	state := stageValues(duoStage, baseDuo)
	plan := stageValues(duoStage, withValues(baseDuo, map[string]any{"friendly_name": "v2"}))
	b.ReportAllocs()
	for b.Loop() {
		var diags diag.Diagnostics
		if p := r.patchBody(plan, state, plan, &diags); len(p) == 0 {
			b.Fatal("empty patch")
		}
	}
}
