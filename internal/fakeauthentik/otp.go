package fakeauthentik

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // RFC 6238 with SHA1, as authentik's TOTP devices use
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// totpCode is the 6-digit RFC 6238 code of a base32 secret in time step t.
func totpCode(secret string, step int64) string {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return ""
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step)) //nolint:gosec // time steps are positive
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:off+4])&0x7fffffff)%1_000_000)
}

// totpMatch is django-otp's TOTPDevice.verify_token: the code of the
// current 30-second step, or of one step before or after (tolerance 1), but
// never of a step at or before after (the device's last_t: a code is good
// once). It returns the step matched. Leading zeros may be missing (2024.10
// parses the code as an integer).
func totpMatch(secret, code string, now time.Time, after int64) (int64, bool) {
	if secret == "" || code == "" {
		return 0, false
	}
	for len(code) < 6 {
		code = "0" + code
	}
	step := now.Unix() / 30
	for d := int64(-1); d <= 1; d++ {
		if step+d > after && hmac.Equal([]byte(totpCode(secret, step+d)), []byte(code)) {
			return step + d, true
		}
	}
	return 0, false
}

// parseJSONObject decodes a request body that should be a JSON object.
func parseJSONObject(body []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return map[string]any{}, false
	}
	return m, true
}

// jsonText is a string or number field as text ("" otherwise).
func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

func (s *Server) userByEmailLocked(email string) *user {
	if email == "" {
		return nil
	}
	for _, u := range s.users {
		if u.email == email {
			return u
		}
	}
	return nil
}

// validationDevicesLocked are the device_challenges a user's confirmed
// devices get from the multi-factor stage (authenticator_validate).
func (s *Server) validationDevicesLocked(u *user) []any {
	out := []any{}
	if u == nil {
		return out
	}
	for _, kind := range []DeviceKind{DeviceTOTP, DeviceStatic} {
		for _, d := range s.devicesOfLocked(kind, u.pk) {
			if d.Confirmed {
				out = append(out, obj{{"device_class", string(kind)}, {"device_uid", fmt.Sprint(d.PK)}, {"challenge", obj{}}, {"last_used", akTimePtr(d.LastUsed)}})
			}
		}
	}
	return out
}

// checkDeviceCodeLocked accepts a code of one of the user's TOTP devices or
// one of its static tokens (which is used up), and marks the device used.
// A wrong code throttles a device for a second on the real server; that is
// not modelled.
func (s *Server) checkDeviceCodeLocked(u *user, code string) bool {
	if u == nil || code == "" {
		return false
	}
	now := time.Now()
	for _, d := range s.devicesOfLocked(DeviceTOTP, u.pk) {
		if !d.Confirmed {
			continue
		}
		if step, ok := totpMatch(d.Secret, code, now, d.lastStep); ok {
			d.lastStep, d.LastUsed, d.updated = step, &now, now
			return true
		}
	}
	for _, d := range s.devicesOfLocked(DeviceStatic, u.pk) {
		for i, t := range d.Tokens {
			if t == code {
				d.Tokens = append(d.Tokens[:i:i], d.Tokens[i+1:]...)
				d.LastUsed, d.updated = &now, now
				return true
			}
		}
	}
	return false
}
