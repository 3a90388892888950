package acctest

import (
	"encoding/base32"
	"testing"
	"time"
)

// The SHA-1 test vectors of RFC 6238 appendix B (8 digits there; the last 6
// are what a 6-digit code shows) and of RFC 4226 appendix D.
func TestTOTPCode_rfcVectors(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{
		59: "94287082", 1111111109: "07081804", 1111111111: "14050471",
		1234567890: "89005924", 2000000000: "69279037", 20000000000: "65353130",
	} {
		got, err := TOTPCode(secret, time.Unix(unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != want[2:] {
			t.Errorf("T=%d: got %s, want %s", unix, got, want[2:])
		}
		if got8 := hotp([]byte("12345678901234567890"), uint64(unix)/30, 8); got8 != want {
			t.Errorf("T=%d (8 digits): got %s, want %s", unix, got8, want)
		}
	}
	for counter, want := range []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"} {
		if got := hotp([]byte("12345678901234567890"), uint64(counter), 6); got != want {
			t.Errorf("HOTP counter %d: got %s, want %s", counter, got, want)
		}
	}
}

func TestSecretFromURL(t *testing.T) {
	got, err := SecretFromURL("otpauth://totp/authentik%3Aalice?secret=2VFMHJQEVUEMXYO5W2PI3O2QELJ2NDSP&algorithm=SHA1&digits=6&period=30&issuer=authentik")
	if err != nil || got != "2VFMHJQEVUEMXYO5W2PI3O2QELJ2NDSP" {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, bad := range []string{"https://example.com/?secret=X", "otpauth://totp/x?issuer=a", "::"} {
		if _, err := SecretFromURL(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
