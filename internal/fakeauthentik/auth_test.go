package fakeauthentik

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		_, userToken := s.AddUser("smoke-user", false)
		otherScheme := "Unsupported authentication type"
		if v != V2024_10 {
			otherScheme = "Authentication credentials were not provided."
		}
		cases := []struct {
			name, method, path, token string
			status                    int
			body                      string
		}{
			{"no header", "GET", duoPath, "", 403, `{"detail":"Authentication credentials were not provided."}`},
			{"no header POST", "POST", duoPath, "", 403, `{"detail":"Authentication credentials were not provided."}`},
			{"bearer without credentials", "GET", duoPath, "Bearer", 403, `{"detail":"Authentication credentials were not provided."}`},
			{"unknown token", "GET", duoPath, "not-a-valid-token", 403, `{"detail":"Token invalid/expired"}`},
			{"other scheme", "GET", duoPath, "Token admin-token", 403, `{"detail":"` + otherScheme + `"}`},
			{"lower-case bearer", "GET", duoPath, "bearer admin-token", 200, ""},
			{"non-superuser list", "GET", duoPath, userToken, 403, `{"detail":"You do not have permission to perform this action."}`},
			{"non-superuser create", "POST", duoPath, userToken, 403, `{"detail":"You do not have permission to perform this action."}`},
			{"non-superuser flows", "GET", "/api/v3/flows/instances/?designation=stage_configuration", userToken, 403, `{"detail":"You do not have permission to perform this action."}`},
			{"non-superuser version", "GET", "/api/v3/admin/version/", userToken, 403, `{"detail":"You do not have permission to perform this action."}`},
		}
		for _, c := range cases {
			t.Run(string(v)+"/"+c.name, func(t *testing.T) {
				r := do(t, s, c.method, c.path, c.token, "")
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
				}
				if c.body != "" && r.body != c.body {
					t.Fatalf("body %s, want %s", r.body, c.body)
				}
				if r.status == 401 || r.header.Get("WWW-Authenticate") != "" {
					t.Fatal("never 401")
				}
			})
		}
	}
}

func TestHTMLNotFound(t *testing.T) {
	s := startFake(t, V2025_12)
	pk := create(t, s, duoFull)
	for _, p := range []string{
		"/api/v3/stages/authenticator/duo",
		"/api/v3/stages/authenticator/duo/" + pk,
		"/api/v3/no/such/route/",
		"/api/v3/authenticators/admin/totp/1/used_by/",
		"/",
		"/api/v2/stages/authenticator/duo/",
	} {
		r := do(t, s, "GET", p, s.AdminToken(), "")
		if r.status != 404 || r.ct != "text/html; charset=utf-8" ||
			!strings.Contains(r.body, "<title>authentik</title>") || !strings.Contains(r.body, "<h1>Not Found</h1>") {
			t.Errorf("%s: %d %q %.80s", p, r.status, r.ct, r.body)
		}
	}
	// Unauthenticated too: Django resolves URLs before DRF authenticates.
	if r := do(t, s, "GET", "/api/v3/stages/authenticator/duo", "", ""); r.status != 404 || r.ct != "text/html; charset=utf-8" {
		t.Errorf("unauthenticated: %d %s", r.status, r.ct)
	}
	if len(s.Violations()) != 0 {
		t.Errorf("unknown routes must not be violations: %v", s.Violations())
	}
}

func TestMethodNotAllowed(t *testing.T) {
	s := startFake(t, V2024_10)
	pk := create(t, s, duoFull)
	cases := []struct{ method, path, allow, body string }{
		{"DELETE", duoPath, "GET, POST, HEAD, OPTIONS", `{"detail":"Method \"DELETE\" not allowed."}`},
		{"PUT", duoPath, "GET, POST, HEAD, OPTIONS", `{"detail":"Method \"PUT\" not allowed."}`},
		{"POST", duoPath + pk + "/", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS", `{"detail":"Method \"POST\" not allowed."}`},
	}
	for _, c := range cases {
		r := do(t, s, c.method, c.path, s.AdminToken(), "")
		expect(t, r, http.StatusMethodNotAllowed, c.body)
		if got := r.header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
}

func TestAdminVersion(t *testing.T) {
	want := map[Version]string{V2024_10: "2024.10.5", V2025_10: "2025.10.4", V2025_12: "2025.12.4", V2026_2: "2026.2.2"}
	for _, v := range Versions {
		s := startFake(t, v)
		r := do(t, s, "GET", "/api/v3/admin/version/", s.AdminToken(), "")
		// The recorded servers run without update checks (fixtures-*.txt).
		expect(t, r, 200, `{"version_current":"`+want[v]+`","version_latest":"0.0.0","version_latest_valid":false,"build_hash":"","outdated":false,"outpost_outdated":false}`)
		if s.Version() != v {
			t.Errorf("Version() = %s", s.Version())
		}
	}
	d := New(Options{})
	d.Close()
	if d.Version() != V2025_12 || d.AdminToken() == "" {
		t.Error("default version must be 2025.12")
	}
}
