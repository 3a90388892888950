package fakeauthentik

import (
	"strings"
	"testing"
)

func TestFlows(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		tok := s.AdminToken()
		r := do(t, s, "GET", "/api/v3/flows/instances/?designation=stage_configuration", tok, "")
		var slugs []string
		for _, f := range decodeList(t, r.body) {
			slugs = append(slugs, f["slug"].(string))
		}
		want := "default-authenticator-static-setup,default-authenticator-totp-setup,default-authenticator-webauthn-setup,default-password-change,default-source-pre-authentication,default-user-settings-flow,initial-setup"
		if strings.Join(slugs, ",") != want {
			t.Errorf("%s: %v", v, slugs)
		}
		for slug, designation := range map[string]string{
			"default-authentication-flow":                     "authentication",
			"default-invalidation-flow":                       "invalidation",
			"default-provider-authorization-implicit-consent": "authorization",
		} {
			f, ok := s.FlowBySlug(slug)
			if !ok || f.Designation != designation {
				t.Errorf("%s: %s = %+v", v, slug, f)
			}
		}

		r = do(t, s, "GET", "/api/v3/flows/instances/default-authenticator-totp-setup/", tok, "")
		bg := `"background":"/static/dist/assets/images/flow_background.jpg"`
		title := "Setup Two-Factor authentication"
		if v != V2024_10 {
			title = "Set up Two-Factor authentication"
		}
		if v != V2024_10 && v != V2025_10 { // background_url since 2025.12
			bg = `"background":"","background_url":"/static/dist/assets/images/flow_background.jpg","background_themed_urls":null`
		}
		expect(t, r, 200, `{"pk":"<uuid>","policybindingmodel_ptr_id":"<uuid>","name":"default-authenticator-totp-setup","slug":"default-authenticator-totp-setup","title":"`+title+`","designation":"stage_configuration",`+bg+`,"stages":["<uuid>"],"policies":[],"cache_count":0,"policy_engine_mode":"any","compatibility_mode":false,"export_url":"/api/v3/flows/instances/default-authenticator-totp-setup/export/","layout":"stacked","denied_action":"message_continue","authentication":"require_authenticated"}`)

		notFound := `{"detail":"Not found."}`
		if v != V2024_10 {
			notFound = `{"detail":"No Flow matches the given query."}`
		}
		expect(t, do(t, s, "GET", "/api/v3/flows/instances/no-such-flow/", tok, ""), 404, notFound)

		r = do(t, s, "GET", "/api/v3/flows/instances/?slug=default-authenticator-totp-setup", tok, "")
		if got := decodeList(t, r.body); len(got) != 1 {
			t.Errorf("%s slug filter: %d", v, len(got))
		}
		r = do(t, s, "GET", "/api/v3/flows/instances/?search=WEBAUTHN", tok, "")
		if got := decodeList(t, r.body); len(got) != 1 {
			t.Errorf("%s search: %d", v, len(got))
		}
	}
}

func TestAddFlowDefaultsAndConfigureFlow(t *testing.T) {
	s := startFake(t, V2025_12)
	f := s.AddFlow(Flow{Name: "n", Slug: "custom", Title: "t", Designation: "stage_configuration"})
	if f.PK == "" || f.PolicyEngineMode != "any" || f.Layout != "stacked" || f.DeniedAction != "message_continue" {
		t.Fatalf("%+v", f)
	}
	r := do(t, s, "POST", duoPath, s.AdminToken(), `{"name":"d","client_id":"a","client_secret":"b","api_hostname":"c","configure_flow":"`+strings.ToUpper(f.PK)+`"}`)
	if r.status != 201 || !strings.Contains(r.body, `"configure_flow":"`+f.PK+`"`) {
		t.Fatalf("%d %s", r.status, r.body)
	}
	// Deleting the flow sets configure_flow to NULL.
	expect(t, do(t, s, "DELETE", "/api/v3/flows/instances/custom/", s.AdminToken(), ""), 204, "")
	if st, _ := s.DuoStageByName("d"); st.ConfigureFlow != nil {
		t.Fatalf("configure_flow %v", *st.ConfigureFlow)
	}
}

func decodeList(t *testing.T, body string) []map[string]any {
	t.Helper()
	m := decode(t, body)
	var out []map[string]any
	for _, r := range m["results"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}
