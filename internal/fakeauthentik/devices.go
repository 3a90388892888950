package fakeauthentik

import (
	"fmt"
	"net/http"
	"sort"
	"time"
)

// staticDevice is a set of static tokens, enrolled through
// default-authenticator-static-setup (executor.go).
type staticDevice struct {
	pk               int
	name             string
	userPK           int
	tokens           []string
	created, updated time.Time
	lastUsed         *time.Time
}

// StaticTokens returns the static tokens of a user's static devices.
func (s *Server) StaticTokens(userPK int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, d := range s.static {
		if d.userPK == userPK {
			out = append(out, d.tokens...)
		}
	}
	return out
}

func (s *Server) addStaticLocked(userPK int, tokens []string) *staticDevice {
	s.nextStaticPK++
	now := time.Now()
	d := &staticDevice{pk: s.nextStaticPK, name: "Static Token", userPK: userPK, tokens: tokens, created: now, updated: now}
	s.static = append(s.static, d)
	return d
}

// deleteDevicesOfLocked deletes a user's devices (on_delete=CASCADE).
func (s *Server) deleteDevicesOfLocked(userPK int) {
	for pk, d := range s.totp.devices {
		if d.UserPK == userPK {
			delete(s.totp.devices, pk)
		}
	}
	kept := s.static[:0]
	for _, d := range s.static {
		if d.userPK != userPK {
			kept = append(kept, d)
		}
	}
	s.static = kept
}

// deviceJSON is core's DeviceSerializer: pk as a string; 2025.12 adds
// external_id and has extra_description null for these device types.
func (s *Server) deviceJSON(verbose, meta, typ string, pk int, name string, confirmed bool, created, updated time.Time, used *time.Time) obj {
	o := obj{{"verbose_name", verbose}, {"verbose_name_plural", verbose + "s"}, {"meta_model_name", meta},
		{"pk", fmt.Sprint(pk)}, {"name", name}, {"type", typ}, {"confirmed", confirmed},
		{"created", akTime(created)}, {"last_updated", akTime(updated)}, {"last_used", akTimePtr(used)}}
	if s.version == V2024_10 {
		return append(o, kv{"extra_description", ""})
	}
	return append(o, kv{"extra_description", nil}, kv{"external_id", nil})
}

// devicesLocked lists the devices of one user (userPK > 0) or of everyone,
// static devices first (authentik's device_classes order), then TOTP.
func (s *Server) devicesLocked(userPK int, confirmedOnly bool) []any {
	out := []any{}
	for _, d := range s.static {
		if userPK == 0 || d.userPK == userPK {
			out = append(out, s.deviceJSON("Static Device", "authentik_stages_authenticator_static.staticdevice",
				"authentik_stages_authenticator_static.StaticDevice", d.pk, d.name, true, d.created, d.updated, d.lastUsed))
		}
	}
	var totp []*TOTPDevice
	for _, d := range s.totp.devices {
		if (userPK == 0 || d.UserPK == userPK) && (d.Confirmed || !confirmedOnly) {
			totp = append(totp, d)
		}
	}
	sort.Slice(totp, func(i, j int) bool { return totp[i].PK < totp[j].PK })
	for _, d := range totp {
		out = append(out, s.deviceJSON("TOTP Device", "authentik_stages_authenticator_totp.totpdevice",
			"authentik_stages_authenticator_totp.TOTPDevice", d.PK, d.Name, d.Confirmed, d.Created, d.Updated, d.LastUsed))
	}
	return out
}

// devicesOwn is GET /authenticators/all/: the caller's confirmed devices,
// not paginated.
func (s *Server) devicesOwn(w http.ResponseWriter, c *call) {
	s.mu.Lock()
	body := s.devicesLocked(c.user.pk, true)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// devicesAdmin is GET /authenticators/admin/all/?user=<pk>: every device
// of that user (of everyone without user=), unconfirmed ones included.
func (s *Server) devicesAdmin(w http.ResponseWriter, c *call) {
	userPK := 0
	if q := c.r.URL.Query(); q.Has("user") {
		pk, ok := jsonPK(q.Get("user"))
		if !ok {
			writeFault(w, GetServerError) // Django raises on a non-integer filter value
			return
		}
		userPK = pk
		if pk == 0 {
			userPK = -1
		}
	}
	s.mu.Lock()
	body := s.devicesLocked(userPK, false)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}
