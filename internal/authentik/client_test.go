package authentik_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func newClient(t *testing.T, version fakeauthentik.Version) (*authentik.Client, *fakeauthentik.Server) {
	t.Helper()
	fake := fakeauthentik.New(fakeauthentik.Options{Version: version})
	t.Cleanup(func() {
		if v := fake.Violations(); len(v) > 0 {
			t.Errorf("schema violations: %q", v)
		}
		fake.Close()
	})
	c, err := authentik.New(authentik.Config{URL: fake.URL(), Token: fake.AdminToken()})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

func TestBaseURL(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{in: "https://authentik.example.com", want: "https://authentik.example.com/api/v3"},
		{in: "https://authentik.example.com/", want: "https://authentik.example.com/api/v3"},
		{in: "https://example.com/auth", want: "https://example.com/auth/api/v3"},
		{in: "https://example.com/auth/api/v3/", want: "https://example.com/auth/api/v3"},
		{in: "http://127.0.0.1:9000/api/v3", want: "http://127.0.0.1:9000/api/v3"},
		{in: "authentik.example.com", err: "must start with https:// or http://"},
		{in: "ftp://authentik.example.com", err: "must start with https:// or http://"},
		{in: "https://", err: "has no host"},
		{in: "https://a.example.com/?x=1", err: "must not contain a query"},
		{in: "https://user:pw@a.example.com", err: "must not contain a query, fragment or user info"},
	}
	for _, tc := range cases {
		got, err := authentik.BaseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("BaseURL(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNew_rejectsReservedHeaders(t *testing.T) {
	_, err := authentik.New(authentik.Config{URL: "https://a.example.com", Token: "t", Headers: map[string]string{"authorization": "x"}})
	if err == nil || !strings.Contains(err.Error(), `header "authorization" is set by the client`) {
		t.Fatalf("got %v", err)
	}
	if _, err := authentik.New(authentik.Config{URL: "https://a.example.com"}); err == nil {
		t.Fatal("want an error without a token")
	}
}

// The request carries the bearer token, JSON headers and the extra headers,
// and lands on /api/v3/ with the trailing slash.
func TestClient_requestShape(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"pk":"p","name":"n","unknown_future_field":1}`)
	}))
	defer srv.Close()
	c, err := authentik.New(authentik.Config{URL: srv.URL + "/sub", Token: "tok", UserAgent: "ua/1",
		Headers: map[string]string{"X-Proxy": "yes"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.GetStage(context.Background(), duoPath, "p")
	if err != nil || st.Name != "n" || string(st.Members["unknown_future_field"]) != "1" {
		t.Fatalf("GetStage = %+v, %v", st, err)
	}
	for k, want := range map[string]string{"Authorization": "Bearer tok", "Accept": "application/json", "User-Agent": "ua/1", "X-Proxy": "yes"} {
		if v := got.Header.Get(k); v != want {
			t.Errorf("header %s = %q, want %q", k, v, want)
		}
	}
	if got.URL.Path != "/sub/api/v3/stages/authenticator/duo/p/" {
		t.Errorf("path = %q", got.URL.Path)
	}
}

func TestAPIError_decodedByContentType(t *testing.T) {
	cases := map[string]struct {
		status      int
		contentType string
		body        string
		check       func(*testing.T, *authentik.APIError)
	}{
		"DRF 400": {400, "application/json", `{"name":["stage with this name already exists."],"non_field_errors":["x"],"flow_set":[{"slug":["Flow with this slug already exists."]}]}`,
			func(t *testing.T, e *authentik.APIError) {
				if e.FieldErrors["name"][0] != "stage with this name already exists." || e.NonFieldErrors[0] != "x" ||
					e.FieldErrors["flow_set"][0] != "slug: Flow with this slug already exists." {
					t.Errorf("%+v", e)
				}
			}},
		"403 detail": {403, "application/json", `{"detail":"Token invalid/expired"}`, func(t *testing.T, e *authentik.APIError) {
			if e.Detail != "Token invalid/expired" || !authentik.IsForbidden(e) || e.IsServerError() {
				t.Errorf("%+v", e)
			}
		}},
		"empty HTML 405 is a server error": {405, "text/html; charset=utf-8", "", func(t *testing.T, e *authentik.APIError) {
			if !e.IsServerError() || !e.HTML || strings.Contains(e.Error(), "<") {
				t.Errorf("%+v %s", e, e)
			}
		}},
		"JSON 405 is not": {405, "application/json", `{"detail":"Method \"POST\" not allowed."}`, func(t *testing.T, e *authentik.APIError) {
			if e.IsServerError() {
				t.Errorf("%+v", e)
			}
		}},
		"HTML 500 page never kept": {500, "text/html; charset=utf-8", "<html><h1>Server Error</h1></html>", func(t *testing.T, e *authentik.APIError) {
			if !e.IsServerError() || strings.Contains(e.Error(), "Server Error") {
				t.Errorf("%s", e)
			}
		}},
		"HTML 404 is not 'not found'": {404, "text/html; charset=utf-8", "<html>Not Found</html>", func(t *testing.T, e *authentik.APIError) {
			if authentik.IsNotFound(e) {
				t.Errorf("an HTML 404 (wrong route) must not count as a deleted object")
			}
		}},
		"JSON 404": {404, "application/json", `{"detail":"Not found."}`, func(t *testing.T, e *authentik.APIError) {
			if !authentik.IsNotFound(e) || e.Detail != "Not found." {
				t.Errorf("%+v", e)
			}
		}},
		"garbage JSON": {400, "application/json", `{"name":`, func(t *testing.T, e *authentik.APIError) {
			if e.Status != 400 || len(e.FieldErrors) != 0 {
				t.Errorf("%+v", e)
			}
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			c, _ := authentik.New(authentik.Config{URL: srv.URL, Token: "t"})
			err := c.DeleteStage(context.Background(), duoPath, "x")
			var e *authentik.APIError
			if !errors.As(err, &e) {
				t.Fatalf("want *APIError, got %v", err)
			}
			tc.check(t, e)
		})
	}
}

// A 2xx that is not JSON (a proxy's login page, say) is an error, not an
// empty object.
func TestClient_nonJSONSuccess(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>login</html>")
	}))
	defer srv.Close()
	c, _ := authentik.New(authentik.Config{URL: srv.URL, Token: "t"})
	_, err := c.GetStage(context.Background(), duoPath, "x")
	if err == nil || !strings.Contains(err.Error(), `content type "text/html", expected JSON`) {
		t.Fatalf("got %v", err)
	}
}

func TestStage_crudAgainstFake(t *testing.T) {
	c, fake := newClient(t, fakeauthentik.V2025_12)
	ctx := context.Background()
	st, err := c.CreateStage(ctx, duoPath, authentik.StageBody{"name": "duo", "client_id": "id", "client_secret": "secret", "api_hostname": "api.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if st.PK == "" || st.Name != "duo" || st.FriendlyName.Value != "" || st.FlowSet == nil {
		t.Errorf("created %+v", st)
	}
	if stored, _ := fake.DuoStage(st.PK); stored.ClientSecret != "secret" {
		t.Errorf("the fake stored client secret %q", stored.ClientSecret)
	}
	patched, err := c.PatchStage(ctx, duoPath, st.PK, authentik.StageBody{"api_hostname": "api2.example.com", "configure_flow": nil})
	if err != nil || string(patched.Members["api_hostname"]) != `"api2.example.com"` {
		t.Fatalf("patch: %+v %v", patched, err)
	}
	if err := c.DeleteStage(ctx, duoPath, st.PK); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetStage(ctx, duoPath, st.PK); !authentik.IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
	var bodies []string
	for _, r := range fake.Requests() {
		bodies = append(bodies, r.Method+" "+string(r.Body))
	}
	want := []string{
		`POST {"api_hostname":"api.example.com","client_id":"id","client_secret":"secret","name":"duo"}`,
		`PATCH {"api_hostname":"api2.example.com","configure_flow":null}`,
		`DELETE `, `GET `,
	}
	if strings.Join(bodies, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(bodies, "\n"), strings.Join(want, "\n"))
	}
}

// More stages than one page holds: the list follows pagination, with one
// GET per page of 100.
func TestListStages_followsPagination(t *testing.T) {
	for _, v := range []fakeauthentik.Version{fakeauthentik.V2024_10, fakeauthentik.V2025_12} {
		t.Run(string(v), func(t *testing.T) {
			c, fake := newClient(t, v)
			for i := range 130 {
				fake.PutDuoStage(fakeauthentik.DuoStage{Name: fmt.Sprintf("s%03d", i), ClientID: "c", ClientSecret: "s", APIHostname: "h"})
			}
			stages, err := c.ListStages(context.Background(), duoPath, "")
			if err != nil || len(stages) != 130 {
				t.Fatalf("got %d stages, %v", len(stages), err)
			}
			if n := len(fake.Requests()); n != 2 {
				t.Errorf("want 2 GETs, got %d", n)
			}
		})
	}
}

// friendly_name is cleared with the empty value each version accepts; what
// an answer already showed is used without asking the version.
func TestPatchStage_clearsFriendlyNamePerVersion(t *testing.T) {
	cases := []struct {
		version   fakeauthentik.Version
		hint      bool // an earlier answer showed an unset friendly_name
		wantBody  string
		wantProbe bool
	}{
		{fakeauthentik.V2024_10, false, `{"friendly_name":null}`, true},
		{fakeauthentik.V2024_10, true, `{"friendly_name":null}`, false},
		{fakeauthentik.V2025_12, false, `{"friendly_name":""}`, true},
		{fakeauthentik.V2026_2, true, `{"friendly_name":""}`, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s hint=%v", tc.version, tc.hint), func(t *testing.T) {
			c, fake := newClient(t, tc.version)
			name := "Duo"
			st := fake.PutDuoStage(fakeauthentik.DuoStage{Name: "duo", ClientID: "c", ClientSecret: "s", APIHostname: "h", FriendlyName: &name})
			if tc.hint {
				plain := fake.PutDuoStage(fakeauthentik.DuoStage{Name: "plain", ClientID: "c", ClientSecret: "s", APIHostname: "h"})
				if _, err := c.GetStage(context.Background(), duoPath, plain.PK); err != nil {
					t.Fatal(err)
				}
			}
			fake.ResetRequests()
			got, err := c.PatchStage(context.Background(), duoPath, st.PK, authentik.StageBody{"friendly_name": authentik.ClearFriendlyName})
			if err != nil || got.FriendlyName.Value != "" {
				t.Fatalf("%+v %v", got, err)
			}
			var probes int
			var patch string
			for _, r := range fake.Requests() {
				switch r.Method {
				case http.MethodGet:
					probes++
				case http.MethodPatch:
					patch += string(r.Body)
				}
			}
			if patch != tc.wantBody || (probes == 1) != tc.wantProbe || probes > 1 {
				t.Errorf("PATCH %s with %d version probes; want %s, probe %v", patch, probes, tc.wantBody, tc.wantProbe)
			}
		})
	}
}

// When the version cannot be read (a token without that permission) the
// client guesses the current semantics and, if authentik disagrees, retries
// once with the other empty value.
func TestPatchStage_friendlyNameFallsBackOnRejection(t *testing.T) {
	c, fake := newClient(t, fakeauthentik.V2024_10)
	name := "Duo"
	st := fake.PutDuoStage(fakeauthentik.DuoStage{Name: "duo", ClientID: "c", ClientSecret: "s", APIHostname: "h", FriendlyName: &name})
	fake.InjectFault(http.MethodGet, "/admin/version/", 1, fakeauthentik.Fault{Status: 403, ContentType: "application/json",
		Body: `{"detail":"You do not have permission to perform this action."}`})
	fake.ResetRequests()
	if _, err := c.PatchStage(context.Background(), duoPath, st.PK, authentik.StageBody{"friendly_name": authentik.ClearFriendlyName}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range fake.Requests() {
		got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Body, r.Status))
	}
	want := []string{"GET  403", `PATCH {"friendly_name":""} 400`, `PATCH {"friendly_name":null} 200`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if stored, _ := fake.DuoStage(st.PK); stored.FriendlyName != nil {
		t.Errorf("friendly name still %q", *stored.FriendlyName)
	}
	// The 2024.10 schema forbids "", so the fake recorded that one guess.
	if v := fake.Violations(); len(v) != 1 || !strings.Contains(v[0], "friendly_name") {
		t.Errorf("violations %q", v)
	}
	fake.ResetRequests() // the violation was expected
}

func TestField_marshal(t *testing.T) {
	type body struct {
		A authentik.Field[string] `json:"a,omitzero"`
		B authentik.Field[string] `json:"b,omitzero"`
		C authentik.Field[string] `json:"c,omitzero"`
	}
	s := "x"
	b, _ := json.Marshal(body{B: authentik.Null[string](), C: authentik.SetOrNull(&s)})
	if string(b) != `{"b":null,"c":"x"}` {
		t.Errorf("got %s", b)
	}
}
