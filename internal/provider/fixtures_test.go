package provider

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/acctest"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// Fixtures are made through authentik's API (internal/acctest), the same
// way on the fake and on a real authentik: users, passwords and API tokens,
// flows and bindings, out-of-band edits and deletes, and devices enrolled
// through the flow executor as the user would. Everything a test makes is
// deleted when it ends.

// skipReason is why a test cannot run against a real authentik. The set is
// small and fixed so that `make testacc` can group the skips
// (internal/testsummary reads "[skip: <reason>]").
type skipReason string

const (
	// skipFaultInjection: the test makes the fake answer what a healthy
	// authentik never does (errors, lost answers, hypothetical answers).
	skipFaultInjection skipReason = "fault injection"
	// skipLatency: the test makes the fake slow.
	skipLatency skipReason = "injected latency"
	// skipRequestLog: the test's point is the exact requests sent, which
	// only the fake logs.
	skipRequestLog skipReason = "request log"
	// skipVersion: the test needs an authentik version the server does not
	// run (the fake can be pinned to any).
	skipVersion skipReason = "another authentik version"
	// skipEnterprise: the object needs an enterprise licence, which the
	// test servers lack (the fake can be given one).
	skipEnterprise skipReason = "enterprise licence"
)

// skipReal skips the test against a real authentik; detail says what the
// test needs the fake for.
func (e *testEnv) skipReal(reason skipReason, detail string) {
	e.t.Helper()
	if e.real() {
		skipOnReal(e.t, reason, detail)
	}
}

// skipOnReal is skipReal before any testEnv exists (a test whose subtests
// all need the fake skips once).
func skipOnReal(t *testing.T, reason skipReason, detail string) {
	t.Helper()
	if os.Getenv(envURL) != "" && os.Getenv(envToken) != "" {
		t.Skipf("[skip: %s] needs the fake authentik: %s", reason, detail)
	}
}

var realVersion = sync.OnceValues(func() (string, error) {
	return acctest.New(os.Getenv(envURL), os.Getenv(envToken)).Version(context.Background())
})

// testVersions are the authentik versions a version-sensitive test runs
// for: those given on the fake; on a real authentik only its own release
// ("2025.12"), whatever it is.
func testVersions(t *testing.T, fake ...fakeauthentik.Version) []fakeauthentik.Version {
	t.Helper()
	if os.Getenv(envURL) == "" || os.Getenv(envToken) == "" {
		return fake
	}
	release, err := realVersion()
	if err != nil {
		t.Fatalf("ask the real authentik for its version: %v", err)
	}
	return []fakeauthentik.Version{fakeauthentik.Version(release)}
}

// atLeast reports whether this authentik is release yearMonth ("2025.10")
// or later.
func (e *testEnv) atLeast(yearMonth string) bool {
	have, want := yearMonthOf(string(e.version)), yearMonthOf(yearMonth)
	return have[0] > want[0] || have[0] == want[0] && have[1] >= want[1]
}

func yearMonthOf(release string) [2]int {
	var ym [2]int
	parts := strings.SplitN(release, ".", 3)
	for i := 0; i < 2 && i < len(parts); i++ {
		ym[i], _ = strconv.Atoi(parts[i])
	}
	return ym
}

func (e *testEnv) ctx() context.Context { return e.t.Context() }

func (e *testEnv) cleanup(what string, fn func(context.Context) error) {
	e.t.Cleanup(func() {
		if err := fn(context.Background()); err != nil {
			e.t.Errorf("clean up %s: %v", what, err)
		}
	})
}

func (e *testEnv) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// testUser is a user with no permissions and a password.
type testUser struct {
	acctest.User
	password string
}

// newUser adds a user through the API and deletes it (with its tokens and
// devices) when the test ends.
func (e *testEnv) newUser(prefix string) testUser {
	e.t.Helper()
	u, err := e.fx.CreateUser(e.ctx(), e.uniqueName(prefix))
	e.must(err, "create a user")
	e.cleanup("user "+u.Username, func(ctx context.Context) error { return e.fx.DeleteUser(ctx, u.PK) })
	pw := fmt.Sprintf("Tf-acc-%016x", rand.Uint64())
	e.must(e.fx.SetPassword(e.ctx(), u.PK, pw), "set the user's password")
	return testUser{User: u, password: pw}
}

// apiToken makes an API token for u and returns its key.
func (e *testEnv) apiToken(u testUser) string {
	e.t.Helper()
	key, err := e.fx.CreateAPIToken(e.ctx(), "tf-acc-token-"+u.Username, u.PK)
	e.must(err, "create an API token")
	return key
}

// login logs u in through default-authentication-flow.
func (e *testEnv) login(u testUser) *acctest.Session {
	e.t.Helper()
	s := e.fx.NewSession("session: " + u.Username)
	e.must(s.Login(e.ctx(), u.Username, u.password), "log in as "+u.Username)
	return s
}

// enrollTOTP enrolls a TOTP device for u through
// default-authenticator-totp-setup, as u would in the user interface, and
// returns its pk.
func (e *testEnv) enrollTOTP(s *acctest.Session, u testUser) int {
	e.t.Helper()
	return e.enrolled(u, acctest.TOTPDeviceType, "a TOTP device", func() error { _, err := s.EnrollTOTP(e.ctx()); return err })
}

// staticEnrolledName is the name authentik's static setup stage gives a
// device.
const staticEnrolledName = "Static Token"

// enrollStatic enrolls static tokens for u through
// default-authenticator-static-setup and returns the new device's pk.
func (e *testEnv) enrollStatic(s *acctest.Session, u testUser) int {
	e.t.Helper()
	return e.enrolled(u, acctest.StaticDeviceType, "static tokens", func() error { _, err := s.EnrollStatic(e.ctx()); return err })
}

// enrolled runs enroll and returns the pk of the device of type typ that it
// gave u.
func (e *testEnv) enrolled(u testUser, typ, what string, enroll func() error) int {
	e.t.Helper()
	before := e.devicesOf(u, typ)
	e.must(enroll(), "enroll "+what)
	for _, pk := range e.devicesOf(u, typ) {
		if !contains(before, pk) {
			return pk
		}
	}
	e.t.Fatalf("no new device (%s) of %s after enrollment", what, u.Username)
	return 0
}

// devicesOf lists the pks of u's devices of one type.
func (e *testEnv) devicesOf(u testUser, typ string) []int {
	e.t.Helper()
	devices, err := e.fx.UserDevices(e.ctx(), u.PK)
	e.must(err, "list the user's devices")
	var out []int
	for _, d := range devices {
		if d.Type == typ {
			pk, err := strconv.Atoi(d.PK)
			e.must(err, "device pk "+d.PK)
			out = append(out, pk)
		}
	}
	return out
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// flowsMu keeps the tests that count every flow of a real authentik apart
// from those that add flows: adders hold it shared, counters exclusively.
var flowsMu sync.RWMutex

// newFlow adds a stage_configuration flow and deletes it when the test ends.
func (e *testEnv) newFlow(prefix string) acctest.Flow {
	e.t.Helper()
	if e.real() {
		flowsMu.RLock()
		e.t.Cleanup(flowsMu.RUnlock) // runs after the delete below (cleanups run last-in first-out)
	}
	slug := e.uniqueName(prefix)
	f, err := e.fx.CreateFlow(e.ctx(), acctest.Flow{Name: slug, Slug: slug, Title: "Test flow " + slug, Designation: "stage_configuration"})
	e.must(err, "create a flow")
	e.cleanup("flow "+slug, func(ctx context.Context) error { return e.fx.DeleteFlow(ctx, slug) })
	return f
}

// countingFlows makes the test the only one that adds flows while it runs.
func (e *testEnv) countingFlows() {
	if e.real() {
		flowsMu.Lock()
		e.t.Cleanup(flowsMu.Unlock)
	}
}

// seedDuoStage adds a Duo stage as an admin would in the UI (fields as the
// API names them) and deletes it, if it still exists, when the test ends.
func (e *testEnv) seedDuoStage(fields map[string]any) acctest.DuoStage {
	e.t.Helper()
	st, err := e.fx.CreateDuoStage(e.ctx(), fields)
	e.must(err, "create a Duo stage")
	e.cleanup("Duo stage "+st.Name, func(ctx context.Context) error { return e.fx.DeleteDuoStage(ctx, st.PK) })
	return st
}

// cleanupDuoStages deletes, when the test ends, the Duo stages with these
// names that are left (after a failure before Terraform's destroy).
func (e *testEnv) cleanupDuoStages(names ...string) {
	for _, name := range names {
		e.cleanup("Duo stage "+name, func(ctx context.Context) error {
			stages, err := e.fx.DuoStagesNamed(ctx, name)
			for _, st := range stages {
				err = errors.Join(err, e.fx.DeleteDuoStage(ctx, st.PK))
			}
			return err
		})
	}
}
