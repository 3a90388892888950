package fakeauthentik

import (
	"encoding/base32"
	"testing"
	"time"
)

// A code is good for its own 30-second step and one step either side, and
// only once (django-otp's last_t), as the recorded login after enrollment
// showed: a code of the step the device was enrolled in is refused.
func TestTOTPMatch(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	now := time.Unix(1111111109, 0) // RFC 6238's vector: 081804 in step 37037036
	step := now.Unix() / 30
	if got := totpCode(secret, step); got != "081804" {
		t.Fatalf("totpCode = %s, want 081804", got)
	}
	for _, c := range []struct {
		code  string
		after int64
		ok    bool
	}{
		{"081804", 0, true},
		{"81804", 0, true}, // 2024.10 sends an integer
		{totpCode(secret, step-1), 0, true},
		{totpCode(secret, step+1), 0, true},
		{totpCode(secret, step+2), 0, false},
		{"081804", step, false},    // already used
		{"081804", step - 1, true}, // the step after the last one used
		{"000000", 0, false},
	} {
		if _, ok := totpMatch(secret, c.code, now, c.after); ok != c.ok {
			t.Errorf("code %s after step %d: match %v, want %v", c.code, c.after, ok, c.ok)
		}
	}
}
