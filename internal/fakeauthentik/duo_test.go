package fakeauthentik

import (
	"net/http"
	"strings"
	"testing"
)

func TestDuoLifecycle(t *testing.T) {
	s := startFake(t, V2025_12)
	tok := s.AdminToken()
	totp, _ := s.FlowBySlug("default-authenticator-totp-setup")
	body := strings.Replace(duoFull, `"friendly_name"`, `"configure_flow":"`+totp.PK+`","friendly_name"`, 1)

	r := do(t, s, "POST", duoPath, tok, body)
	full := `{"pk":"<uuid>","name":"smoke-duo-full",` + duoKeys + `,"flow_set":[],"configure_flow":"<uuid>","friendly_name":"Duo Push","client_id":"DIXXXXXXXXXXXXXXXXXX","api_hostname":"api-12345678.duosecurity.com","admin_integration_key":"DIADMINXXXXXXXXXXXXX"}`
	expect(t, r, http.StatusCreated, full)
	pk := decode(t, r.body)["pk"].(string)
	if !strings.Contains(r.body, `"configure_flow":"`+totp.PK+`"`) {
		t.Fatalf("configure_flow not echoed: %s", r.body)
	}
	st, ok := s.DuoStage(pk)
	if !ok || st.ClientSecret != "secret-1" || st.AdminSecretKey != "admin-secret-1" || *st.ConfigureFlow != totp.PK {
		t.Fatalf("stored %+v", st)
	}

	expect(t, do(t, s, "GET", duoPath+pk+"/", tok, ""), 200, full)

	// PATCH one field; others unchanged.
	r = do(t, s, "PATCH", duoPath+pk+"/", tok, `{"admin_integration_key":""}`)
	expect(t, r, 200, strings.Replace(full, `"admin_integration_key":"DIADMINXXXXXXXXXXXXX"`, `"admin_integration_key":""`, 1))
	// PATCH {} is a no-op.
	expect(t, do(t, s, "PATCH", duoPath+pk+"/", tok, `{}`), 200, strings.Replace(full, `"admin_integration_key":"DIADMINXXXXXXXXXXXXX"`, `"admin_integration_key":""`, 1))
	// configure_flow "" clears.
	r = do(t, s, "PATCH", duoPath+pk+"/", tok, `{"configure_flow":""}`)
	if r.status != 200 || !strings.Contains(r.body, `"configure_flow":null`) {
		t.Fatalf("clear configure_flow: %d %s", r.status, r.body)
	}

	// PUT with only the required fields leaves optional fields unchanged.
	r = do(t, s, "PUT", duoPath+pk+"/", tok, `{"name":"smoke-duo-full","client_id":"DIYYYY","client_secret":"secret-2","api_hostname":"api-87654321.duosecurity.com"}`)
	expect(t, r, 200, `{"pk":"<uuid>","name":"smoke-duo-full",`+duoKeys+`,"flow_set":[],"configure_flow":null,"friendly_name":"Duo Push","client_id":"DIYYYY","api_hostname":"api-87654321.duosecurity.com","admin_integration_key":""}`)
	if st, _ := s.DuoStage(pk); st.ClientSecret != "secret-2" || st.AdminSecretKey != "admin-secret-1" {
		t.Fatalf("PUT secrets: %+v", st)
	}
	// PUT without client_secret.
	expect(t, do(t, s, "PUT", duoPath+pk+"/", tok, `{"name":"smoke-duo-full","client_id":"a","api_hostname":"b"}`), 400, `{"client_secret":["This field is required."]}`)

	expect(t, do(t, s, "DELETE", duoPath+pk+"/", tok, ""), 204, "")
	r = do(t, s, "DELETE", duoPath+pk+"/", tok, "")
	expect(t, r, 404, `{"detail":"No AuthenticatorDuoStage matches the given query."}`)
	if _, ok := s.DuoStage(pk); ok {
		t.Fatal("still stored")
	}
}

func TestDeleteHasNoContentType(t *testing.T) {
	s := startFake(t, V2024_10)
	pk := create(t, s, duoFull)
	r := do(t, s, "DELETE", duoPath+pk+"/", s.AdminToken(), "")
	if r.status != 204 || r.ct != "" || r.body != "" {
		t.Fatalf("%d %q %q", r.status, r.ct, r.body)
	}
}

func TestDuoValidation(t *testing.T) {
	s := startFake(t, V2024_10)
	tok := s.AdminToken()
	pk := create(t, s, duoFull)
	s.PutDuoStage(DuoStage{Name: "other-stage", ClientID: "x", ClientSecret: "y", APIHostname: "z"})
	cases := []struct {
		name, method, body string
		status             int
		want               string
	}{
		{"only name", "POST", `{"name":"smoke-duo-bad"}`, 400, `{"client_id":["This field is required."],"client_secret":["This field is required."],"api_hostname":["This field is required."]}`},
		{"empty object", "POST", `{}`, 400, `{"name":["This field is required."],"client_id":["This field is required."],"client_secret":["This field is required."],"api_hostname":["This field is required."]}`},
		{"blanks", "POST", `{"name":"","client_id":"","client_secret":"","api_hostname":""}`, 400, `{"name":["This field may not be blank."],"client_id":["This field may not be blank."],"client_secret":["This field may not be blank."],"api_hostname":["This field may not be blank."]}`},
		{"whitespace is blank", "POST", `{"name":"  ","client_id":"a","client_secret":"b","api_hostname":"c"}`, 400, `{"name":["This field may not be blank."]}`},
		{"duplicate name", "POST", duoFull, 400, `{"name":["stage with this name already exists."]}`},
		{"name of a seeded password stage", "POST", `{"name":"default-authentication-password","client_id":"a","client_secret":"b","api_hostname":"c"}`, 400, `{"name":["stage with this name already exists."]}`},
		{"wrong types", "POST", `{"name":true,"client_id":["a"],"client_secret":{"b":1},"api_hostname":123}`, 400, `{"name":["Not a valid string."],"client_id":["Not a valid string."],"client_secret":["Not a valid string."]}`},
		{"unknown flow", "POST", `{"name":"n1","client_id":"a","client_secret":"b","api_hostname":"c","configure_flow":"00000000-0000-0000-0000-000000000000"}`, 400, `{"configure_flow":["Invalid pk \"00000000-0000-0000-0000-000000000000\" - object does not exist."]}`},
		{"malformed flow", "POST", `{"name":"n1","client_id":"a","client_secret":"b","api_hostname":"c","configure_flow":"not-a-uuid"}`, 400, `{"configure_flow":["“not-a-uuid” is not a valid UUID."]}`},
		{"malformed JSON", "POST", `{"name":"smoke-duo-malformed",`, 400, ""},
		{"not an object", "POST", `[1]`, 400, `{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}`},
		{"admin key null", "PATCH", `{"admin_integration_key":null}`, 400, `{"admin_integration_key":["This field may not be null."]}`},
		{"admin secret null", "PATCH", `{"admin_secret_key":null}`, 400, `{"admin_secret_key":["This field may not be null."]}`},
		{"client_secret blank", "PATCH", `{"client_secret":""}`, 400, `{"client_secret":["This field may not be blank."]}`},
		{"client_secret null", "PATCH", `{"client_secret":null}`, 400, `{"client_secret":["This field may not be null."]}`},
		{"client_id blank", "PATCH", `{"client_id":""}`, 400, `{"client_id":["This field may not be blank."]}`},
		{"rename to other stage", "PATCH", `{"name":"other-stage"}`, 400, `{"name":["stage with this name already exists."]}`},
		{"rename to itself", "PATCH", `{"name":"smoke-duo-full"}`, 200, ""},
		{"read-only and unknown keys ignored", "PATCH", `{"pk":"x","component":"y","bogus":1}`, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := duoPath
			if c.method != "POST" {
				path += pk + "/"
			}
			r := do(t, s, c.method, path, tok, c.body)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.want != "" && r.body != c.want {
				t.Fatalf("body\n got %s\nwant %s", r.body, c.want)
			}
			if c.name == "malformed JSON" && !strings.HasPrefix(r.body, `{"detail":"JSON parse error - `) {
				t.Fatalf("body %s", r.body)
			}
		})
	}
	if len(s.DuoStages()) != 2 {
		t.Fatalf("failed requests must not create stages: %d", len(s.DuoStages()))
	}
	if st, _ := s.DuoStage(pk); st.Name != "smoke-duo-full" || st.ClientSecret != "secret-1" {
		t.Fatalf("failed PATCHes must not change the stage: %+v", st)
	}
}

func TestDuoNumbersAreCoerced(t *testing.T) {
	s := startFake(t, V2025_12)
	r := do(t, s, "POST", duoPath, s.AdminToken(), `{"name":"smoke-duo-numbers","client_id":42,"client_secret":1.5,"api_hostname":123}`)
	if r.status != 201 || !strings.Contains(r.body, `"client_id":"42","api_hostname":"123"`) {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if st, _ := s.DuoStageByName("smoke-duo-numbers"); st.ClientSecret != "1.5" {
		t.Fatalf("secret %q", st.ClientSecret)
	}
	if len(s.Violations()) == 0 {
		t.Fatal("numbers for strings violate the schema, even though the server accepts them")
	}
}

func TestSecretsNeverReturned(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		tok := s.AdminToken()
		pk := create(t, s, duoFull)
		flow, _ := s.FlowBySlug("default-authenticator-totp-setup")
		s.BindStageToFlow(flow.PK, pk)
		bodies := []string{
			do(t, s, "GET", duoPath+pk+"/", tok, "").body,
			do(t, s, "GET", duoPath, tok, "").body,
			do(t, s, "PATCH", duoPath+pk+"/", tok, `{"admin_secret_key":"new-admin-secret"}`).body,
			do(t, s, "PUT", duoPath+pk+"/", tok, `{"name":"n","client_id":"c","client_secret":"new-secret","api_hostname":"h"}`).body,
			do(t, s, "GET", duoPath+"?search=n", tok, "").body,
		}
		for i, b := range bodies {
			for _, secret := range []string{"secret-1", "admin-secret-1", "new-secret", "new-admin-secret", "client_secret", "admin_secret_key"} {
				if strings.Contains(b, secret) {
					t.Errorf("%s response %d contains %q: %s", v, i, secret, b)
				}
			}
		}
		if st, _ := s.DuoStage(pk); st.ClientSecret != "new-secret" || st.AdminSecretKey != "new-admin-secret" {
			t.Errorf("%s: secrets not stored: %+v", v, st)
		}
	}
}

func TestFriendlyNamePerVersion(t *testing.T) {
	base := `{"name":"fn","client_id":"a","client_secret":"b","api_hostname":"c"`
	type step struct {
		body   string
		status int
		want   string // substring of the body
	}
	cases := map[Version][]step{
		V2024_10: {
			{base + `}`, 201, `"friendly_name":null`},
			{base + `,"friendly_name":""}`, 400, `{"friendly_name":["This field may not be blank."]}`},
			{base + `,"friendly_name":null}`, 201, `"friendly_name":null`},
		},
		V2025_12: {
			{base + `}`, 201, `"friendly_name":""`},
			{base + `,"friendly_name":""}`, 201, `"friendly_name":""`},
			{base + `,"friendly_name":null}`, 400, `{"friendly_name":["This field may not be null."]}`},
		},
	}
	cases[V2026_2] = cases[V2025_12]
	for v, steps := range cases {
		for i, st := range steps {
			s := startFake(t, v)
			r := do(t, s, "POST", duoPath, s.AdminToken(), st.body)
			if r.status != st.status || !strings.Contains(r.body, st.want) {
				t.Errorf("%s step %d: %d %s", v, i, r.status, r.body)
			}
		}
	}
	// PATCH on 2024.10: null clears, "" rejected; 2025.12: the reverse.
	s := startFake(t, V2024_10)
	pk := create(t, s, duoFull)
	expect(t, do(t, s, "PATCH", duoPath+pk+"/", s.AdminToken(), `{"friendly_name":""}`), 400, `{"friendly_name":["This field may not be blank."]}`)
	if r := do(t, s, "PATCH", duoPath+pk+"/", s.AdminToken(), `{"friendly_name":null}`); r.status != 200 || !strings.Contains(r.body, `"friendly_name":null`) {
		t.Errorf("2024.10 PATCH null: %d %s", r.status, r.body)
	}
	if st, _ := s.DuoStage(pk); st.FriendlyName != nil {
		t.Errorf("stored %q, want NULL", *st.FriendlyName)
	}
	s = startFake(t, V2025_12)
	pk = create(t, s, duoFull)
	expect(t, do(t, s, "PATCH", duoPath+pk+"/", s.AdminToken(), `{"friendly_name":null}`), 400, `{"friendly_name":["This field may not be null."]}`)
	if r := do(t, s, "PATCH", duoPath+pk+"/", s.AdminToken(), `{"friendly_name":""}`); r.status != 200 || !strings.Contains(r.body, `"friendly_name":""`) {
		t.Errorf("2025.12 PATCH blank: %d %s", r.status, r.body)
	}
}

func TestFlowSetPerVersion(t *testing.T) {
	existing := `{"name":"x","slug":"default-authenticator-totp-setup","title":"x","designation":"stage_configuration"}`
	for _, v := range Versions {
		s := startFake(t, v)
		tok := s.AdminToken()
		pk := create(t, s, duoFull)
		post := do(t, s, "POST", duoPath, tok, `{"name":"fs","client_id":"a","client_secret":"b","api_hostname":"c","flow_set":[]}`)
		named := do(t, s, "POST", duoPath, tok, `{"name":"fs2","client_id":"a","client_secret":"b","api_hostname":"c","flow_set":[`+existing+`]}`)
		patch := do(t, s, "PATCH", duoPath+pk+"/", tok, `{"flow_set":[],"client_id":"changed"}`)
		put := do(t, s, "PUT", duoPath+pk+"/", tok, `{"name":"smoke-duo-full","client_id":"changed","client_secret":"s","api_hostname":"h","flow_set":[]}`)
		if v == V2024_10 || v == V2025_10 { // flow_set read-only only since 2025.12.0
			for name, r := range map[string]resp{"POST": post, "PATCH": patch, "PUT": put} {
				if r.status != 405 || r.ct != "text/html; charset=utf-8" || r.body != "" || r.header.Get("Allow") != "GET, HEAD, OPTIONS" {
					t.Errorf("%s %s flow_set []: %d %q %q Allow %q", v, name, r.status, r.ct, r.body, r.header.Get("Allow"))
				}
			}
			expect(t, named, 400, `{"flow_set":[{"slug":["Flow with this slug already exists."]}]}`)
			if _, ok := s.DuoStageByName("fs"); ok {
				t.Errorf("%s: the failed POST created a stage", v)
			}
			if st, _ := s.DuoStage(pk); st.ClientID != "DIXXXXXXXXXXXXXXXXXX" {
				t.Errorf("%s: the failed PATCH/PUT changed the stage: %+v", v, st)
			}
			continue
		}
		if post.status != 201 || named.status != 201 || patch.status != 200 || put.status != 200 ||
			!strings.Contains(named.body, `"flow_set":[]`) || !strings.Contains(patch.body, `"client_id":"changed"`) {
			t.Errorf("%s: flow_set must be ignored: %d %d %d %d %s", v, post.status, named.status, patch.status, put.status, named.body)
		}
	}
}

func TestFlowSetItemsPerVersion(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		pk := create(t, s, duoFull)
		f := s.AddFlow(Flow{Name: "smoke-flow", Slug: "smoke-flow", Title: "Smoke flow", Designation: "stage_configuration"})
		s.BindStageToFlow(f.PK, pk)
		bg := `"background_url":"/static/dist/assets/images/flow_background.jpg"`
		if v == V2024_10 || v == V2025_10 {
			bg = `"background":"/static/dist/assets/images/flow_background.jpg"`
		}
		want := `"flow_set":[{"pk":"<uuid>","policybindingmodel_ptr_id":"<uuid>","name":"smoke-flow","slug":"smoke-flow","title":"Smoke flow","designation":"stage_configuration",` + bg + `,"policy_engine_mode":"any","compatibility_mode":false,"export_url":"/api/v3/flows/instances/smoke-flow/export/","layout":"stacked","denied_action":"message_continue"}]`
		r := do(t, s, "GET", duoPath+pk+"/", s.AdminToken(), "")
		if !strings.Contains(norm(r.body), want) {
			t.Errorf("%s: %s", v, r.body)
		}
		used := do(t, s, "GET", duoPath+pk+"/used_by/", s.AdminToken(), "")
		if used.status != 200 || !strings.Contains(used.body, `"name":"Flow smoke-flow (smoke-flow)"`) {
			t.Errorf("%s used_by: %d %s", v, used.status, used.body)
		}
		if !s.DeleteDuoStage(pk) {
			t.Fatal("DeleteDuoStage")
		}
		if r := do(t, s, "GET", "/api/v3/flows/instances/smoke-flow/", s.AdminToken(), ""); !strings.Contains(r.body, `"stages":[]`) {
			t.Errorf("%s: binding survived the stage: %s", v, r.body)
		}
	}
}

func TestNotFoundPerVersion(t *testing.T) {
	want := map[Version]string{
		V2024_10: `{"detail":"Not found."}`,
		V2025_10: `{"detail":"No AuthenticatorDuoStage matches the given query."}`,
		V2025_12: `{"detail":"No AuthenticatorDuoStage matches the given query."}`,
		V2026_2:  `{"detail":"No AuthenticatorDuoStage matches the given query."}`,
	}
	for _, v := range Versions {
		s := startFake(t, v)
		unknown := duoPath + "00000000-0000-0000-0000-000000000000/"
		for _, m := range []string{"GET", "PATCH", "PUT", "DELETE"} {
			body := ""
			if m == "PATCH" || m == "PUT" {
				body = duoFull
			}
			expect(t, do(t, s, m, unknown, s.AdminToken(), body), 404, want[v])
		}
		expect(t, do(t, s, "GET", duoPath+"not-a-uuid/", s.AdminToken(), ""), 404, `{"detail":"Not found."}`)
		if len(s.DuoStages()) != 0 {
			t.Errorf("%s: PUT must not create", v)
		}
	}
}

func TestPutDuoStageGoAPI(t *testing.T) {
	s := startFake(t, V2025_12)
	st := s.PutDuoStage(DuoStage{Name: "ui", ClientID: "c", ClientSecret: "s", APIHostname: "h"})
	if st.PK == "" || st.FriendlyName == nil || *st.FriendlyName != "" {
		t.Fatalf("%+v", st)
	}
	st.ClientID = "changed in UI"
	s.PutDuoStage(st)
	r := do(t, s, "GET", duoPath+st.PK+"/", s.AdminToken(), "")
	if !strings.Contains(r.body, `"client_id":"changed in UI"`) {
		t.Fatal(r.body)
	}
	got, _ := s.DuoStage(st.PK)
	*got.FriendlyName = "mutated copy"
	if again, _ := s.DuoStage(st.PK); *again.FriendlyName != "" {
		t.Fatal("DuoStage must return a copy")
	}
	if s.DeleteDuoStage(st.PK) == false || s.DeleteDuoStage(st.PK) {
		t.Fatal("DeleteDuoStage")
	}
}
