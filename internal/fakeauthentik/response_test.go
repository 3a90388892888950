package fakeauthentik

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// realAnswer validates one transcript answer against the schema of v, as if
// the fake had given it.
func realAnswer(t *testing.T, v Version, c realCall) []string {
	t.Helper()
	var body string
	if c.hasRequest {
		body = c.request
	}
	req, err := http.NewRequest(c.method, "http://authentik"+apiPrefix+c.target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	h := http.Header{}
	if c.contentType != "" {
		h.Set("Content-Type", c.contentType)
	}
	return loadSchema(v).validateResponse(req, []byte(body), c.status, h, []byte(c.body))
}

// realSchemaExceptions are the real answers that break the real server's
// own schema (undeclared status codes are not checked at all).
var realSchemaExceptions = map[int]string{
	79: "enrollment_status answers 400 with no body and no content type",
}

// TestRealAnswersMatchTheirSchema checks the response validation itself on
// the real servers' answers: each answer passes its own version's schema
// (but for realSchemaExceptions), and 2024.10.5's answers fail the 2025.12
// schema where §5.2 of the observations says they changed.
func TestRealAnswersMatchTheirSchema(t *testing.T) {
	for _, c := range fidelityCases {
		tr := parseTranscript(t, "testdata/real/"+c.file)
		for _, call := range tr.calls {
			if call.bodyKind != "json" {
				continue
			}
			vs := realAnswer(t, c.v, call)
			if _, ok := realSchemaExceptions[call.n]; ok != (len(vs) > 0) {
				t.Errorf("%s [%d] %s %s: violations %q, exception listed: %v", c.name, call.n, call.method, call.target, vs, ok)
			}
		}
	}
	old := parseTranscript(t, "testdata/real/transcript-2024.10.5.txt")
	for n, want := range map[int]string{
		12:  `"/friendly_name": Value is not nullable`, // friendly_name null
		97:  `property "autocomplete" is missing`,      // list without autocomplete
		101: `property "user" is missing`,              // TOTP device without user
	} {
		vs := strings.Join(realAnswer(t, V2025_12, old.calls[n-1]), "\n")
		if !strings.Contains(vs, want) || !strings.Contains(vs, "response: ") {
			t.Errorf("2024.10.5 [%d] on the 2025.12 schema: want %q among %q", n, want, vs)
		}
	}
}

// TestFakeAnswersAreValidated proves that a fake answer breaking its schema
// lands in Violations: a 2025.12 TOTP device without its user.
func TestFakeAnswersAreValidated(t *testing.T) {
	sc := loadSchema(V2025_12)
	req, _ := http.NewRequest(http.MethodGet, "http://x/api/v3/authenticators/admin/totp/1/", nil)
	h := http.Header{"Content-Type": {"application/json"}}
	vs := sc.validateResponse(req, nil, 200, h, []byte(`{"name":"x","pk":1}`))
	if len(vs) == 0 || !strings.HasPrefix(vs[0], "response: ") {
		t.Fatalf("violations %q", vs)
	}
	if vs := loadSchema(V2024_10).validateResponse(req, nil, 200, h, []byte(`{"name":"x","pk":1}`)); len(vs) != 0 {
		t.Fatalf("2024.10: %q", vs)
	}
	// Undeclared status codes (the real server's 404 and 405) are not checked.
	if vs := sc.validateResponse(req, nil, 404, h, []byte(`{"detail":1}`)); len(vs) != 0 {
		t.Fatalf("404: %q", vs)
	}
	// Through the server: a 2024.10 fake checked against the 2025.12 schema
	// logs its TOTP answer (no user) as a response violation.
	old := startFake(t, V2024_10)
	old.schema = sc
	d := old.EnrollTOTPDevice(1, "d", true)
	do(t, old, "GET", fmt.Sprintf("/api/v3/authenticators/admin/totp/%d/", d.PK), old.AdminToken(), "")
	if vs, r := old.Violations(), old.Requests(); len(vs) != 1 || !strings.Contains(vs[0], `: response: at "/user": property "user" is missing`) ||
		len(r) != 1 || len(r[0].Violations) != 1 {
		t.Fatalf("violations %q, log %+v", vs, r)
	}
	// Through the server: every answer of a short session passes (the
	// PATCH with a blank name is a request violation only).
	for _, v := range Versions {
		s := startFake(t, v)
		pk := create(t, s, duoFull)
		do(t, s, "GET", duoPath+"?page_size=1", s.AdminToken(), "")
		do(t, s, "PATCH", duoPath+pk+"/", s.AdminToken(), `{"name":""}`)
		do(t, s, "GET", "/api/v3/flows/instances/initial-setup/", s.AdminToken(), "")
		s.EnrollTOTPDevice(1, "d", true)
		do(t, s, "GET", "/api/v3/authenticators/totp/", s.AdminToken(), "")
		do(t, s, "GET", "/api/v3/admin/version/", s.AdminToken(), "")
		for _, vi := range s.Violations() {
			if strings.Contains(vi, ": response: ") {
				t.Errorf("%s: %s", v, vi)
			}
		}
		if r := s.Requests(); len(r) != 6 || r[2].Status != 400 {
			t.Errorf("%s: log %+v", v, r)
		}
	}
}
