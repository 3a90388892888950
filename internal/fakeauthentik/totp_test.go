package fakeauthentik

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const (
	totpAdminPath = "/api/v3/authenticators/admin/totp/"
	totpUserPath  = "/api/v3/authenticators/totp/"
)

// totpFixtures seeds the devices of the real-server transcripts: akadmin's
// confirmed and unconfirmed devices, smoke-other's and smoke-user's.
func totpFixtures(t *testing.T, v Version) (s *Server, userToken string, own, unconfirmed, other, plain TOTPDevice) {
	t.Helper()
	s = startFake(t, v)
	otherPK, _ := s.AddUser("smoke-other", false)
	userPK, userToken := s.AddUser("smoke-user", false)
	own = s.EnrollTOTPDevice(1, "smoke-totp-admin", true)
	unconfirmed = s.EnrollTOTPDevice(1, "smoke-totp-unconfirmed", false)
	other = s.EnrollTOTPDevice(otherPK, "smoke-totp-other", true)
	plain = s.EnrollTOTPDevice(userPK, "smoke-totp-plain", true)
	return s, userToken, own, unconfirmed, other, plain
}

func detail(base string, d TOTPDevice) string { return fmt.Sprintf("%s%d/", base, d.PK) }

func TestTOTPAdminEndpoints(t *testing.T) {
	s, _, own, unconfirmed, _, _ := totpFixtures(t, V2024_10)
	tok := s.AdminToken()
	r := do(t, s, "GET", totpAdminPath, tok, "")
	expect(t, r, 200, `{"pagination":{"next":0,"previous":0,"count":4,"current":1,"total_pages":1,"start_index":1,"end_index":4},"results":[`+
		fmt.Sprintf(`{"name":"smoke-totp-admin","pk":%d},{"name":"smoke-totp-other","pk":3},{"name":"smoke-totp-plain","pk":4},{"name":"smoke-totp-unconfirmed","pk":%d}]}`, own.PK, unconfirmed.PK))
	for query, want := range map[string]string{
		"?name=smoke-totp-admin":      "smoke-totp-admin",
		"?name=SMOKE-TOTP-ADMIN":      "",
		"?search=SMOKE-TOTP-O":        "smoke-totp-other",
		"?page_size=2&ordering=-name": "smoke-totp-unconfirmed,smoke-totp-plain",
		"?page_size=2&page=2":         "smoke-totp-plain,smoke-totp-unconfirmed",
		"?ordering=-pk":               "smoke-totp-plain,smoke-totp-other,smoke-totp-unconfirmed,smoke-totp-admin",
	} {
		r := do(t, s, "GET", totpAdminPath+query, tok, "")
		var got []string
		for _, d := range decodeList(t, r.body) {
			got = append(got, d["name"].(string))
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: got %v, want %s", query, got, want)
		}
	}
	expect(t, do(t, s, "GET", detail(totpAdminPath, unconfirmed), tok, ""), 200, fmt.Sprintf(`{"name":"smoke-totp-unconfirmed","pk":%d}`, unconfirmed.PK))
	expect(t, do(t, s, "PATCH", detail(totpAdminPath, own), tok, `{"name":"smoke-totp-admin-patched"}`), 200, fmt.Sprintf(`{"name":"smoke-totp-admin-patched","pk":%d}`, own.PK))
	expect(t, do(t, s, "PUT", detail(totpAdminPath, own), tok, `{"name":"smoke-totp-admin-put"}`), 200, fmt.Sprintf(`{"name":"smoke-totp-admin-put","pk":%d}`, own.PK))
	if d, _ := s.TOTPDevice(own.PK); d.Name != "smoke-totp-admin-put" {
		t.Errorf("stored name %q", d.Name)
	}
	expect(t, do(t, s, "DELETE", detail(totpAdminPath, unconfirmed), tok, ""), 204, "")
	expect(t, do(t, s, "GET", detail(totpAdminPath, unconfirmed), tok, ""), 404, `{"detail":"Not found."}`)
	expect(t, do(t, s, "DELETE", detail(totpAdminPath, unconfirmed), tok, ""), 404, `{"detail":"Not found."}`)
	if vs := s.Violations(); len(vs) != 0 {
		t.Errorf("valid requests produced violations: %v", vs)
	}
	expect(t, do(t, s, "GET", totpAdminPath+"not-a-number/", tok, ""), 404, `{"detail":"Not found."}`)
	expect(t, do(t, s, "DELETE", totpAdminPath, tok, ""), 405, `{"detail":"Method \"DELETE\" not allowed."}`)
}

func TestTOTPValidation(t *testing.T) {
	s, _, own, _, _, _ := totpFixtures(t, V2025_12)
	tok := s.AdminToken()
	long := strings.Repeat("x", 65)
	for _, c := range []struct{ method, body, want string }{
		{"PATCH", `{"name":"` + long + `"}`, `{"name":["Ensure this field has no more than 64 characters."]}`},
		{"PATCH", `{"name":""}`, `{"name":["This field may not be blank."]}`},
		{"PATCH", `{"name":null}`, `{"name":["This field may not be null."]}`},
		{"PUT", `{}`, `{"name":["This field is required."]}`},
		{"POST", `{"name":"` + long + `"}`, `{"name":["Ensure this field has no more than 64 characters."]}`},
		{"POST", `{}`, `{"name":["This field is required."]}`},
	} {
		path := totpAdminPath
		if c.method != "POST" {
			path = detail(totpAdminPath, own)
		}
		expect(t, do(t, s, c.method, path, tok, c.body), 400, c.want)
	}
	// 64 characters (not bytes) are fine; read-only and unknown keys are ignored.
	if r := do(t, s, "PATCH", detail(totpAdminPath, own), tok, `{"name":"`+strings.Repeat("ä", 64)+`"}`); r.status != 200 {
		t.Errorf("64 characters: %d %s", r.status, r.body)
	}
	if r := do(t, s, "PATCH", detail(totpAdminPath, own), tok, `{"user":999,"confirmed":false,"key":"00"}`); r.status != 200 {
		t.Errorf("ignored keys: %d %s", r.status, r.body)
	}
	if d, _ := s.TOTPDevice(own.PK); d.UserPK != 1 || !d.Confirmed || d.Name != strings.Repeat("ä", 64) {
		t.Errorf("stored %+v", d)
	}
}

func TestTOTPCreateModes(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		r := do(t, s, "POST", totpAdminPath, s.AdminToken(), `{"name":"smoke-totp-created","user":1}`)
		if r.status != 405 || r.ct != "text/html; charset=utf-8" || r.body != "" || r.header.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("%s real create: %d %q %q Allow %q", v, r.status, r.ct, r.body, r.header.Get("Allow"))
		}
		if n := len(s.TOTPDevices()); n != 0 {
			t.Errorf("%s: the failed create stored %d devices", v, n)
		}
		s.SetTOTPCreate(TOTPCreateSpec)
		pk, _ := s.AddUser("creator", true)
		_, tok := s.AddUser("creator-token-holder", true) // a second superuser's token
		r = do(t, s, "POST", totpAdminPath, tok, `{"name":"smoke-totp-created"}`)
		want := `{"name":"smoke-totp-created","pk":1}`
		if v != V2024_10 {
			want = `{"name":"smoke-totp-created","pk":1,"user":{"pk":` + fmt.Sprint(pk+1) + `,"username":"creator-token-holder","name":"creator-token-holder","is_active":true,"last_login":null,"email":"","attributes":{},"uid":"`
		}
		if r.status != 201 || !strings.HasPrefix(r.body, want) {
			t.Errorf("%s spec create: %d %s", v, r.status, r.body)
		}
		if d, ok := s.TOTPDevice(1); !ok || d.UserPK != pk+1 || !d.Confirmed {
			t.Errorf("%s stored %+v", v, d)
		}
	}
}

func TestTOTPUserObjectAndNotFoundPerVersion(t *testing.T) {
	for _, v := range Versions {
		s, _, own, _, _, _ := totpFixtures(t, v)
		r := do(t, s, "GET", detail(totpAdminPath, own), s.AdminToken(), "")
		hasUser := strings.Contains(r.body, `"user":{"pk":1,"username":"akadmin"`)
		if r.status != 200 || hasUser != (v != V2024_10) {
			t.Errorf("%s: %d %s", v, r.status, r.body)
		}
		want := `{"detail":"No TOTPDevice matches the given query."}`
		if v == V2024_10 {
			want = `{"detail":"Not found."}`
		}
		for _, base := range []string{totpAdminPath, totpUserPath} {
			for _, m := range []string{"GET", "PATCH", "DELETE"} {
				body := ""
				if m == "PATCH" {
					body = `{"name":"x"}`
				}
				expect(t, do(t, s, m, base+"999999/", s.AdminToken(), body), 404, want)
			}
		}
	}
}

func TestTOTPPermissions(t *testing.T) {
	for _, v := range Versions {
		s, userTok, own, unconfirmed, other, plain := totpFixtures(t, v)
		admin := s.AdminToken()
		forbidden := `{"detail":"You do not have permission to perform this action."}`
		notFound := s.totpNotFound()
		// An ordinary user: 403 on every admin endpoint, even for the own device.
		expect(t, do(t, s, "GET", totpAdminPath, userTok, ""), 403, forbidden)
		expect(t, do(t, s, "GET", detail(totpAdminPath, plain), userTok, ""), 403, forbidden)
		expect(t, do(t, s, "POST", totpAdminPath, userTok, `{"name":"x"}`), 403, forbidden)
		// ... and the own confirmed devices on the user endpoints.
		r := do(t, s, "GET", totpUserPath, userTok, "")
		if got := decodeList(t, r.body); len(got) != 1 || got[0]["name"] != "smoke-totp-plain" {
			t.Errorf("%s user list: %s", v, r.body)
		}
		if r := do(t, s, "PATCH", detail(totpUserPath, plain), userTok, `{"name":"smoke-totp-plain-renamed"}`); r.status != 200 ||
			!strings.HasPrefix(r.body, fmt.Sprintf(`{"name":"smoke-totp-plain-renamed","pk":%d`, plain.PK)) {
			t.Errorf("%s own PATCH: %d %s", v, r.status, r.body)
		}
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			expect(t, do(t, s, m, detail(totpUserPath, other), userTok, map[string]string{"PATCH": `{"name":"x"}`}[m]), 404, `{"detail":"`+notFound+`"}`)
		}
		post := do(t, s, "POST", totpUserPath, userTok, `{"name":"x"}`)
		if v == V2024_10 {
			expect(t, post, 405, `{"detail":"Method \"POST\" not allowed."}`)
		} else {
			expect(t, post, 403, forbidden)
		}
		// A superuser on the user endpoints: every confirmed device listed;
		// another user's device is 403 on 2024.10 (owner check), 200 later.
		r = do(t, s, "GET", totpUserPath, admin, "")
		if got := decodeList(t, r.body); len(got) != 3 {
			t.Errorf("%s superuser user list: %s", v, r.body)
		}
		expect(t, do(t, s, "GET", detail(totpUserPath, unconfirmed), admin, ""), 404, `{"detail":"`+notFound+`"}`)
		if r := do(t, s, "GET", detail(totpUserPath, own), admin, ""); r.status != 200 {
			t.Errorf("%s own device: %d", v, r.status)
		}
		r = do(t, s, "GET", detail(totpUserPath, other), admin, "")
		if v == V2024_10 {
			expect(t, r, 403, forbidden)
		} else if r.status != 200 {
			t.Errorf("%s superuser GET of another's device: %d %s", v, r.status, r.body)
		}
		expect(t, do(t, s, "POST", totpUserPath, admin, `{"name":"x"}`), 405, `{"detail":"Method \"POST\" not allowed."}`)
		expect(t, do(t, s, "DELETE", detail(totpUserPath, own), admin, ""), 204, "")
		if _, ok := s.TOTPDevice(own.PK); ok {
			t.Errorf("%s: deleted through the user endpoint but still stored", v)
		}
		if http.StatusOK != do(t, s, "GET", detail(totpAdminPath, other), admin, "").status {
			t.Errorf("%s: admin GET of another's device", v)
		}
	}
}

func TestTOTPGoAPI(t *testing.T) {
	s := startFake(t, V2025_12)
	d := s.EnrollTOTPDevice(1, "phone", true)
	if !s.RenameTOTPDevice(d.PK, "tablet") || s.RenameTOTPDevice(99, "x") {
		t.Fatal("RenameTOTPDevice")
	}
	if got, _ := s.TOTPDevice(d.PK); got.Name != "tablet" {
		t.Fatalf("%+v", got)
	}
	if all := s.TOTPDevices(); len(all) != 1 || all[0].PK != d.PK {
		t.Fatalf("%+v", all)
	}
	if !s.DeleteTOTPDevice(d.PK) || s.DeleteTOTPDevice(d.PK) || len(s.TOTPDevices()) != 0 {
		t.Fatal("DeleteTOTPDevice")
	}
}
