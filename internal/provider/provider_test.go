package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/authentik-iac/terraform-provider-authentik/internal/acctest"
	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// testEnv is one acceptance test's authentik: its own in-process fake, or,
// when AUTHENTIK_URL and AUTHENTIK_TOKEN are set, the real server they name.
// Fixtures and out-of-band edits go through the API on both (fixtures_test.go);
// against a real server only the request-log checks are left out.
type testEnv struct {
	t         *testing.T
	fake      *fakeauthentik.Server // nil against a real authentik
	url       string
	token     string
	version   fakeauthentik.Version // the fake's, or the real server's release ("2025.12.4")
	client    *authentik.Client
	fx        *acctest.Client // fixtures, as the admin
	factories map[string]func() (tfprotov6.ProviderServer, error)

	mu   sync.Mutex
	mark int // request-log index where the next expectCalls starts
}

// fakeVersion is the authentik version the fake imitates in this test run.
func fakeVersion() fakeauthentik.Version {
	if v := os.Getenv("AUTHENTIK_FAKE_VERSION"); v != "" {
		return fakeauthentik.Version(v)
	}
	return fakeauthentik.V2025_12
}

func newTestEnv(t *testing.T) *testEnv {
	return newTestEnvVersion(t, fakeVersion())
}

// newTestEnvVersion pins the fake to one authentik version; against a real
// server the version is whatever that server runs.
func newTestEnvVersion(t *testing.T, version fakeauthentik.Version) *testEnv {
	t.Helper()
	env := &testEnv{t: t, url: os.Getenv(envURL), token: os.Getenv(envToken), version: version}
	if env.url != "" && env.token != "" {
		env.version = testVersions(t)[0]
	} else {
		env.fake = fakeauthentik.New(fakeauthentik.Options{Version: version})
		env.url, env.token = env.fake.URL(), env.fake.AdminToken()
		t.Cleanup(func() {
			if v := env.fake.Violations(); len(v) > 0 {
				t.Errorf("requests that break authentik's OpenAPI schema:\n%s", strings.Join(v, "\n"))
			}
			env.fake.Close()
		})
	}
	client, err := authentik.New(authentik.Config{URL: env.url, Token: env.token})
	if err != nil {
		t.Fatal(err)
	}
	env.client = client
	env.fx = acctest.New(env.url, env.token)
	env.factories = newTestEnvFactories()
	return env
}

func newTestEnvFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	server := NewProtocol6Server("test")
	return map[string]func() (tfprotov6.ProviderServer, error){
		"authentik": func() (tfprotov6.ProviderServer, error) { return server(), nil },
	}
}

func (e *testEnv) real() bool { return e.fake == nil }

// config prepends a provider block that points at this env's authentik.
func (e *testEnv) config(body string) string {
	if e.real() {
		return "provider \"authentik\" {}\n" + body
	}
	return e.configAs(e.token, body)
}

// configAs is config with another user's token.
func (e *testEnv) configAs(token, body string) string {
	return fmt.Sprintf("provider \"authentik\" {\n  url   = %q\n  token = %q\n}\n%s", e.url, token, body)
}

func (e *testEnv) uniqueName(prefix string) string {
	return fmt.Sprintf("tf-acc-%s-%06d", prefix, rand.IntN(1_000_000))
}

// markCalls starts a new window for expectCalls.
func (e *testEnv) markCalls() {
	if e.real() {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mark = len(e.fake.Requests())
}

// before returns a PreConfig that runs fn (an out-of-band edit, made through
// the API as an admin would in the UI), then opens a new request window, so
// that the window holds only what Terraform sends.
func (e *testEnv) before(fn func()) func() {
	return func() {
		if fn != nil {
			fn()
		}
		e.markCalls()
	}
}

var idPattern = regexp.MustCompile(`/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/|/[0-9]+/`)

// writes returns the writes (everything but GET) since the mark, as
// "METHOD path body" with object ids replaced by {id}.
func (e *testEnv) writes() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	reqs := e.fake.Requests()
	var out []string
	for _, r := range reqs[e.mark:] {
		if r.Method == http.MethodGet {
			continue
		}
		line := r.Method + " " + idPattern.ReplaceAllString(r.Path, "/{id}/")
		if len(r.Body) > 0 {
			line += " " + string(r.Body)
		}
		out = append(out, line)
	}
	e.mark = len(reqs)
	return out
}

// expectCalls checks that exactly these writes were made since the last
// mark, bodies compared as JSON. Against a real authentik it checks nothing.
func (e *testEnv) expectCalls(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.real() {
			return nil
		}
		got := e.writes()
		if len(got) != len(want) {
			return fmt.Errorf("want %d writes %q, got %d: %q", len(want), want, len(got), got)
		}
		for i := range want {
			if !sameCall(got[i], want[i]) {
				return fmt.Errorf("write %d:\n got  %s\n want %s", i, got[i], want[i])
			}
		}
		return nil
	}
}

// expectNoCalls fails the test if authentik received any request at all.
func (e *testEnv) expectNoCalls(t *testing.T) {
	t.Helper()
	if e.real() {
		return
	}
	if reqs := e.fake.Requests(); len(reqs) > 0 {
		t.Errorf("want no request to authentik, got %d, first %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

func sameCall(got, want string) bool {
	gm, gb, _ := cutBody(got)
	wm, wb, _ := cutBody(want)
	if gm != wm {
		return false
	}
	if gb == "" || wb == "" {
		return gb == wb
	}
	var g, w any
	if json.Unmarshal([]byte(gb), &g) != nil || json.Unmarshal([]byte(wb), &w) != nil {
		return gb == wb
	}
	return reflect.DeepEqual(g, w)
}

// cutBody splits "METHOD path body" into "METHOD path" and body.
func cutBody(s string) (head, body string, ok bool) {
	method, rest, _ := strings.Cut(s, " ")
	p, body, ok := strings.Cut(rest, " ")
	return method + " " + p, body, ok
}

// hcl renders a resource block from attribute name to HCL expression, in
// a stable order. String values must be quoted by the caller (use q).
func hcl(kind, name string, attrs map[string]string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "resource %q %q {\n", kind, name)
	for _, k := range sortedKeys(attrs) {
		fmt.Fprintf(&b, "  %s = %s\n", k, attrs[k])
	}
	b.WriteString("}\n")
	return b.String()
}

// q quotes a string as an HCL literal.
func q(s string) string { return fmt.Sprintf("%q", s) }
