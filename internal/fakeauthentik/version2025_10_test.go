package fakeauthentik

import (
	"fmt"
	"strings"
	"testing"
)

// TestV2025_10 covers the 2025.10 profile, which is derived (no 2025.10
// server was observed): friendly_name as in 2025.12, flow_set still writable
// as in 2024.10, FlowSet/Flow with "background", page size 100 without a
// cap, DRF >= 3.15 404 texts, and no schema violations for valid calls.
func TestV2025_10(t *testing.T) {
	if v, ok := ParseVersion("2025.10"); !ok || v != V2025_10 {
		t.Fatalf("ParseVersion(2025.10) = %q %v", v, ok)
	}
	if v, ok := ParseVersion("2025.10.4"); !ok || v != V2025_10 {
		t.Fatalf("ParseVersion(2025.10.4) = %q %v", v, ok)
	}
	s := startFake(t, V2025_10)
	tok := s.AdminToken()
	base := `{"name":"%s","client_id":"a","client_secret":"b","api_hostname":"c"%s}`

	// friendly_name: default "", blank accepted, null rejected.
	r := do(t, s, "POST", duoPath, tok, fmt.Sprintf(base, "fn-absent", ""))
	if r.status != 201 || !strings.Contains(r.body, `"friendly_name":""`) {
		t.Errorf("no friendly_name: %d %s", r.status, r.body)
	}
	r = do(t, s, "POST", duoPath, tok, fmt.Sprintf(base, "fn-blank", `,"friendly_name":""`))
	if r.status != 201 || !strings.Contains(r.body, `"friendly_name":""`) {
		t.Errorf("friendly_name \"\": %d %s", r.status, r.body)
	}
	pk := decode(t, r.body)["pk"].(string)
	if vs := s.Violations(); len(vs) != 0 {
		t.Fatalf("valid requests produced violations: %v", vs)
	}
	expect(t, do(t, s, "POST", duoPath, tok, fmt.Sprintf(base, "fn-null", `,"friendly_name":null`)), 400,
		`{"friendly_name":["This field may not be null."]}`)
	expect(t, do(t, s, "PATCH", duoPath+pk+"/", tok, `{"friendly_name":null}`), 400,
		`{"friendly_name":["This field may not be null."]}`)
	if vs := s.Violations(); len(vs) != 2 {
		t.Errorf("null friendly_name must violate the schema twice: %q", vs)
	}
	s.ResetRequests()

	// flow_set: [] is valid for the schema and then fails as on 2024.10.
	r = do(t, s, "POST", duoPath, tok, fmt.Sprintf(base, "fs", `,"flow_set":[]`))
	if r.status != 405 || r.ct != "text/html; charset=utf-8" || r.body != "" {
		t.Errorf("flow_set []: %d %q %q", r.status, r.ct, r.body)
	}
	r = do(t, s, "PATCH", duoPath+pk+"/", tok, `{"flow_set":[]}`)
	if r.status != 405 || r.ct != "text/html; charset=utf-8" || r.body != "" {
		t.Errorf("PATCH flow_set []: %d %q %q", r.status, r.ct, r.body)
	}
	existing := `{"name":"x","slug":"default-authenticator-totp-setup","title":"x","designation":"stage_configuration"}`
	expect(t, do(t, s, "POST", duoPath, tok, fmt.Sprintf(base, "fs2", `,"flow_set":[`+existing+`]`)), 400,
		`{"flow_set":[{"slug":["Flow with this slug already exists."]}]}`)
	if vs := s.Violations(); len(vs) != 0 {
		t.Errorf("flow_set requests are valid for the 2025.10 schema: %v", vs)
	}

	// FlowSet items and Flow objects use "background".
	f := s.AddFlow(Flow{Name: "smoke-flow", Slug: "smoke-flow", Title: "Smoke flow", Designation: "stage_configuration"})
	s.BindStageToFlow(f.PK, pk)
	r = do(t, s, "GET", duoPath+pk+"/", tok, "")
	if !strings.Contains(r.body, `"designation":"stage_configuration","background":"/static/dist/assets/images/flow_background.jpg","policy_engine_mode"`) ||
		strings.Contains(r.body, "background_url") {
		t.Errorf("flow_set item: %s", r.body)
	}
	r = do(t, s, "GET", "/api/v3/flows/instances/smoke-flow/", tok, "")
	if r.status != 200 || !strings.Contains(r.body, `"background":"/static/dist/assets/images/flow_background.jpg","stages"`) ||
		strings.Contains(r.body, "background_url") || strings.Contains(r.body, "background_themed_urls") {
		t.Errorf("flow: %d %s", r.status, r.body)
	}

	// 404 texts.
	expect(t, do(t, s, "GET", duoPath+"00000000-0000-0000-0000-000000000000/", tok, ""), 404,
		`{"detail":"No AuthenticatorDuoStage matches the given query."}`)
	expect(t, do(t, s, "GET", "/api/v3/flows/instances/no-such-flow/", tok, ""), 404,
		`{"detail":"No Flow matches the given query."}`)
	expect(t, do(t, s, "GET", "/api/v3/authenticators/admin/totp/999999/", tok, ""), 404,
		`{"detail":"No TOTPDevice matches the given query."}`)

	// Page size: default 100, no maximum.
	for n := len(s.DuoStages()); n < 105; n++ {
		s.PutDuoStage(DuoStage{Name: fmt.Sprintf("bulk-%03d", n), ClientID: "c", ClientSecret: "s", APIHostname: "h"})
	}
	p, r := list(t, s, "")
	if r.status != 200 || p.Pagination.Count != 105 || len(p.Results) != 100 || p.Pagination.TotalPages != 2 || !p.Autocomplete {
		t.Errorf("default page: %s %d results autocomplete=%v", p.Raw["pagination"], len(p.Results), p.Autocomplete)
	}
	p, _ = list(t, s, "?page_size=1000")
	if len(p.Results) != 105 || p.Pagination.TotalPages != 1 {
		t.Errorf("page_size=1000: %d results, %s", len(p.Results), p.Raw["pagination"])
	}

	if vs := s.Violations(); len(vs) != 0 {
		t.Errorf("valid requests or the fake's answers produced violations: %v", vs)
	}
}
