package fakeauthentik

import (
	"net/http"
	"sort"
	"strings"
)

// WebAuthnDeviceType is an authenticator model authentik knows from the FIDO
// metadata service (GET /stages/authenticator/webauthn_device_types/).
type WebAuthnDeviceType struct {
	AAGUID      string // the primary key, a UUID
	Description string
}

type deviceType = WebAuthnDeviceType

// seededDeviceTypes are a few of the types a fresh authentik imports from
// the FIDO MDS blob and its passkey AAGUID list, with the 2024.10.5 server's
// descriptions (three YubiKey models share one description there).
var seededDeviceTypes = []WebAuthnDeviceType{
	{"00000000-0000-0000-0000-000000000000", "authentik: Unknown devices"},
	{"cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series"},
	{"fa2b99dc-9e39-4257-8f92-4a30d23c4118", "YubiKey 5 Series with NFC"},
	{"2fc0579f-8113-47ea-b116-bb5a8db9202a", "YubiKey 5 Series with NFC"},
	{"a25342c0-3cdc-4414-8e46-f4807fca511c", "YubiKey 5 Series with NFC"},
	{"42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3", "Google Titan Security Key v2"},
	{"bada5566-a7aa-401f-bd96-45619a55120d", "1Password"},
	{"d548826e-79b4-db40-a3d8-11116f7e8349", "Bitwarden"},
	{"fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "iCloud Keychain"},
	{"ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", "Google Password Manager"},
	{"08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello"},
}

func (s *Server) seedDeviceTypes() {
	for _, d := range seededDeviceTypes {
		s.AddWebAuthnDeviceType(d)
	}
}

// AddWebAuthnDeviceType stores a device type (as authentik's MDS import
// would), replacing one with the same AAGUID.
func (s *Server) AddWebAuthnDeviceType(d WebAuthnDeviceType) {
	d.AAGUID, _ = parsePyUUID(d.AAGUID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.deviceTypeLocked(d.AAGUID); old != nil {
		*old = d
		return
	}
	s.stages.deviceTypes = append(s.stages.deviceTypes, &d)
	sort.Slice(s.stages.deviceTypes, func(i, j int) bool { return s.stages.deviceTypes[i].AAGUID < s.stages.deviceTypes[j].AAGUID })
}

// WebAuthnDeviceTypes returns every device type, ordered by description
// (the viewset's ordering).
func (s *Server) WebAuthnDeviceTypes() []WebAuthnDeviceType {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]WebAuthnDeviceType, 0, len(s.stages.deviceTypes))
	for _, d := range s.sortedDeviceTypesLocked("") {
		out = append(out, *d)
	}
	return out
}

func (s *Server) deviceTypeLocked(aaguid string) *deviceType {
	for _, d := range s.stages.deviceTypes {
		if d.AAGUID == aaguid {
			return d
		}
	}
	return nil
}

func deviceTypeJSON(d *deviceType) obj {
	return obj{{"aaguid", d.AAGUID}, {"description", d.Description}}
}

var deviceTypeOrdering = map[string]func(*deviceType) string{
	"aaguid":      func(d *deviceType) string { return d.AAGUID },
	"description": func(d *deviceType) string { return d.Description },
}

func (s *Server) sortedDeviceTypesLocked(ordering string) []*deviceType {
	out := append([]*deviceType(nil), s.stages.deviceTypes...)
	sortBy(out, ordering, []string{"description"}, deviceTypeOrdering)
	return out
}

// deviceTypeList is GET /stages/authenticator/webauthn_device_types/: a
// ReadOnlyModelViewSet with filterset_fields "__all__" (aaguid, description,
// icon) and search over description and aaguid.
func (s *Server) deviceTypeList(w http.ResponseWriter, c *call) {
	q := c.r.URL.Query()
	aaguid := q.Get("aaguid")
	if aaguid != "" {
		u, ok := parsePyUUID(aaguid)
		if !ok {
			writeJSON(w, http.StatusBadRequest, obj{{"aaguid", []string{"Enter a valid UUID."}}})
			return
		}
		aaguid = u
	}
	s.mu.Lock()
	var recs []*deviceType
	for _, d := range s.sortedDeviceTypesLocked(q.Get("ordering")) {
		// The fake keeps no icons: every icon is NULL, which ?icon= never matches.
		if aaguid != "" && d.AAGUID != aaguid || q.Get("description") != "" && d.Description != q.Get("description") ||
			q.Get("icon") != "" || !searchMatch(q.Get("search"), d.Description, d.AAGUID) {
			continue
		}
		recs = append(recs, d)
	}
	pag, results, ok := pageLocked(s, w, q, recs, func(d *deviceType) any { return deviceTypeJSON(d) })
	s.mu.Unlock()
	if ok {
		s.writePage(w, pag, results)
	}
}

// deviceTypeDetail is GET /stages/authenticator/webauthn_device_types/{aaguid}/.
func (s *Server) deviceTypeDetail(w http.ResponseWriter, c *call) {
	pk, ok := parsePyUUID(c.id)
	if !ok {
		writeDetail(w, http.StatusNotFound, msgNotFound)
		return
	}
	s.mu.Lock()
	d := s.deviceTypeLocked(strings.ToLower(pk))
	var body obj
	if d != nil {
		body = deviceTypeJSON(d)
	}
	s.mu.Unlock()
	if d == nil {
		writeDetail(w, http.StatusNotFound, s.notFoundText("WebAuthnDeviceType"))
		return
	}
	writeJSON(w, http.StatusOK, body)
}
