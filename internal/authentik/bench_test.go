package authentik

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The encode/decode costs of one request, without the network: what the
// provider pays per resource on top of the round trip (scripts/bench.sh
// measures the round trips). Run with
//
//	go test ./internal/authentik -run '^$' -bench . -benchmem

// duoStageJSON is a Duo stage as authentik 2025.12 answers it, bound to one flow.
func duoStageJSON(i int) string {
	return fmt.Sprintf(`{"pk":"6f1c2a8e-4d3b-4c2a-9e1f-%012d","name":"bench-duo-%d",`+
		`"component":"ak-stage-authenticator-duo-form","verbose_name":"Duo Authenticator Setup Stage",`+
		`"verbose_name_plural":"Duo Authenticator Setup Stages","meta_model_name":"authentik_stages_authenticator_duo.authenticatorduostage",`+
		`"flow_set":[{"pk":"0b7f2c1e-9a7d-4f55-8d3e-2f1a6c9b8e70","policybindingmodel_ptr_id":"5d2e","name":"Setup Duo",`+
		`"slug":"duo-setup","title":"Setup Duo","designation":"stage_configuration","background_url":"/static/dist/assets/images/flow_background.jpg",`+
		`"policy_engine_mode":"any","compatibility_mode":false,"export_url":"/api/v3/flows/instances/duo-setup/export/",`+
		`"layout":"stacked","denied_action":"message_continue"}],`+
		`"configure_flow":"0b7f2c1e-9a7d-4f55-8d3e-2f1a6c9b8e70","friendly_name":"v1","client_id":"DIBENCH%d",`+
		`"api_hostname":"api-bench.duosecurity.com","admin_integration_key":""}`, i, i, i)
}

func duoPageJSON(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = duoStageJSON(i)
	}
	return fmt.Sprintf(`{"pagination":{"next":2,"previous":0,"count":%d,"current":1,"total_pages":2,"start_index":1,"end_index":%d},`+
		`"results":[%s],"autocomplete":{}}`, 2*n, n, strings.Join(items, ","))
}

func BenchmarkDecodeDuoStage(b *testing.B) {
	body := []byte(duoStageJSON(1))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var s Stage
		if err := json.Unmarshal(body, &s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDuoStagePage100(b *testing.B) {
	body := []byte(duoPageJSON(100))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var p page[Stage]
		if err := json.Unmarshal(body, &p); err != nil || len(p.Results) != 100 {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDuoStagePatch(b *testing.B) {
	p := StageBody{"friendly_name": "v2", "api_hostname": "api-bench.duosecurity.com", "configure_flow": nil}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDuoStageRequest(b *testing.B) {
	r := StageBody{"name": "bench-duo-1", "client_id": "DIBENCH1", "client_secret": "bench-secret",
		"api_hostname": "api-bench.duosecurity.com", "friendly_name": "v1"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
}

// cannedServer answers every request with body, as fast as it can: the
// client's whole per-request cost (headers, encode, transport, decode),
// without authentik's or the fake's.
func cannedServer(b *testing.B, body string) *Client {
	b.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	b.Cleanup(ts.Close)
	c, err := New(Config{URL: ts.URL, Token: "bench-token"})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkClientGetDuoStage(b *testing.B) {
	c := cannedServer(b, duoStageJSON(1))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetStage(ctx, "/stages/authenticator/duo/", "6f1c2a8e-4d3b-4c2a-9e1f-000000000001"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClientPatchDuoStage(b *testing.B) {
	c := cannedServer(b, duoStageJSON(1))
	ctx := context.Background()
	p := StageBody{"friendly_name": "v2"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.PatchStage(ctx, "/stages/authenticator/duo/", "6f1c2a8e-4d3b-4c2a-9e1f-000000000001", p); err != nil {
			b.Fatal(err)
		}
	}
}
