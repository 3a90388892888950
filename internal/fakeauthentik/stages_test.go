package fakeauthentik

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

const (
	stagesPath  = "/api/v3/stages/authenticator/"
	missingUUID = "11111111-1111-4111-8111-111111111111"
	yubiKey5    = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
)

// kindCase is what the generic stage tests send to one kind. Bodies are JSON
// members without "name"; {flow} and {totp} stand for the pk of the TOTP
// setup flow and of the seeded TOTP stage.
type kindCase struct {
	kind      string
	model     string
	required  []string          // answered "This field is required." to {}
	min, full string            // valid create bodies
	secrets   map[string]string // write-only fields in full: stored, never returned
	patch     string            // a PATCH body …
	patched   string            // … and a member of its answer
	bad       string            // an invalid body …
	badWant   string            // … and its 400 answer (on every version)
}

var kindCases = []kindCase{
	{
		kind: "duo", model: "AuthenticatorDuoStage", required: []string{"name", "client_id", "client_secret", "api_hostname"},
		min:     `"client_id":"DI1","client_secret":"s","api_hostname":"api-1.duosecurity.com"`,
		full:    `"configure_flow":"{flow}","friendly_name":"Duo","client_id":"DI2","client_secret":"duo-secret","api_hostname":"api-2.duosecurity.com","admin_integration_key":"DIA","admin_secret_key":"duo-admin-secret"`,
		secrets: map[string]string{"client_secret": "duo-secret", "admin_secret_key": "duo-admin-secret"},
		patch:   `{"api_hostname":"api-3.duosecurity.com"}`, patched: `"api_hostname":"api-3.duosecurity.com"`,
		bad:     `"client_id":"","client_secret":null,"api_hostname":["x"]`,
		badWant: `{"client_id":["This field may not be blank."],"client_secret":["This field may not be null."],"api_hostname":["Not a valid string."]}`,
	},
	{
		kind: "totp", model: "AuthenticatorTOTPStage", required: []string{"name", "digits"},
		min: `"digits":"6"`, full: `"configure_flow":"{flow}","friendly_name":"App","digits":8`,
		patch: `{"digits":"8"}`, patched: `"digits":"8"`,
		bad: `"digits":"7"`, badWant: `{"digits":["\"7\" is not a valid choice."]}`,
	},
	{
		kind: "static", model: "AuthenticatorStaticStage", required: []string{"name"},
		min: ``, full: `"configure_flow":"{flow}","token_count":10,"token_length":16`,
		patch: `{"token_count":"7"}`, patched: `"token_count":7`,
		bad:     `"token_count":-1,"token_length":"x"`,
		badWant: `{"token_count":["Ensure this value is greater than or equal to 0."],"token_length":["A valid integer is required."]}`,
	},
	{
		kind: "webauthn", model: "AuthenticatorWebAuthnStage", required: []string{"name"},
		min:   ``,
		full:  `"configure_flow":"{flow}","user_verification":"required","authenticator_attachment":"cross-platform","resident_key_requirement":"required","device_type_restrictions":["` + yubiKey5 + `"]`,
		patch: `{"authenticator_attachment":null}`, patched: `"authenticator_attachment":null`,
		bad:     `"user_verification":"sometimes","device_type_restrictions":["` + missingUUID + `"]`,
		badWant: `{"user_verification":["\"sometimes\" is not a valid choice."],"device_type_restrictions":["Invalid pk \"<uuid>\" - object does not exist."]}`,
	},
	{
		kind: "sms", model: "AuthenticatorSMSStage", required: []string{"name", "provider", "from_number", "account_sid", "auth"},
		min:   `"provider":"twilio","from_number":"+15550100","account_sid":"AC0","auth":"tok"`,
		full:  `"configure_flow":"{flow}","provider":"generic","from_number":"+15550101","account_sid":"https://sms.example.com","auth":"sms-token","auth_password":"sms-password","auth_type":"bearer","verify_only":true`,
		patch: `{"verify_only":"false"}`, patched: `"verify_only":false`,
		bad:     `"provider":"pigeon","from_number":"","account_sid":"a","auth":"b","verify_only":"maybe"`,
		badWant: `{"provider":["\"pigeon\" is not a valid choice."],"from_number":["This field may not be blank."],"verify_only":["Must be a valid boolean."]}`,
	},
	{
		kind: "email", model: "AuthenticatorEmailStage", required: []string{"name"},
		min:   ``,
		full:  `"configure_flow":"{flow}","host":"smtp.example.com","port":587,"username":"u","password":"mail-password","use_tls":true,"from_address":"a@example.com","token_expiry":"minutes=10"`,
		patch: `{"port":2525}`, patched: `"port":2525`,
		bad:     `"port":"x","from_address":"nope","token_expiry":"ten"`,
		badWant: `{"port":["A valid integer is required."],"from_address":["Enter a valid email address."],"token_expiry":["ten is not in the correct format of 'hours=3;minutes=1'."]}`,
	},
	{
		kind: "validate", model: "AuthenticatorValidateStage", required: []string{"name"},
		min:   ``,
		full:  `"not_configured_action":"configure","device_classes":["totp"],"configuration_stages":["{totp}"],"last_auth_threshold":"days=1;hours=2"`,
		patch: `{"last_auth_threshold":"hours=1"}`, patched: `"last_auth_threshold":"hours=1"`,
		bad:     `"device_classes":["x"],"last_auth_threshold":"bogus"`,
		badWant: `{"device_classes":{"0":["\"x\" is not a valid choice."]},"last_auth_threshold":["bogus is not in the correct format of 'hours=3;minutes=1'."]}`,
	},
	{
		kind: "endpoint_gdtc", model: "AuthenticatorEndpointGDTCStage", required: []string{"name", "credentials"},
		min: `"credentials":{"type":"service_account"}`, full: `"configure_flow":"{flow}","credentials":{"type":"service_account","project_id":"p"}`,
		patch: `{"credentials":{"type":"x"}}`, patched: `"credentials":{"type":"x"}`,
		bad: `"credentials":null`, badWant: `{"credentials":["This field may not be null."]}`,
	},
}

func named(name, members string) string {
	if members == "" {
		return `{"name":"` + name + `"}`
	}
	return `{"name":"` + name + `",` + members + "}"
}

// TestStageKindsLifecycle runs the same steps on every kind in every version
// that has it: 400 on {}, minimal and full create, GET and list by name,
// a name taken by a stage of another kind, an invalid body, PATCH, clearing
// configure_flow, the version's 404 text, delete.
func TestStageKindsLifecycle(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		s.SetEnterpriseLicense(true)
		tok := s.AdminToken()
		flow, _ := s.FlowBySlug("default-authenticator-totp-setup")
		seeded, _ := s.StageByName("default-authenticator-totp-setup")
		fill := func(b string) string {
			return strings.NewReplacer("{flow}", flow.PK, "{totp}", seeded.PK).Replace(b)
		}
		previous := "default-authentication-password" // a seeded password stage
		for _, c := range kindCases {
			if v == V2024_10 && c.kind == "email" {
				continue // TestEmailStageOnlyFrom2025
			}
			t.Run(string(v)+"/"+c.kind, func(t *testing.T) {
				p := stagesPath + c.kind + "/"
				var req []string
				for _, f := range c.required {
					req = append(req, `"`+f+`":["This field is required."]`)
				}
				expect(t, do(t, s, "POST", p, tok, "{}"), 400, "{"+strings.Join(req, ",")+"}")

				r := do(t, s, "POST", p, tok, named("t-"+c.kind+"-min", c.min))
				if r.status != 201 || !strings.Contains(r.body, `"component":"ak-stage-authenticator-`+strings.ReplaceAll(c.kind, "_", "-")+`-form"`) ||
					!strings.Contains(r.body, `"meta_model_name":"authentik_stages_authenticator_`+c.kind+`.`+strings.ToLower(c.model)+`"`) {
					t.Fatalf("create minimal: %d %s", r.status, r.body)
				}
				minPK := decode(t, r.body)["pk"].(string)
				expect(t, do(t, s, "GET", p+minPK+"/", tok, ""), 200, norm(r.body))
				if l := do(t, s, "GET", p+"?name=t-"+c.kind+"-min", tok, ""); !strings.Contains(l.body, `"count":1,`) || !strings.Contains(l.body, minPK) {
					t.Errorf("list by name: %s", l.body)
				}

				r = do(t, s, "POST", p, tok, named("t-"+c.kind+"-full", fill(c.full)))
				if r.status != 201 {
					t.Fatalf("create full: %d %s", r.status, r.body)
				}
				pk := decode(t, r.body)["pk"].(string)
				st, _ := s.Stage(pk)
				for field, secret := range c.secrets {
					if strings.Contains(r.body, secret) || strings.Contains(r.body, `"`+field+`"`) || st.Fields[field] != secret {
						t.Errorf("write-only %s: stored %v, answer %s", field, st.Fields[field], r.body)
					}
				}
				if c.kind != "validate" && !strings.Contains(r.body, `"configure_flow":"`+flow.PK+`"`) {
					t.Errorf("configure_flow not set: %s", r.body)
				}

				expect(t, do(t, s, "POST", p, tok, named(previous, c.min)), 400, `{"name":["stage with this name already exists."]}`)
				previous = "t-" + c.kind + "-min"
				expect(t, do(t, s, "POST", p, tok, named("t-"+c.kind+"-bad", c.bad)), 400, c.badWant)

				if r = do(t, s, "PATCH", p+pk+"/", tok, c.patch); r.status != 200 || !strings.Contains(r.body, c.patched) {
					t.Errorf("PATCH %s: %d %s", c.patch, r.status, r.body)
				}
				if c.kind != "validate" {
					if r = do(t, s, "PATCH", p+pk+"/", tok, `{"configure_flow":null}`); !strings.Contains(r.body, `"configure_flow":null`) {
						t.Errorf("clear configure_flow: %d %s", r.status, r.body)
					}
				}

				notFound := `{"detail":"No ` + c.model + ` matches the given query."}`
				if v == V2024_10 {
					notFound = `{"detail":"Not found."}`
				}
				expect(t, do(t, s, "GET", p+missingUUID+"/", tok, ""), 404, notFound)
				expect(t, do(t, s, "PATCH", p+missingUUID+"/", tok, `{}`), 404, notFound)
				expect(t, do(t, s, "GET", p+"not-a-uuid/", tok, ""), 404, `{"detail":"Not found."}`)
				if c.kind != seeded.Kind { // a stage of another kind is not found here
					expect(t, do(t, s, "GET", p+seeded.PK+"/", tok, ""), 404, notFound)
				}

				expect(t, do(t, s, "DELETE", p+pk+"/", tok, ""), 204, "")
				expect(t, do(t, s, "GET", p+pk+"/", tok, ""), 404, notFound)
				if _, ok := s.Stage(pk); ok {
					t.Error("still stored")
				}
			})
		}
		for _, vi := range s.Violations() {
			if strings.Contains(vi, ": response: ") {
				t.Errorf("%s: %s", v, vi)
			}
		}
	}
}

// TestEmailStageOnlyFrom2025 checks that the email stage's routes answer on
// 2024.10 as the real server answers any unknown route, and exist later.
func TestEmailStageOnlyFrom2025(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		p := stagesPath + "email/"
		get := do(t, s, "GET", p, s.AdminToken(), "")
		post := do(t, s, "POST", p, s.AdminToken(), `{"name":"e"}`)
		patch := do(t, s, "PATCH", p+missingUUID+"/", s.AdminToken(), `{"name":"e"}`)
		if v != V2024_10 {
			if get.status != 200 || post.status != 201 || patch.status != 404 {
				t.Errorf("%s: %d %d %d", v, get.status, post.status, patch.status)
			}
			continue
		}
		if get.status != 404 || get.ct != "text/html; charset=utf-8" || !strings.Contains(get.body, "<h1>Not Found</h1>") {
			t.Errorf("2024.10 GET: %d %q", get.status, get.ct)
		}
		for _, r := range []resp{post, patch} {
			if r.status != 405 || r.ct != "text/html; charset=utf-8" || r.body != "" || r.header.Get("Allow") != "GET, HEAD, OPTIONS" {
				t.Errorf("2024.10 write: %d %q %q %q", r.status, r.ct, r.body, r.header.Get("Allow"))
			}
		}
		if len(s.Stages("")) != 4 {
			t.Errorf("2024.10: %d stages", len(s.Stages("")))
		}
	}
}

// TestVersionedStageFields checks the members each version's schema adds or
// drops, and the defaults that follow from its enums.
func TestVersionedStageFields(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		created := func(kind, members string) map[string]any {
			t.Helper()
			r := do(t, s, "POST", stagesPath+kind+"/", s.AdminToken(), named("v-"+kind, members))
			if r.status != 201 {
				t.Fatalf("%s %s: %d %s", v, kind, r.status, r.body)
			}
			return decode(t, r.body)
		}
		wa, val := created("webauthn", ""), created("validate", "")
		is2026 := v == V2026_2
		for _, c := range []struct {
			obj       map[string]any
			key       string
			want, has bool
		}{
			{wa, "max_attempts", v != V2024_10, false},
			{wa, "hints", is2026, false},
			{wa, "prevent_duplicate_devices", is2026, false},
			{val, "webauthn_hints", is2026, false},
		} {
			if _, has := c.obj[c.key]; has != c.want {
				t.Errorf("%s: %s present %v, want %v", v, c.key, has, c.want)
			}
		}
		if is2026 && wa["prevent_duplicate_devices"] != true {
			t.Errorf("2026 prevent_duplicate_devices default: %v", wa["prevent_duplicate_devices"])
		}
		classes, _ := json.Marshal(val["device_classes"])
		wantClasses := `["static","totp","webauthn","duo","sms","email"]`
		if v == V2024_10 {
			wantClasses = `["static","totp","webauthn","duo","sms"]`
		}
		if string(classes) != wantClasses {
			t.Errorf("%s device_classes default %s", v, classes)
		}
		if fn := wa["friendly_name"]; v == V2024_10 && fn != nil || v != V2024_10 && fn != "" {
			t.Errorf("%s friendly_name default %#v", v, fn)
		}
		r := do(t, s, "POST", stagesPath+"static/", s.AdminToken(), `{"name":"v-long","token_length":101}`)
		if wantErr := v == V2025_12 || v == V2026_2; wantErr != (r.status == http.StatusBadRequest) {
			t.Errorf("%s token_length 101: %d %s", v, r.status, r.body)
		}
	}
}

// TestFlowSetOnEveryKind: flow_set is validated and then crashes the real
// server up to 2025.10, and is read-only (ignored) from 2025.12, for every
// stage serializer, not only Duo's.
func TestFlowSetOnEveryKind(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		r := do(t, s, "POST", stagesPath+"totp/", s.AdminToken(), `{"name":"fs","digits":"6","flow_set":[]}`)
		bad := do(t, s, "POST", stagesPath+"static/", s.AdminToken(), `{"name":"fs2","flow_set":{}}`)
		if v == V2024_10 || v == V2025_10 {
			if r.status != 405 || r.ct != "text/html; charset=utf-8" || bad.status != 400 {
				t.Errorf("%s: %d %q; bad %d %s", v, r.status, r.ct, bad.status, bad.body)
			}
			continue
		}
		if r.status != 201 || bad.status != 201 || !strings.Contains(r.body, `"flow_set":[]`) {
			t.Errorf("%s: %d %d %s", v, r.status, bad.status, r.body)
		}
	}
}
