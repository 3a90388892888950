package fakeauthentik

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TOTPDevice is a TOTP device as the server stores it. Only Name, PK and the
// owner are visible through the API.
type TOTPDevice struct {
	PK        int
	Name      string
	UserPK    int
	Confirmed bool
	// Secret is the base32 key of a device enrolled through the flow
	// executor ("" for devices added with EnrollTOTPDevice).
	Secret           string
	Created, Updated time.Time
	LastUsed         *time.Time
	lastStep         int64 // django-otp's last_t: the time step of the last code accepted
}

// TOTPCreateMode chooses how POST /authenticators/admin/totp/ behaves.
type TOTPCreateMode int

const (
	// TOTPCreateReal answers a valid create like every released authentik:
	// the serializer sets no user, the NOT NULL user_id fails inside, and
	// the client sees an empty text/html 405 (observations §1.1, §2.8).
	// Invalid input still gets its 400 first.
	TOTPCreateReal TOTPCreateMode = iota
	// TOTPCreateSpec answers what the OpenAPI schema promises: 201 with the
	// new device, owned by the token's user.
	TOTPCreateSpec
)

// totpStore holds the TOTP devices; guarded by Server.mu.
type totpStore struct {
	devices map[int]*TOTPDevice
	nextPK  int
	create  TOTPCreateMode
}

// SetTOTPCreate switches how admin TOTP creates are answered.
func (s *Server) SetTOTPCreate(m TOTPCreateMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.totp.create = m
}

// EnrollTOTPDevice stores a device for a user, as the enrollment flow does.
// authentik saves devices only once they are confirmed; confirmed=false
// imitates a device left over unconfirmed (visible to admins only).
func (s *Server) EnrollTOTPDevice(userPK int, name string, confirmed bool) TOTPDevice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addTOTPLocked(userPK, name, confirmed)
}

func (s *Server) addTOTPLocked(userPK int, name string, confirmed bool) *TOTPDevice {
	if s.totp.devices == nil {
		s.totp.devices = map[int]*TOTPDevice{}
		s.totp.nextPK = 1
	}
	now := time.Now()
	d := &TOTPDevice{PK: s.totp.nextPK, Name: name, UserPK: userPK, Confirmed: confirmed, Created: now, Updated: now}
	s.totp.nextPK++
	s.totp.devices[d.PK] = d
	return d
}

// TOTPDevice returns the stored device with this pk.
func (s *Server) TOTPDevice(pk int) (TOTPDevice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.totp.devices[pk]; ok {
		return *d, true
	}
	return TOTPDevice{}, false
}

// TOTPDevices returns every stored device, ordered by pk.
func (s *Server) TOTPDevices() []TOTPDevice {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TOTPDevice, 0, len(s.totp.devices))
	for _, d := range s.totp.devices {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PK < out[j].PK })
	return out
}

// RenameTOTPDevice renames a device, as a user would in their settings.
func (s *Server) RenameTOTPDevice(pk int, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.totp.devices[pk]
	if ok {
		d.Name, d.Updated = name, time.Now()
	}
	return ok
}

// DeleteTOTPDevice deletes a device behind the API's back.
func (s *Server) DeleteTOTPDevice(pk int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.totp.devices[pk]
	delete(s.totp.devices, pk)
	return ok
}

// totpNotFound is the 404 detail for a well-formed but unknown pk.
func (s *Server) totpNotFound() string { return s.notFound("TOTPDevice") }

// totpUserPermission is has_permission on /authenticators/totp/. Reading and
// changing pass for every user (objects are filtered or checked later). A
// POST reaches the 405 on 2024.10 (OwnerPermissions); from 2025.2
// ObjectPermissions first wants add_totpdevice, which only superusers hold.
func (s *Server) totpUserPermission(u *user, method string) bool {
	return method != http.MethodPost || u.superuser || s.version == V2024_10
}

// totpJSON is TOTPDeviceSerializer: {"name","pk"} and, from 2025.2, the
// owner as a PartialUser.
func (s *Server) totpJSON(d *TOTPDevice) obj {
	o := obj{{"name", d.Name}, {"pk", d.PK}}
	if s.version == V2024_10 {
		return o
	}
	return append(o, kv{"user", s.partialUserJSON(d.UserPK)})
}

var totpOrdering = map[string]func(*TOTPDevice) string{
	"pk":   func(d *TOTPDevice) string { return fmt.Sprintf("%012d", d.PK) },
	"name": func(d *TOTPDevice) string { return d.Name },
}

// totpAdminList is /authenticators/admin/totp/ (GET list, POST create).
// Only superusers get here (the router answers 403 to everyone else).
func (s *Server) totpAdminList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		s.totpCreate(w, c)
		return
	}
	s.totpList(w, c, func(*TOTPDevice) bool { return true })
}

// totpUserList is GET /authenticators/totp/: confirmed devices only; a
// superuser sees every user's (2024.10 OwnerFilter and 2025.2+ ObjectFilter
// agree on that), anyone else their own.
func (s *Server) totpUserList(w http.ResponseWriter, c *call) {
	s.totpList(w, c, func(d *TOTPDevice) bool {
		return d.Confirmed && (c.user.superuser || d.UserPK == c.user.pk)
	})
}

func (s *Server) totpList(w http.ResponseWriter, c *call, visible func(*TOTPDevice) bool) {
	q := c.r.URL.Query()
	s.mu.Lock()
	var recs []*TOTPDevice
	for _, d := range s.totp.devices {
		if !visible(d) || q.Get("name") != "" && d.Name != q.Get("name") || !searchMatch(q.Get("search"), d.Name) {
			continue
		}
		recs = append(recs, d)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].PK < recs[j].PK })
	sortBy(recs, q.Get("ordering"), []string{"name"}, totpOrdering)
	lo, hi, pag, ok := s.paginate(w, q, len(recs))
	if !ok {
		s.mu.Unlock()
		return
	}
	var results []any
	for _, d := range recs[lo:hi] {
		results = append(results, s.totpJSON(d))
	}
	s.mu.Unlock()
	s.writePage(w, pag, results)
}

// totpAdminDetail is /authenticators/admin/totp/{id}/: every device,
// unconfirmed ones included, for superusers.
func (s *Server) totpAdminDetail(w http.ResponseWriter, c *call) {
	s.totpDetail(w, c, func(*TOTPDevice) int { return 0 })
}

// totpUserDetail is /authenticators/totp/{id}/. Another user's device is
// filtered away (404) for an ordinary user. A superuser sees it, but on
// 2024.10 OwnerPermissions still requires the owner (403); from 2025.2 the
// global permission allows it.
func (s *Server) totpUserDetail(w http.ResponseWriter, c *call) {
	s.totpDetail(w, c, func(d *TOTPDevice) int {
		switch {
		case !d.Confirmed || !c.user.superuser && d.UserPK != c.user.pk:
			return http.StatusNotFound
		case c.user.superuser && d.UserPK != c.user.pk && s.version == V2024_10:
			return http.StatusForbidden
		}
		return 0
	})
}

// totpDetail answers GET, PUT, PATCH and DELETE on one device. check
// returns 404 or 403 for a device the caller may not reach, else 0.
func (s *Server) totpDetail(w http.ResponseWriter, c *call, check func(*TOTPDevice) int) {
	pk, err := strconv.Atoi(c.id)
	if err != nil || strings.HasPrefix(c.id, "+") || strings.HasPrefix(c.id, "-") {
		writeDetail(w, http.StatusNotFound, msgNotFound)
		return
	}
	var data map[string]any
	if c.method == http.MethodPut || c.method == http.MethodPatch {
		var ok bool
		if data, ok = parseBody(w, c); !ok {
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, found := s.totp.devices[pk]
	status := http.StatusNotFound
	if found {
		status = check(d)
	}
	switch status {
	case http.StatusNotFound:
		writeDetail(w, http.StatusNotFound, s.totpNotFound())
		return
	case http.StatusForbidden:
		writeDetail(w, http.StatusForbidden, msgNoPermission)
		return
	}
	switch c.method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, s.totpJSON(d))
	case http.MethodDelete:
		delete(s.totp.devices, pk)
		writeNoContent(w)
	default:
		name, present, errs := validateTOTPName(data, c.method == http.MethodPatch)
		if errs != nil {
			writeJSON(w, http.StatusBadRequest, errs)
			return
		}
		if present {
			d.Name, d.Updated = name, time.Now()
		}
		writeJSON(w, http.StatusOK, s.totpJSON(d))
	}
}

// totpCreate is POST /authenticators/admin/totp/.
func (s *Server) totpCreate(w http.ResponseWriter, c *call) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	name, _, errs := validateTOTPName(data, false)
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.totp.create == TOTPCreateReal {
		writeFault(w, WriteServerError) // IntegrityError on user_id; nothing is stored
		return
	}
	writeJSON(w, http.StatusCreated, s.totpJSON(s.addTOTPLocked(c.user.pk, name, true)))
}

// validateTOTPName is TOTPDeviceSerializer's only writable field:
// CharField(max_length=64), trimmed; unknown and read-only keys (user,
// confirmed, key, …) are ignored.
func validateTOTPName(data map[string]any, partial bool) (name string, present bool, errs obj) {
	val, present, msg := (strField{name: "name", required: true}).check(data, partial)
	if msg == "" && present && utf8.RuneCountInString(*val) > 64 {
		msg = "Ensure this field has no more than 64 characters."
	}
	if msg != "" {
		return "", present, obj{{"name", []string{msg}}}
	}
	if !present {
		return "", false, nil
	}
	return *val, true, nil
}

// totpUsedByPermission is has_permission on /authenticators/totp/{id}/used_by/:
// on 2024.10 only superusers pass (an owner gets 403, as recorded); from
// 2025.2 ObjectPermissions lets the owner see their own device's.
func (s *Server) totpUsedByPermission(u *user, _ string) bool {
	return u != nil && (u.superuser || s.version != V2024_10)
}

// totpUsedBy is GET /authenticators/totp/{id}/used_by/: nothing refers to a
// TOTP device, so it is [] for a device the caller can see.
func (s *Server) totpUsedBy(w http.ResponseWriter, c *call) {
	pk, err := strconv.Atoi(c.id)
	s.mu.Lock()
	d, found := s.totp.devices[pk]
	visible := err == nil && found && d.Confirmed && (c.user.superuser || d.UserPK == c.user.pk)
	s.mu.Unlock()
	if !visible {
		writeDetail(w, http.StatusNotFound, s.totpNotFound())
		return
	}
	writeJSON(w, http.StatusOK, []any{})
}
