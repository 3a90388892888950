package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func TestParseSeed(t *testing.T) {
	got, err := parseSeed("totp=1000,sms=2,email=0")
	if err != nil {
		t.Fatal(err)
	}
	want := map[fakeauthentik.DeviceKind]int{fakeauthentik.DeviceTOTP: 1000, fakeauthentik.DeviceSMS: 2, fakeauthentik.DeviceEmail: 0}
	if len(got) != len(want) {
		t.Fatalf("parseSeed = %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("parseSeed[%s] = %d, want %d", k, got[k], n)
		}
	}
	if got, err := parseSeed(""); err != nil || len(got) != 0 {
		t.Errorf(`parseSeed("") = %v, %v; want no devices`, got, err)
	}
	for in, msg := range map[string]string{
		"yubikey=3": `"yubikey=3": want kind=N with a kind among duo, email, sms, static, totp, webauthn`,
		"totp":      `"totp": want kind=N`,
		"totp=-1":   `"totp=-1": the count must be a whole number`,
		"totp=x":    `"totp=x": the count must be a whole number`,
	} {
		if _, err := parseSeed(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("parseSeed(%q) error = %v, want it to contain %q", in, err, msg)
		}
	}
}

// facts are what each kind's answer shows of its seed: its owner, akadmin,
// and the kind's own fact where the answer has one.
var facts = map[fakeauthentik.DeviceKind]string{
	fakeauthentik.DeviceTOTP:     `"username":"akadmin"`,
	fakeauthentik.DeviceStatic:   `"username":"akadmin"`,
	fakeauthentik.DeviceSMS:      `"phone_number":"+15550000007"`,
	fakeauthentik.DeviceEmail:    `"email":"bench-7@example.com"`,
	fakeauthentik.DeviceWebAuthn: `"aaguid":"cb69481e-8ff7-4039-93ec-0a2729a154a8"`,
	fakeauthentik.DeviceDuo:      `"username":"akadmin"`,
}

// Every seeded kind is served by its admin endpoint as authentik would
// serve it: the answer names the device and passes the schema check.
func TestBenchDevice_servedLikeAnEnrolledDevice(t *testing.T) {
	srv := fakeauthentik.New(fakeauthentik.Options{})
	defer srv.Close()
	for _, kind := range fakeauthentik.DeviceKinds {
		d := srv.EnrollDevice(benchDevice(kind, 7))
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/v3/authenticators/admin/"+string(kind)+"/"+strconv.Itoa(d.PK)+"/", nil)
		req.Header.Set("Authorization", "Bearer "+srv.AdminToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		var got struct{ Name string }
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &got) != nil || got.Name != "bench-"+string(kind)+"-7" {
			t.Errorf("%s: %d %s, want 200 with name bench-%s-7", kind, resp.StatusCode, body, kind)
		}
		if fact := facts[kind]; !strings.Contains(string(body), fact) {
			t.Errorf("%s: %s, want it to hold %s", kind, body, fact)
		}
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("schema violations: %v", v)
	}
}
