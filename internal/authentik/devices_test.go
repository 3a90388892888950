package authentik_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func newDeviceFake(t *testing.T, v fakeauthentik.Version) *fakeauthentik.Server {
	t.Helper()
	s := fakeauthentik.New(fakeauthentik.Options{Version: v})
	t.Cleanup(func() {
		if vs := s.Violations(); len(vs) > 0 {
			t.Errorf("requests or answers that break the schema: %q", vs)
		}
		s.Close()
	})
	return s
}

func newDeviceClient(t *testing.T, s *fakeauthentik.Server, token string) *authentik.Client {
	t.Helper()
	c, err := authentik.New(authentik.Config{URL: s.URL(), Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// count counts the logged requests with this method and status whose path
// starts with prefix.
func count(s *fakeauthentik.Server, method, prefix string, status int) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method && r.Status == status && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func getDevice(ctx context.Context, c *authentik.Client, kind authentik.DeviceKind, pk int) (authentik.DeviceEndpoints, error) {
	return c.WithDeviceEndpoints(ctx, kind, func(ep authentik.DeviceEndpoints) error {
		_, err := c.GetDevice(ctx, kind, ep, pk)
		return err
	})
}

// One Client asks the admin endpoints once per kind; after their 403 it
// goes straight to the user endpoints.
func TestWithDeviceEndpoints_decidesOnce(t *testing.T) {
	s := newDeviceFake(t, fakeauthentik.V2025_12)
	userPK, token := s.AddUser("tf-device-client", false)
	dev := s.EnrollTOTPDevice(userPK, "phone", true)
	c := newDeviceClient(t, s, token)
	for i := range 3 {
		if used, err := getDevice(t.Context(), c, authentik.DeviceTOTP, dev.PK); err != nil || used != authentik.UserEndpoints {
			t.Fatalf("call %d: %v on %s", i, err, used)
		}
	}
	if n := count(s, "GET", "/authenticators/admin/totp/", 403); n != 1 {
		t.Errorf("want one refused admin GET, got %d", n)
	}
	if n := count(s, "GET", "/authenticators/totp/", 200); n != 3 {
		t.Errorf("want three user GETs, got %d", n)
	}
	// Another kind is learnt on its own (RBAC grants permissions per kind).
	static := s.EnrollDevice(fakeauthentik.Device{Kind: fakeauthentik.DeviceStatic, UserPK: userPK, Name: "codes", Confirmed: true})
	if used, err := getDevice(t.Context(), c, authentik.DeviceStatic, static.PK); err != nil || used != authentik.UserEndpoints {
		t.Fatalf("static: %v on %s", err, used)
	}
	if n := count(s, "GET", "/authenticators/admin/static/", 403); n != 1 {
		t.Errorf("want one refused admin static GET, got %d", n)
	}
}

// Concurrent first calls wait for the one that finds out, instead of each
// being refused: a plan refreshing many devices pays one 403, not one per
// worker.
func TestWithDeviceEndpoints_concurrentCallsWaitForTheFirst(t *testing.T) {
	s := newDeviceFake(t, fakeauthentik.V2024_10)
	userPK, token := s.AddUser("tf-device-client", false)
	c := newDeviceClient(t, s, token)
	var pks []int
	for i := range 10 {
		pks = append(pks, s.EnrollTOTPDevice(userPK, fmt.Sprintf("phone-%d", i), true).PK)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(pks))
	for _, pk := range pks {
		wg.Go(func() {
			if _, err := getDevice(t.Context(), c, authentik.DeviceTOTP, pk); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := count(s, "GET", "/authenticators/admin/totp/", 403); n != 1 {
		t.Errorf("want one refused admin GET, got %d", n)
	}
}

// An admin token stays on the admin endpoints; a token refused everywhere
// gets the admin answer, and nothing is learnt from it.
func TestWithDeviceEndpoints_adminAndRefusedTokens(t *testing.T) {
	s := newDeviceFake(t, fakeauthentik.V2025_12)
	dev := s.EnrollTOTPDevice(1, "phone", true)
	admin := newDeviceClient(t, s, s.AdminToken())
	for range 2 {
		if used, err := getDevice(t.Context(), admin, authentik.DeviceTOTP, dev.PK); err != nil || used != authentik.AdminEndpoints {
			t.Fatalf("admin: %v on %s", err, used)
		}
	}
	if n := count(s, "GET", "/authenticators/totp/", 200); n != 0 {
		t.Errorf("admin token used the user endpoints %d times", n)
	}
	bad := newDeviceClient(t, s, "not-a-token")
	for range 2 {
		_, err := getDevice(t.Context(), bad, authentik.DeviceTOTP, dev.PK)
		var e *authentik.APIError
		if !errors.As(err, &e) || e.Status != 403 || !strings.HasPrefix(e.Path, "/authenticators/admin/") {
			t.Fatalf("refused token: %v", err)
		}
	}
	// The refusal is about the token (health.go): the second call is not
	// sent, and the user endpoints are never asked.
	if n := count(s, "GET", "/authenticators/admin/totp/", 403); n != 1 {
		t.Errorf("want the refused token to ask the admin endpoints once, got %d", n)
	}
	if n := count(s, "GET", "/authenticators/totp/", 403); n != 0 {
		t.Errorf("want no user endpoint request for a refused token, got %d", n)
	}
}

func TestImportDuoDevice(t *testing.T) {
	for _, v := range []fakeauthentik.Version{fakeauthentik.V2024_10, fakeauthentik.V2025_12} {
		t.Run(string(v), func(t *testing.T) {
			s := newDeviceFake(t, v)
			stage := s.PutDuoStage(fakeauthentik.DuoStage{Name: "duo", ClientID: "DI1", ClientSecret: "s", APIHostname: "api-1.duosecurity.com"})
			alice, _ := s.AddUser("alice", false)
			c := newDeviceClient(t, s, s.AdminToken())
			req := authentik.DuoDeviceImport{DuoUserID: "DUALICE", Username: "alice"}
			d, recovered, err := c.ImportDuoDevice(t.Context(), stage.PK, req)
			if err != nil || recovered || d.Name != authentik.ImportedDuoDeviceName {
				t.Fatalf("import: %+v %v %v", d, recovered, err)
			}
			if stored, ok := s.Device(fakeauthentik.DeviceDuo, d.PK); !ok || stored.UserPK != alice || stored.DuoUserID != "DUALICE" {
				t.Fatalf("stored %+v", stored)
			}
			if _, _, err := c.ImportDuoDevice(t.Context(), stage.PK, req); !errors.Is(err, authentik.ErrDuoDeviceExists) {
				t.Fatalf("second import: %v", err)
			}
			// The answer of the next import is lost: the resend is refused as
			// a duplicate, and the device the lost attempt made is adopted.
			s.InjectFault("POST", "/stages/authenticator/duo/", 1, fakeauthentik.Fault{DropAfterHandling: true})
			lost := authentik.DuoDeviceImport{DuoUserID: "DUALICE2", Username: "alice"}
			d2, recovered, err := c.ImportDuoDevice(t.Context(), stage.PK, lost)
			if err != nil || !recovered || d2.PK == d.PK {
				t.Fatalf("lost answer: %+v %v %v", d2, recovered, err)
			}
			if n := len(s.Devices(fakeauthentik.DeviceDuo)); n != 2 {
				t.Errorf("want 2 Duo devices, got %d", n)
			}
			_, _, err = c.ImportDuoDevice(t.Context(), stage.PK, authentik.DuoDeviceImport{DuoUserID: "DU", Username: "nobody"})
			var e *authentik.APIError
			if !errors.As(err, &e) || e.Status != 400 || len(e.NonFieldErrors) != 1 || e.NonFieldErrors[0] != "User does not exist." {
				t.Fatalf("unknown user: %v", err)
			}
		})
	}
}

func TestListUserDevices(t *testing.T) {
	s := newDeviceFake(t, fakeauthentik.V2025_12)
	alice, token := s.AddUser("alice", false)
	s.EnrollTOTPDevice(alice, "phone", true)
	s.EnrollTOTPDevice(alice, "left over", false)
	s.EnrollDevice(fakeauthentik.Device{Kind: fakeauthentik.DeviceWebAuthn, UserPK: alice, Name: "key", Confirmed: true, AAGUID: "cb69481e-8ff7-4039-93ec-0a2729a154a8"})
	s.EnrollTOTPDevice(1, "admin phone", true)
	pk := alice
	all, err := newDeviceClient(t, s, s.AdminToken()).ListUserDevices(t.Context(), &pk)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range all {
		got = append(got, fmt.Sprintf("%s %s %s %v", d.Kind(), d.PK, d.Name, d.Confirmed))
	}
	if want := "totp 1 phone true,totp 2 left over false,webauthn 1 key true"; strings.Join(got, ",") != want {
		t.Errorf("got %q, want %q", got, want)
	}
	own, err := newDeviceClient(t, s, token).ListUserDevices(t.Context(), nil)
	if err != nil || len(own) != 2 {
		t.Fatalf("own devices: %+v %v", own, err)
	}
}
