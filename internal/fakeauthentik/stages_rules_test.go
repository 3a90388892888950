package fakeauthentik

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// post sends a create of kind and returns the answer.
func post(t *testing.T, s *Server, kind, body string) resp {
	t.Helper()
	return do(t, s, "POST", stagesPath+kind+"/", s.AdminToken(), body)
}

func createStage(t *testing.T, s *Server, kind, body string) string {
	t.Helper()
	r := post(t, s, kind, body)
	if r.status != 201 {
		t.Fatalf("create %s: %d %s", kind, r.status, r.body)
	}
	return decode(t, r.body)["pk"].(string)
}

// TestTimedeltaValidator follows authentik's timedelta_string_validator
// (authentik/lib/utils/time.py), on last_auth_threshold and token_expiry.
func TestTimedeltaValidator(t *testing.T) {
	s := startFake(t, V2025_12)
	bad := func(v string) string {
		return `{"last_auth_threshold":["` + v + ` is not in the correct format of 'hours=3;minutes=1'."]}`
	}
	for _, c := range []struct {
		value  string
		status int
		want   string
	}{
		{"seconds=0", 201, `"last_auth_threshold":"seconds=0"`},
		{"days=1;hours=2", 201, `"last_auth_threshold":"days=1;hours=2"`},
		{"  Weeks=1; foo=2;minutes= 3 ", 201, `"last_auth_threshold":"Weeks=1; foo=2;minutes= 3"`}, // trimmed; keys case-insensitive; unknown skipped
		{"hours=1e3;milliseconds=1_000", 201, `"last_auth_threshold":"hours=1e3;milliseconds=1_000"`},
		{"seconds=0;", 400, bad("seconds=0;")},
		{"bogus", 400, bad("bogus")},
		{"foo=1", 400, bad("foo=1")},
		{"hours=nan", 400, bad("hours=nan")},
		{"hours=0x10", 400, bad("hours=0x10")},
		{"", 400, `{"last_auth_threshold":["This field may not be blank."]}`},
		{"days=1e10", 405, ""}, // OverflowError in timedelta(): not caught
		{"hours=inf", 405, ""},
	} {
		r := post(t, s, "validate", `{"name":"td","last_auth_threshold":"`+c.value+`"}`)
		if r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Errorf("%q: %d %s", c.value, r.status, r.body)
		}
		if r.status == 201 {
			s.DeleteStage(decode(t, r.body)["pk"].(string))
		}
	}
	r := post(t, s, "email", `{"name":"te","token_expiry":"ten minutes"}`)
	expect(t, r, 400, `{"token_expiry":["ten minutes is not in the correct format of 'hours=3;minutes=1'."]}`)
}

// TestValidateStageRules covers the validation stage's own checks:
// not_configured_action "configure" needs configuration_stages in the same
// request, device_classes may not be empty, configuration_stages must name
// existing stages of any kind.
func TestValidateStageRules(t *testing.T) {
	s := startFake(t, V2024_10)
	totp, _ := s.StageByName("default-authenticator-totp-setup")
	password := s.otherStage["default-authentication-password"]
	configure := `{"not_configured_action":["When \"Not configured action\" is set to \"Configure\", you must set a configuration stage."]}`
	expect(t, post(t, s, "validate", `{"name":"v","not_configured_action":"configure"}`), 400, configure)
	expect(t, post(t, s, "validate", `{"name":"v","not_configured_action":"configure","configuration_stages":[]}`), 400, configure)
	expect(t, post(t, s, "validate", `{"name":"v","device_classes":[]}`), 400, `{"device_classes":["This list may not be empty."]}`)
	expect(t, post(t, s, "validate", `{"name":"v","device_classes":"totp","configuration_stages":"x"}`), 400,
		`{"device_classes":["Expected a list of items but got type \"str\"."],"configuration_stages":["Expected a list of items but got type \"str\"."]}`)
	expect(t, post(t, s, "validate", `{"name":"v","device_classes":[null,"email"],"configuration_stages":[null]}`), 400,
		`{"device_classes":{"0":["This field may not be null."],"1":["\"email\" is not a valid choice."]},"configuration_stages":["Invalid pk \"None\" - object does not exist."]}`)
	expect(t, post(t, s, "validate", `{"name":"v","configuration_stages":["`+missingUUID+`"]}`), 400,
		`{"configuration_stages":["Invalid pk \"<uuid>\" - object does not exist."]}`)

	pk := createStage(t, s, "validate", `{"name":"v","not_configured_action":"configure","device_classes":["duo","duo"],"configuration_stages":["`+totp.PK+`","`+password+`"]}`)
	st, _ := s.Stage(pk)
	if !reflect.DeepEqual(st.Fields["device_classes"], []string{"duo", "duo"}) || len(st.Fields["configuration_stages"].([]string)) != 2 {
		t.Fatalf("stored %+v", st.Fields)
	}
	// The rule reads the request, not the stage: a PATCH of the action alone fails.
	expect(t, do(t, s, "PATCH", stagesPath+"validate/"+pk+"/", s.AdminToken(), `{"not_configured_action":"configure"}`), 400, configure)

	// used_by lists the stage's own many-to-many targets, by attribute name.
	expect(t, do(t, s, "PATCH", stagesPath+"validate/"+pk+"/", s.AdminToken(), `{"webauthn_allowed_device_types":["`+yubiKey5+`"]}`), 200, norm(do(t, s, "GET", stagesPath+"validate/"+pk+"/", s.AdminToken(), "").body))
	used := do(t, s, "GET", stagesPath+"validate/"+pk+"/used_by/", s.AdminToken(), "").body
	for _, want := range []string{`"name":"Stage default-authenticator-totp-setup"`, `"name":"Stage default-authentication-password"`,
		`"model_name":"webauthndevicetype","pk":"` + yubiKey5 + `","name":"WebAuthn device type YubiKey 5 Series (` + yubiKey5 + `)","action":"cascade_many"`} {
		if !strings.Contains(used, want) {
			t.Errorf("used_by lacks %s: %s", want, used)
		}
	}
	if strings.Index(used, "Stage ") > strings.Index(used, "WebAuthn device type") {
		t.Errorf("used_by order: %s", used)
	}
	if u := do(t, s, "GET", stagesPath+"totp/"+totp.PK+"/used_by/", s.AdminToken(), "").body; strings.Contains(u, `"model_name":"authenticatorvalidatestage"`) {
		t.Errorf("a referenced stage's used_by names the validation stage: %s", u)
	}

	// Deleting a configuration stage drops it from the list.
	s.DeleteStage(totp.PK)
	if st, _ := s.Stage(pk); !reflect.DeepEqual(st.Fields["configuration_stages"], []string{password}) {
		t.Errorf("after delete: %v", st.Fields["configuration_stages"])
	}
}

// TestManyToManyOrder: a set keeps the members that stay in front and adds
// the new ones in an order that is neither the request's nor sorted, as
// Django's RelatedManager.set() does through a Python set.
func TestManyToManyOrder(t *testing.T) {
	a, b, c := "aaaaaaaa-0000-4000-8000-000000000000", "bbbbbbbb-0000-4000-8000-000000000000", "cccccccc-0000-4000-8000-000000000000"
	first := setMany(nil, []string{a, b, c})
	if again := setMany(nil, []string{c, b, a}); !reflect.DeepEqual(first, again) {
		t.Errorf("the request order leaks: %v vs %v", first, again)
	}
	req := []string{yubiKey5, "fa2b99dc-9e39-4257-8f92-4a30d23c4118", "42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3"}
	sorted := slices.Sorted(slices.Values(req))
	if got := setMany(nil, req); reflect.DeepEqual(got, req) || reflect.DeepEqual(got, sorted) {
		t.Errorf("order %v is the request's or sorted", got)
	}
	if got := setMany([]string{c, a}, []string{b, a, c, a}); got[0] != c || got[1] != a || got[2] != b || len(got) != 3 {
		t.Errorf("kept members must stay in front, duplicates collapse: %v", got)
	}
	if got := setMany([]string{a}, nil); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
}

// TestEnterpriseStage: without a licence a valid write of endpoint_gdtc fails
// in validate(), after and only after every field passed.
func TestEnterpriseStage(t *testing.T) {
	s := startFake(t, V2025_12)
	expect(t, post(t, s, "endpoint_gdtc", `{"name":"g","credentials":{}}`), 400, `{"non_field_errors":["Enterprise is required to create/update this object."]}`)
	expect(t, post(t, s, "endpoint_gdtc", `{"name":"g","credentials":"text"}`), 400, `{"credentials":["Value must be a dictionary, and not have any duplicate keys."]}`)
	s.SetEnterpriseLicense(true)
	pk := createStage(t, s, "endpoint_gdtc", `{"name":"g","credentials":{"private_key":"k"}}`)
	s.SetEnterpriseLicense(false)
	expect(t, do(t, s, "PATCH", stagesPath+"endpoint_gdtc/"+pk+"/", s.AdminToken(), `{"name":"g2"}`), 400, `{"non_field_errors":["Enterprise is required to create/update this object."]}`)
	if st, _ := s.Stage(pk); st.Name != "g" || st.Fields["credentials"].(map[string]any)["private_key"] != "k" {
		t.Errorf("stored %+v", st)
	}
	// 2024.10 takes any JSON value, 2025.x only an object.
	old := startFake(t, V2024_10)
	expect(t, post(t, old, "endpoint_gdtc", `{"name":"g","credentials":"text"}`), 400, `{"non_field_errors":["Enterprise is required to create/update this object."]}`)
}

// TestStageListFilters: the filters come from the list operation's
// parameters of the version's schema, with django-filter's answers.
func TestStageListFilters(t *testing.T) {
	s := startFake(t, V2025_12)
	flow, _ := s.FlowBySlug("default-authenticator-totp-setup")
	createStage(t, s, "webauthn", `{"name":"w1","configure_flow":"`+flow.PK+`","device_type_restrictions":["`+yubiKey5+`"],"max_attempts":3}`)
	createStage(t, s, "sms", `{"name":"s1","provider":"twilio","from_number":"1","account_sid":"a","auth":"b","verify_only":true}`)
	for _, c := range []struct{ query, status, want string }{
		{"webauthn/?configure_flow=" + flow.PK, "200", `"name":"w1"`},
		{"webauthn/?configure_flow=" + missingUUID, "400", `{"configure_flow":["Select a valid choice. That choice is not one of the available choices."]}`},
		{"webauthn/?configure_flow=bad", "400", `{"configure_flow":["“bad” is not a valid UUID."]}`},
		{"webauthn/?device_type_restrictions=" + yubiKey5, "200", `"count":1,`},
		{"webauthn/?device_type_restrictions=" + missingUUID, "400", `{"device_type_restrictions":["Select a valid choice. <uuid> is not one of the available choices."]}`},
		{"webauthn/?user_verification=bogus", "400", `{"user_verification":["Select a valid choice. bogus is not one of the available choices."]}`},
		{"webauthn/?user_verification=required", "200", `"count":0,`},
		{"webauthn/?max_attempts=3", "200", `"count":1,`},
		{"webauthn/?max_attempts=x", "400", `{"max_attempts":["Enter a number."]}`},
		{"webauthn/?stage_uuid=bad", "400", `{"stage_uuid":["Enter a valid UUID."]}`},
		{"webauthn/?ordering=-max_attempts", "200", `"results":[{"pk":"<uuid>","name":"w1"`},
		{"sms/?verify_only=true", "200", `"count":1,`},
		{"sms/?verify_only=false", "200", `"count":0,`},
		{"sms/?verify_only=maybe", "200", `"count":1,`}, // BooleanWidget: not a filter
		{"sms/?auth=b&provider=twilio", "200", `"count":1,`},
		{"validate/?device_classes=totp", "200", `"count":1,`}, // not a filter of this viewset
	} {
		r := do(t, s, "GET", stagesPath+c.query, s.AdminToken(), "")
		if got := norm(r.body); c.status != map[bool]string{true: "200", false: "400"}[r.status == 200] || !strings.Contains(got, c.want) {
			t.Errorf("%s: %d %.300s", c.query, r.status, got)
		}
	}
}

// TestStageGoAPI covers the accessors tests use to play an admin in the UI.
func TestStageGoAPI(t *testing.T) {
	s := startFake(t, V2024_10)
	st := s.PutStage(Stage{Kind: "static", Name: "ui", Fields: map[string]any{"token_count": int64(3)}})
	want := map[string]any{"configure_flow": nil, "friendly_name": nil, "token_count": int64(3), "token_length": int64(12)}
	if st.PK == "" || !reflect.DeepEqual(st.Fields, want) {
		t.Fatalf("%+v", st)
	}
	r := do(t, s, "GET", stagesPath+"static/"+st.PK+"/", s.AdminToken(), "")
	if !strings.Contains(r.body, `"token_count":3,"token_length":12`) {
		t.Error(r.body)
	}
	if got := s.Stages("static"); len(got) != 2 || got[0].Name != "default-authenticator-static-setup" || got[1].Name != "ui" {
		t.Errorf("Stages: %+v", got)
	}
	got, _ := s.StageByName("ui")
	got.Fields["token_count"] = int64(9)
	if again, _ := s.Stage(st.PK); again.Fields["token_count"] != int64(3) {
		t.Error("Stage must return a copy")
	}
	if !s.DeleteStage(st.PK) || s.DeleteStage(st.PK) {
		t.Error("DeleteStage")
	}
	// Seeded like a fresh authentik: bound to their flows, configured by them.
	totp, ok := s.StageByName("default-authenticator-totp-setup")
	flow, _ := s.FlowBySlug("default-authenticator-totp-setup")
	if !ok || totp.Kind != "totp" || totp.Fields["configure_flow"] != flow.PK || totp.Fields["digits"] != "6" {
		t.Errorf("seeded %+v", totp)
	}
	if r := do(t, s, "GET", stagesPath+"totp/"+totp.PK+"/", s.AdminToken(), ""); !strings.Contains(r.body, `"slug":"default-authenticator-totp-setup"`) {
		t.Errorf("seeded stage not in its flow: %s", r.body)
	}
	// Deleting a flow nulls configure_flow on every kind.
	do(t, s, "DELETE", "/api/v3/flows/instances/default-authenticator-totp-setup/", s.AdminToken(), "")
	if totp, _ = s.Stage(totp.PK); totp.Fields["configure_flow"] != nil {
		t.Errorf("configure_flow after the flow's delete: %v", totp.Fields["configure_flow"])
	}
}
