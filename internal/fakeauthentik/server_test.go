package fakeauthentik

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFaultInjection(t *testing.T) {
	s := startFake(t, V2025_12)
	tok := s.AdminToken()
	s.InjectFault("POST", "/stages/authenticator/duo/", 1, WriteServerError)
	r := do(t, s, "POST", duoPath, tok, duoFull)
	if r.status != 405 || r.ct != "text/html; charset=utf-8" || r.body != "" || r.header.Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Fatalf("fault: %d %q %q %q", r.status, r.ct, r.body, r.header.Get("Allow"))
	}
	if len(s.DuoStages()) != 0 {
		t.Fatal("a faulted request must not be handled")
	}
	// Only one request was faulted.
	pk := create(t, s, duoFull)
	// Method and prefix must match; "" matches any.
	s.InjectFault("GET", "/flows/", 2, GetServerError)
	if r = do(t, s, "GET", duoPath+pk+"/", tok, ""); r.status != 200 {
		t.Fatalf("a GET fault on /flows/ hit a Duo GET: %d", r.status)
	}
	for i := 0; i < 2; i++ {
		r = do(t, s, "GET", "/api/v3/flows/instances/", tok, "")
		if r.status != 500 || !strings.Contains(r.body, "<title>authentik</title>") || !strings.Contains(r.body, "<h1>Server Error</h1>") {
			t.Fatalf("GET fault %d: %d %s", i, r.status, r.body)
		}
	}
	if r = do(t, s, "GET", "/api/v3/flows/instances/", tok, ""); r.status != 200 {
		t.Fatalf("fault outlived n: %d", r.status)
	}
	s.InjectFault("", "", 1, Fault{Status: 429, ContentType: "application/json", Body: `{"detail":"Request was throttled."}`, Header: http.Header{"Retry-After": {"1"}}})
	r = do(t, s, "DELETE", duoPath+pk+"/", tok, "")
	if r.status != 429 || r.header.Get("Retry-After") != "1" || r.body != `{"detail":"Request was throttled."}` {
		t.Fatalf("custom fault: %d %s", r.status, r.body)
	}
	if _, ok := s.DuoStage(pk); !ok {
		t.Fatal("faulted DELETE deleted")
	}
	reqs := s.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 429 || last.Method != http.MethodDelete {
		t.Fatalf("log: %+v", last)
	}
}

func TestRequestLog(t *testing.T) {
	s := startFake(t, V2024_10)
	pk := create(t, s, duoFull)
	do(t, s, "GET", duoPath+"?name=x&page=1", "", "")
	do(t, s, "GET", "/api/v3/stages/authenticator/duo", s.AdminToken(), "")
	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	want := []Request{
		{Method: "POST", Path: "/stages/authenticator/duo/", Body: []byte(duoFull), Token: "admin-token", Status: 201},
		{Method: "GET", Path: "/stages/authenticator/duo/", RawQuery: "name=x&page=1", Status: 403},
		{Method: "GET", Path: "/stages/authenticator/duo", Token: "admin-token", Status: 404},
	}
	for i, w := range want {
		g := reqs[i]
		if g.Method != w.Method || g.Path != w.Path || g.RawQuery != w.RawQuery || string(g.Body) != string(w.Body) || g.Token != w.Token || g.Status != w.Status {
			t.Errorf("request %d: %+v, want %+v", i, g, w)
		}
	}
	s.ResetRequests()
	do(t, s, "GET", duoPath+pk+"/", s.AdminToken(), "")
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Path != "/stages/authenticator/duo/"+pk+"/" {
		t.Fatalf("after reset: %+v", reqs)
	}
}

func TestSchemaViolations(t *testing.T) {
	for _, v := range Versions {
		s := startFake(t, v)
		tok := s.AdminToken()
		pk := create(t, s, duoFull)
		do(t, s, "GET", duoPath+"?name=smoke-duo-full&page=1&page_size=5&ordering=-name", tok, "")
		do(t, s, "PATCH", duoPath+pk+"/", tok, `{"admin_integration_key":""}`)
		do(t, s, "GET", "/api/v3/flows/instances/default-authentication-flow/", tok, "")
		do(t, s, "GET", "/api/v3/admin/version/", tok, "")
		do(t, s, "DELETE", duoPath+pk+"/", tok, "")
		if vs := s.Violations(); len(vs) != 0 {
			t.Fatalf("%s: valid requests produced violations: %v", v, vs)
		}
		// Missing required properties and a non-integer page.
		do(t, s, "POST", duoPath, tok, `{"name":"x"}`)
		do(t, s, "GET", duoPath+"?page=abc", tok, "")
		vs := s.Violations()
		if len(vs) < 2 || !strings.HasPrefix(vs[0], "POST /stages/authenticator/duo/: ") || !strings.HasPrefix(vs[len(vs)-1], "GET /stages/authenticator/duo/: ") {
			t.Fatalf("%s: %q", v, vs)
		}
		reqs := s.Requests()
		if bad := reqs[len(reqs)-2]; len(bad.Violations) == 0 || bad.Status != 400 {
			t.Fatalf("%s: %+v", v, bad)
		}
	}
}

func TestSchemaVersionDifferences(t *testing.T) {
	// friendly_name "" violates only the 2024.10 schema (minLength 1), null only the 2025.10+ ones.
	body := `{"name":"n","client_id":"a","client_secret":"b","api_hostname":"c","friendly_name":%s}`
	for _, c := range []struct {
		v         Version
		value     string
		violation bool
	}{
		{V2024_10, `""`, true}, {V2024_10, `null`, false}, {V2024_10, `"x"`, false},
		{V2025_10, `""`, false}, {V2025_10, `null`, true},
		{V2025_12, `""`, false}, {V2025_12, `null`, true},
		{V2026_2, `""`, false}, {V2026_2, `null`, true},
	} {
		s := startFake(t, c.v)
		do(t, s, "POST", duoPath, s.AdminToken(), fmt.Sprintf(body, c.value))
		if got := len(s.Violations()) > 0; got != c.violation {
			t.Errorf("%s friendly_name %s: violations %q", c.v, c.value, s.Violations())
		}
	}
}

func TestSchemasLoad(t *testing.T) {
	for _, v := range Versions {
		sc := loadSchema(v)
		if sc.err != nil {
			t.Fatalf("%s: %v", v, sc.err)
		}
		for _, p := range []string{"/stages/authenticator/duo/", "/stages/authenticator/duo/{stage_uuid}/", "/authenticators/admin/totp/{id}/", "/authenticators/totp/", "/flows/instances/{slug}/", "/admin/version/"} {
			if sc.doc.Paths.Value(p) == nil {
				t.Errorf("%s: missing path %s", v, p)
			}
		}
		if loadSchema(v) != sc {
			t.Errorf("%s: schema parsed twice", v)
		}
	}
}

func TestLatency(t *testing.T) {
	s := New(Options{Latency: 60 * time.Millisecond})
	defer s.Close()
	start := time.Now()
	do(t, s, "GET", "/api/v3/admin/version/", s.AdminToken(), "")
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("answered after %s", d)
	}
}

func TestConcurrentClients(t *testing.T) {
	s := startFake(t, V2025_12)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pk := create(t, s, fmt.Sprintf(`{"name":"c%02d","client_id":"a","client_secret":"b","api_hostname":"c"}`, i))
			do(t, s, "PATCH", duoPath+pk+"/", s.AdminToken(), `{"friendly_name":"x"}`)
			do(t, s, "GET", duoPath, s.AdminToken(), "")
			_ = s.Requests()
			if i%2 == 0 {
				do(t, s, "DELETE", duoPath+pk+"/", s.AdminToken(), "")
			}
		}(i)
	}
	wg.Wait()
	if n := len(s.DuoStages()); n != 8 {
		t.Fatalf("%d stages", n)
	}
	if n := len(s.Requests()); n != 56 {
		t.Fatalf("%d requests", n)
	}
}
