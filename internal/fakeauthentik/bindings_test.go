package fakeauthentik

import (
	"fmt"
	"net/http"
	"testing"
)

// PATCH of a binding validates as DRF does (every bad member, in the
// serializer's field order, nothing stored), then changes only what it sends.
func TestBindingPatch(t *testing.T) {
	s := startFake(t, V2025_12)
	flow := do(t, s, "POST", "/api/v3/flows/instances/", s.AdminToken(),
		`{"name":"f","slug":"f","title":"f","designation":"authentication"}`)
	if flow.status != http.StatusCreated {
		t.Fatalf("create the flow: %d %s", flow.status, flow.body)
	}
	binding := fmt.Sprintf(`{"target":%q,"stage":%q,"order":10}`, decode(t, flow.body)["pk"], create(t, s, duoFull))
	r := do(t, s, "POST", "/api/v3/flows/bindings/", s.AdminToken(), binding)
	if r.status != http.StatusCreated {
		t.Fatalf("create the binding: %d %s", r.status, r.body)
	}
	path := "/api/v3/flows/bindings/" + decode(t, r.body)["pk"].(string) + "/"

	expect(t, do(t, s, "PATCH", path, s.AdminToken(), `{"invalid_response_action":"ignore","order":"x","evaluate_on_plan":"maybe"}`),
		http.StatusBadRequest, `{"evaluate_on_plan":["Must be a valid boolean."],"order":["A valid integer is required."],`+
			`"invalid_response_action":["\"ignore\" is not a valid choice."]}`)
	expect(t, do(t, s, "PATCH", path, s.AdminToken(), `{"order":2147483648,"target":null}`),
		http.StatusBadRequest, `{"target":["This field may not be null."],"order":["Ensure this value is less than or equal to 2147483647."]}`)

	r = do(t, s, "PATCH", path, s.AdminToken(), `{"order":20,"policy_engine_mode":"all","re_evaluate_policies":false}`)
	got := decode(t, r.body)
	if r.status != http.StatusOK || got["order"] != 20.0 || got["policy_engine_mode"] != "all" || got["re_evaluate_policies"] != false ||
		got["evaluate_on_plan"] != false || got["invalid_response_action"] != "retry" {
		t.Fatalf("PATCH: %d %s", r.status, r.body)
	}
	if g := decode(t, do(t, s, "GET", path, s.AdminToken(), "").body); g["order"] != 20.0 || g["policy_engine_mode"] != "all" {
		t.Fatalf("GET after PATCH: %v", g)
	}
	expect(t, do(t, s, "PATCH", "/api/v3/flows/bindings/00000000-0000-4000-8000-000000000000/", s.AdminToken(), `{"order":1}`),
		http.StatusNotFound, `{"detail":"No FlowStageBinding matches the given query."}`)
}
