package authentik_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// The contract test builds every request the client can send, through its
// real types and methods, captures it on the wire, and validates it against
// the real OpenAPI schemas of 2024.10, 2025.12 and 2026.x (the trimmed copies
// in internal/fakeauthentik/testdata). Each row says on which versions its
// request is valid; a request valid on only one side of a version change is
// one the client must send only to that side, and the row proves it does.

// schemaVersions are the schemas every request is checked against.
var schemaVersions = []fakeauthentik.Version{fakeauthentik.V2024_10, fakeauthentik.V2025_12, fakeauthentik.V2026_2}

// validOn is the expected validity on 2024.10, 2025.12 and 2026.x.
type validOn [3]bool

var (
	everywhere = validOn{true, true, true}
	nowhere    = validOn{}
	before2025 = validOn{true, false, false} // friendly_name null
	from2025   = validOn{false, true, true}  // friendly_name ""
)

const flowUUID = "d81ca42e-4c74-4035-a58d-d4134639469c"

type contractRow struct {
	name   string
	server string // version_current the server reports; "" = 2025.12.4
	call   func(context.Context, *authentik.Client) error
	// want is the request (after any /admin/version/ lookup) as
	// "METHOD path[?query] [body]"; "" skips the exact check.
	want  string
	valid validOn
	why   string // for rows not valid everywhere: why the client may build it
}

func duoCreate(b authentik.StageBody) func(context.Context, *authentik.Client) error {
	return func(ctx context.Context, c *authentik.Client) error {
		_, err := c.CreateStage(ctx, duoPath, b)
		return err
	}
}

func duoPatch(b authentik.StageBody) func(context.Context, *authentik.Client) error {
	return func(ctx context.Context, c *authentik.Client) error {
		_, err := c.PatchStage(ctx, duoPath, "426c87c6-e865-46ae-a637-e5257864ca2e", b)
		return err
	}
}

func devicePatch(kind authentik.DeviceKind, ep authentik.DeviceEndpoints, p authentik.DevicePatch) func(context.Context, *authentik.Client) error {
	return func(ctx context.Context, c *authentik.Client) error {
		_, err := c.PatchDevice(ctx, kind, ep, 7, p)
		return err
	}
}

const duoPK = "/stages/authenticator/duo/426c87c6-e865-46ae-a637-e5257864ca2e/"

var minimal = authentik.StageBody{"name": "duo", "client_id": "DI1", "client_secret": "s", "api_hostname": "api-1.duosecurity.com"}

func with(b authentik.StageBody, kv ...any) authentik.StageBody {
	out := maps.Clone(b)
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func contractRows() []contractRow {
	full := with(minimal, "configure_flow", flowUUID, "friendly_name", "Duo Push", "admin_integration_key", "DIADMIN", "admin_secret_key", "adm1n")
	blankKeys := with(minimal, "admin_integration_key", "", "admin_secret_key", "")
	blankFriendly := with(minimal, "friendly_name", "")
	rows := []contractRow{
		{name: "Duo create, no optional member", call: duoCreate(minimal), valid: everywhere,
			want: `POST /stages/authenticator/duo/ {"api_hostname":"api-1.duosecurity.com","client_id":"DI1","client_secret":"s","name":"duo"}`},
		{name: "Duo create, every optional member", call: duoCreate(full), valid: everywhere,
			want: `POST /stages/authenticator/duo/ {"admin_integration_key":"DIADMIN","admin_secret_key":"adm1n","api_hostname":"api-1.duosecurity.com","client_id":"DI1","client_secret":"s","configure_flow":"` + flowUUID + `","friendly_name":"Duo Push","name":"duo"}`},
		{name: "Duo create, admin keys blank", call: duoCreate(blankKeys), valid: everywhere},
		{name: "Duo create, friendly_name blank", call: duoCreate(blankFriendly), valid: from2025,
			why: `the type can carry ""; the provider never sends it (friendly_name is non-empty or absent)`},
		{name: "Duo get", call: func(ctx context.Context, c *authentik.Client) error {
			_, err := c.GetStage(ctx, duoPath, "426c87c6-e865-46ae-a637-e5257864ca2e")
			return err
		}, want: "GET " + duoPK, valid: everywhere},
		{name: "Duo list by name", call: func(ctx context.Context, c *authentik.Client) error {
			_, err := c.ListStages(ctx, duoPath, "duo")
			return err
		}, want: "GET /stages/authenticator/duo/?name=duo&page=1&page_size=100", valid: everywhere},
		{name: "Duo list, no filter", call: func(ctx context.Context, c *authentik.Client) error {
			_, err := c.ListStages(ctx, duoPath, "")
			return err
		}, want: "GET /stages/authenticator/duo/?page=1&page_size=100", valid: everywhere},
		{name: "Duo delete", call: func(ctx context.Context, c *authentik.Client) error {
			return c.DeleteStage(ctx, duoPath, "426c87c6-e865-46ae-a637-e5257864ca2e")
		}, want: "DELETE " + duoPK, valid: everywhere},
		{name: "Duo patch, empty", call: duoPatch(authentik.StageBody{}), want: "PATCH " + duoPK + " {}", valid: everywhere},
		{name: "Duo patch, configure_flow blank", call: duoPatch(authentik.StageBody{"configure_flow": ""}), valid: everywhere},
		{name: "Duo patch, admin keys blank (how they are cleared)", call: duoPatch(authentik.StageBody{
			"admin_integration_key": "", "admin_secret_key": ""}), valid: everywhere},
		{name: "Duo patch, friendly_name blank", call: duoPatch(authentik.StageBody{"friendly_name": ""}),
			want: "PATCH " + duoPK + ` {"friendly_name":""}`, valid: from2025,
			why: `"" is sent as is; the provider clears with ClearFriendlyName, which the client translates per version (rows below)`},
	}
	// Each member set, and each member cleared.
	members := []struct {
		name     string
		nullable bool
	}{
		{"name", false}, {"configure_flow", true}, {"client_id", false}, {"client_secret", false},
		{"api_hostname", false}, {"admin_integration_key", false}, {"admin_secret_key", false}, {"friendly_name", true},
	}
	for _, m := range members {
		value := "v"
		if m.name == "configure_flow" {
			value = flowUUID
		}
		null := authentik.StageBody{m.name: nil}
		rows = append(rows, contractRow{name: "Duo patch, " + m.name + " set", call: duoPatch(authentik.StageBody{m.name: value}),
			want: fmt.Sprintf(`PATCH %s {"%s":"%s"}`, duoPK, m.name, value), valid: everywhere})
		switch {
		case m.name == "friendly_name":
			// ClearFriendlyName: the client sends null before 2025.10 and ""
			// from 2025.10 on, asking /admin/version/ once to know which.
			for _, c := range []struct {
				server, sent string
				valid        validOn
			}{
				{"2024.10.5", "null", before2025}, {"2025.8.3", "null", before2025},
				{"2025.10.0", `""`, from2025}, {"2025.12.4", `""`, from2025}, {"2026.2.2", `""`, from2025},
			} {
				rows = append(rows, contractRow{name: "Duo patch, friendly_name cleared on " + c.server, server: c.server,
					call: duoPatch(authentik.StageBody{"friendly_name": authentik.ClearFriendlyName}),
					want: fmt.Sprintf(`PATCH %s {"friendly_name":%s}`, duoPK, c.sent), valid: c.valid,
					why: "the clearing value is chosen by the server's version"})
			}
		case m.nullable:
			rows = append(rows, contractRow{name: "Duo patch, " + m.name + " cleared", call: duoPatch(null),
				want: fmt.Sprintf(`PATCH %s {"%s":null}`, duoPK, m.name), valid: everywhere})
		default:
			rows = append(rows, contractRow{name: "Duo patch, " + m.name + " null", call: duoPatch(null),
				want: fmt.Sprintf(`PATCH %s {"%s":null}`, duoPK, m.name), valid: nowhere,
				why: "the body may hold null for any member; the provider never sends null here (admin keys are cleared with \"\")"})
		}
	}
	for _, kind := range []authentik.DeviceKind{authentik.DeviceTOTP, authentik.DeviceStatic, authentik.DeviceWebAuthn,
		authentik.DeviceDuo, authentik.DeviceSMS, authentik.DeviceEmail} {
		rows = append(rows, deviceRows(kind)...)
	}
	rows = append(rows,
		contractRow{name: "Duo device import, then the listing that finds it", valid: everywhere,
			want: "GET /authenticators/admin/duo/?name=Imported+Duo+Authenticator&ordering=-pk&page_size=100",
			call: func(ctx context.Context, c *authentik.Client) error {
				_, _, err := c.ImportDuoDevice(ctx, "426c87c6-e865-46ae-a637-e5257864ca2e", authentik.DuoDeviceImport{DuoUserID: "DU1", Username: "alice"})
				return err
			}},
		contractRow{name: "devices of a user", want: "GET /authenticators/admin/all/?user=5", valid: everywhere,
			call: func(ctx context.Context, c *authentik.Client) error {
				user := 5
				_, err := c.ListUserDevices(ctx, &user)
				return err
			}},
		contractRow{name: "devices of the token's user", want: "GET /authenticators/all/", valid: everywhere,
			call: func(ctx context.Context, c *authentik.Client) error {
				_, err := c.ListUserDevices(ctx, nil)
				return err
			}},
	)
	return append(rows,
		contractRow{name: "flow get", want: "GET /flows/instances/default-authenticator-totp-setup/", valid: everywhere,
			call: func(ctx context.Context, c *authentik.Client) error {
				_, err := c.GetFlow(ctx, "default-authenticator-totp-setup")
				return err
			}},
		contractRow{name: "flow list by slug and designation", valid: everywhere,
			want: "GET /flows/instances/?designation=stage_configuration&page=1&page_size=100&slug=default-authenticator-totp-setup",
			call: func(ctx context.Context, c *authentik.Client) error {
				_, err := c.ListFlows(ctx, authentik.FlowFilter{Slug: "default-authenticator-totp-setup", Designation: "stage_configuration"})
				return err
			}},
		contractRow{name: "server version", want: "GET /admin/version/", valid: everywhere,
			call: func(ctx context.Context, c *authentik.Client) error { _, err := c.ServerVersion(ctx); return err }},
	)
}

// deviceRows are the requests of one device kind, on both endpoints.
func deviceRows(kind authentik.DeviceKind) []contractRow {
	valid, why := everywhere, ""
	if kind == authentik.DeviceEmail {
		valid, why = from2025, "email devices exist from 2025.2; an older server answers an HTML 404 and the provider names the version it needs"
	}
	var rows []contractRow
	for _, ep := range []authentik.DeviceEndpoints{authentik.AdminEndpoints, authentik.UserEndpoints} {
		name := func(what string) string { return fmt.Sprintf("%s device %s (%s)", kind, what, ep) }
		p, d := kind.Path(ep), kind.Path(ep)+"7/"
		if ep == authentik.AdminEndpoints {
			rows = append(rows, contractRow{name: name("create"), want: `POST ` + p + ` {"name":"phone"}`, valid: valid, why: why,
				call: func(ctx context.Context, c *authentik.Client) error {
					_, err := c.CreateDevice(ctx, kind, authentik.DeviceRequest{Name: "phone"})
					return err
				}})
		}
		rows = append(rows,
			contractRow{name: name("get"), want: "GET " + d, valid: valid, why: why,
				call: func(ctx context.Context, c *authentik.Client) error {
					_, err := c.GetDevice(ctx, kind, ep, 7)
					return err
				}},
			contractRow{name: name("patch name"), want: "PATCH " + d + ` {"name":"n"}`, valid: valid, why: why,
				call: devicePatch(kind, ep, authentik.DevicePatch{Name: authentik.Set("n")})},
			contractRow{name: name("patch, empty"), want: "PATCH " + d + " {}", valid: valid, why: why,
				call: devicePatch(kind, ep, authentik.DevicePatch{})},
			contractRow{name: name("patch name null"), want: "PATCH " + d + ` {"name":null}`, valid: nowhere,
				why: "Field allows Null; the provider always sends a name", call: devicePatch(kind, ep, authentik.DevicePatch{Name: authentik.Null[string]()})},
			contractRow{name: name("delete"), want: "DELETE " + d, valid: valid, why: why,
				call: func(ctx context.Context, c *authentik.Client) error { return c.DeleteDevice(ctx, kind, ep, 7) }},
			contractRow{name: name("list by name"), want: "GET " + p + "?name=phone&page=1&page_size=100", valid: valid, why: why,
				call: func(ctx context.Context, c *authentik.Client) error {
					_, err := c.ListDevices(ctx, kind, ep, authentik.DeviceFilter{Name: "phone"})
					return err
				}})
	}
	return rows
}

func TestContract(t *testing.T) {
	rows := contractRows()
	t.Logf("contract table: %d rows × %d schemas", len(rows), len(schemaVersions))
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			srv := newCaptureServer(t, row.server)
			c, err := authentik.New(authentik.Config{URL: srv.URL, Token: "t"})
			if err != nil {
				t.Fatal(err)
			}
			if err := row.call(context.Background(), c); err != nil {
				t.Fatalf("the call failed: %v", err)
			}
			reqs := srv.requests()
			if len(reqs) == 0 {
				t.Fatal("no request was sent")
			}
			last := reqs[len(reqs)-1]
			if row.want != "" && last.String() != row.want {
				t.Errorf("sent %s\nwant %s", last, row.want)
			}
			for i, r := range reqs {
				want := row.valid
				if i < len(reqs)-1 {
					want = everywhere // the /admin/version/ lookup before it
				}
				for j, v := range schemaVersions {
					vs := fakeauthentik.ValidateRequest(v, r.httpRequest(t), r.body)
					if (len(vs) == 0) != want[j] {
						t.Errorf("%s on the %s schema: valid=%v, want %v (%s); violations: %q", r, v, len(vs) == 0, want[j], row.why, vs)
					}
				}
			}
		})
	}
}

// captured is one request as it came over the wire.
type captured struct {
	method, path, query, contentType string
	body                             []byte
}

func (r captured) String() string {
	s := r.method + " " + strings.TrimPrefix(r.path, "/api/v3")
	if r.query != "" {
		s += "?" + r.query
	}
	if len(r.body) > 0 {
		s += " " + string(r.body)
	}
	return s
}

func (r captured) httpRequest(t *testing.T) *http.Request {
	u := "http://authentik.test" + r.path
	if r.query != "" {
		u += "?" + r.query
	}
	req, err := http.NewRequest(r.method, u, strings.NewReader(string(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	return req
}

type captureServer struct {
	*httptest.Server
	mu  sync.Mutex
	log []captured
}

func (s *captureServer) requests() []captured {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]captured(nil), s.log...)
}

// newCaptureServer records every request and answers just enough for the
// client to succeed: no friendly_name in any answer, so the client has to
// learn the server's semantics from /admin/version/.
func newCaptureServer(t *testing.T, version string) *captureServer {
	if version == "" {
		version = "2025.12.4"
	}
	s := &captureServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.log = append(s.log, captured{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), body})
		s.mu.Unlock()
		pk := `"426c87c6-e865-46ae-a637-e5257864ca2e"`
		if strings.HasPrefix(r.URL.Path, "/api/v3/authenticators/") {
			pk = "7"
		}
		answer := `{"pk":` + pk + `,"name":"duo","client_id":"DI1","api_hostname":"api-1.duosecurity.com"}`
		switch {
		case r.URL.Path == "/api/v3/admin/version/":
			answer = `{"version_current":"` + version + `"}`
		case strings.HasSuffix(r.URL.Path, "/all/"): // not paginated
			answer = `[]`
		case r.Method == http.MethodGet && r.URL.Query().Has("page_size"):
			answer = `{"pagination":{"next":0,"count":1},"results":[` + answer + `]}`
		}
		status := map[string]int{http.MethodPost: http.StatusCreated, http.MethodDelete: http.StatusNoContent}[r.Method]
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status != http.StatusNoContent {
			_, _ = io.WriteString(w, answer)
		}
	}))
	t.Cleanup(s.Close)
	return s
}
