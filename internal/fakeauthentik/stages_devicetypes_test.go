package fakeauthentik

import (
	"strings"
	"testing"
)

const deviceTypesPath = stagesPath + "webauthn_device_types/"

func TestWebAuthnDeviceTypes(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		tok := s.AdminToken()
		all := do(t, s, "GET", deviceTypesPath, tok, "")
		if all.status != 200 || !strings.Contains(all.body, `"count":11,`) ||
			!strings.Contains(all.body, `"results":[{"aaguid":"bada5566-a7aa-401f-bd96-45619a55120d","description":"1Password"},`) {
			t.Errorf("%s list (by description): %d %.300s", v, all.status, all.body)
		}
		if strings.Contains(all.body, `"autocomplete"`) != (v != V2024_10) {
			t.Errorf("%s autocomplete: %.100s", v, all.body)
		}
		for _, c := range []struct{ query, want string }{
			{"?aaguid=" + strings.ToUpper(yubiKey5), `"count":1,`},
			{"?description=YubiKey%205%20Series%20with%20NFC", `"count":3,`},
			{"?description=yubikey%205%20series", `"count":0,`}, // exact
			{"?search=titan", `"description":"Google Titan Security Key v2"`},
			{"?search=42b4fb4a-2866", `"count":1,`},
			{"?search=yubikey%20nfc", `"count":3,`},
			{"?icon=x", `"count":0,`},
			{"?ordering=-aaguid&page_size=1", `"results":[{"aaguid":"fbfc3007-154e-4ecc-8c0b-6e020557d7bd"`},
		} {
			if r := do(t, s, "GET", deviceTypesPath+c.query, tok, ""); r.status != 200 || !strings.Contains(r.body, c.want) {
				t.Errorf("%s %s: %d %.300s", v, c.query, r.status, r.body)
			}
		}
		expect(t, do(t, s, "GET", deviceTypesPath+"?aaguid=not-a-uuid", tok, ""), 400, `{"aaguid":["Enter a valid UUID."]}`)
		expect(t, do(t, s, "GET", deviceTypesPath+yubiKey5+"/", tok, ""), 200, `{"aaguid":"<uuid>","description":"YubiKey 5 Series"}`)
		notFound := `{"detail":"No WebAuthnDeviceType matches the given query."}`
		if v == V2024_10 {
			notFound = `{"detail":"Not found."}`
		}
		expect(t, do(t, s, "GET", deviceTypesPath+missingUUID+"/", tok, ""), 404, notFound)
		expect(t, do(t, s, "GET", deviceTypesPath+"not-a-uuid/", tok, ""), 404, `{"detail":"Not found."}`)
		r := do(t, s, "POST", deviceTypesPath, tok, `{"aaguid":"`+missingUUID+`","description":"x"}`)
		if r.status != 405 || r.body != `{"detail":"Method \"POST\" not allowed."}` || r.header.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("%s POST: %d %s %q", v, r.status, r.body, r.header.Get("Allow"))
		}
		if r := do(t, s, "GET", deviceTypesPath+yubiKey5+"/used_by/", tok, ""); r.status != 404 || r.ct != "text/html; charset=utf-8" {
			t.Errorf("%s used_by is no route: %d %q", v, r.status, r.ct)
		}
		for _, vi := range s.Violations() {
			if strings.Contains(vi, ": response: ") {
				t.Errorf("%s: %s", v, vi)
			}
		}
	}
}

func TestAddWebAuthnDeviceType(t *testing.T) {
	s := startFake(t, V2025_12)
	s.AddWebAuthnDeviceType(WebAuthnDeviceType{AAGUID: "D548826E-79B4-DB40-A3D8-11116F7E8349", Description: "Bitwarden Vault"})
	s.AddWebAuthnDeviceType(WebAuthnDeviceType{AAGUID: missingUUID, Description: "Test key"})
	// Ordered by description in byte order, as the real servers' databases
	// (C collation) list them: "iPasswords" after "YubiKey …".
	types := s.WebAuthnDeviceTypes()
	if len(types) != 12 || types[1].Description != "Bitwarden Vault" || types[len(types)-1].Description != "iCloud Keychain" {
		t.Fatalf("%+v", types)
	}
	expect(t, do(t, s, "GET", deviceTypesPath+"d548826e-79b4-db40-a3d8-11116f7e8349/", s.AdminToken(), ""), 200,
		`{"aaguid":"<uuid>","description":"Bitwarden Vault"}`)
	// A webauthn stage may now restrict to it.
	createStage(t, s, "webauthn", `{"name":"w","device_type_restrictions":["`+missingUUID+`"]}`)
}
