package fakeauthentik

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// adminAllDevices is GET /authenticators/admin/all/ (AdminDeviceViewSet,
// IsAdminUser): every kind's devices, confirmed or not, of the user given
// by ?user=<pk> (of everyone without it). Not paginated.
func (s *Server) adminAllDevices(w http.ResponseWriter, c *call) {
	q := c.r.URL.Query()
	userPK, all := 0, !q.Has("user")
	if !all {
		pk, err := strconv.Atoi(strings.TrimSpace(q.Get("user")))
		if err != nil { // Django's ValueError in filter(user=…): an unhandled error
			writeFault(w, GetServerError)
			return
		}
		userPK = pk
	}
	s.writeDeviceList(w, func(d *Device) bool { return all || d.UserPK == userPK })
}

// ownDevices is GET /authenticators/all/ (DeviceViewSet, any signed-in
// user): the caller's confirmed devices of every kind.
func (s *Server) ownDevices(w http.ResponseWriter, c *call) {
	s.writeDeviceList(w, func(d *Device) bool { return d.UserPK == c.user.pk && d.Confirmed })
}

// writeDeviceList answers the core DeviceSerializer for the devices that
// pass keep, kind by kind in authentik's model order, each kind by pk.
func (s *Server) writeDeviceList(w http.ResponseWriter, keep func(*Device) bool) {
	s.mu.Lock()
	out := []any{}
	for _, kind := range DeviceKinds {
		k := deviceKinds[kind]
		if k.since2025 && s.version == V2024_10 {
			continue
		}
		var recs []*Device
		for _, d := range s.devices.byKind[kind] {
			if keep(d) {
				recs = append(recs, d)
			}
		}
		sort.Slice(recs, func(i, j int) bool { return recs[i].PK < recs[j].PK })
		for _, d := range recs {
			out = append(out, s.coreDeviceJSON(kind, k, d))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// coreDeviceJSON is the core DeviceSerializer: pk as a string, the model's
// label as type. extra_description is "" on 2024.10 and null later, where
// external_id (null) joins it (transcripts [135] [136]).
func (s *Server) coreDeviceJSON(kind DeviceKind, k deviceKind, d *Device) obj {
	app := "authentik_stages_authenticator_" + string(kind)
	updated := d.updated
	if updated.IsZero() {
		updated = d.Created
	}
	o := obj{{"verbose_name", k.verbose}, {"verbose_name_plural", k.verbose + "s"}, {"meta_model_name", app + "." + strings.ToLower(k.model)},
		{"pk", strconv.Itoa(d.PK)}, {"name", d.Name}, {"type", app + "." + k.model}, {"confirmed", d.Confirmed},
		{"created", akTime(d.Created)}, {"last_updated", akTime(updated)}, {"last_used", akTimePtr(d.LastUsed)}}
	if s.version == V2024_10 {
		return append(o, kv{"extra_description", ""})
	}
	return append(o, kv{"extra_description", nil}, kv{"external_id", nil})
}
