package fakeauthentik

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

type resp struct {
	status int
	ct     string
	header http.Header
	body   string
}

// do sends one request; token "" sends no Authorization header, a token
// containing a space is sent verbatim as the header.
func do(t *testing.T, s *Server, method, path, token, body string) resp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case strings.Contains(token, " ") || token == "Bearer":
		req.Header.Set("Authorization", token)
	case token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{status: res.StatusCode, ct: res.Header.Get("Content-Type"), header: res.Header, body: string(b)}
}

func startFake(t *testing.T, v Version) *Server {
	t.Helper()
	s := New(Options{Version: v, AdminToken: "admin-token"})
	t.Cleanup(s.Close)
	return s
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// norm replaces every UUID with <uuid>.
func norm(s string) string { return uuidRE.ReplaceAllString(s, "<uuid>") }

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, body)
	}
	return m
}

func expect(t *testing.T, r resp, status int, body string) {
	t.Helper()
	if r.status != status || norm(r.body) != body {
		t.Fatalf("got %d %s\nwant %d %s", r.status, norm(r.body), status, body)
	}
	if status != http.StatusNoContent && strings.HasPrefix(body, "{") && r.ct != "application/json" {
		t.Fatalf("content type %q, want application/json", r.ct)
	}
}

const duoPath = "/api/v3/stages/authenticator/duo/"

const duoFull = `{"name":"smoke-duo-full","friendly_name":"Duo Push","client_id":"DIXXXXXXXXXXXXXXXXXX","client_secret":"secret-1","api_hostname":"api-12345678.duosecurity.com","admin_integration_key":"DIADMINXXXXXXXXXXXXX","admin_secret_key":"admin-secret-1"}`

const duoKeys = `"component":"ak-stage-authenticator-duo-form","verbose_name":"Duo Authenticator Setup Stage","verbose_name_plural":"Duo Authenticator Setup Stages","meta_model_name":"authentik_stages_authenticator_duo.authenticatorduostage"`

// create posts body and returns the new pk.
func create(t *testing.T, s *Server, body string) string {
	t.Helper()
	r := do(t, s, "POST", duoPath, s.AdminToken(), body)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	return decode(t, r.body)["pk"].(string)
}
