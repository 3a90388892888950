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

// DeviceKind is a kind of authenticator device, named as in its API paths.
type DeviceKind string

// The device kinds the fake serves. Email devices exist from 2025.2 on: in
// 2024.10 mode their paths are unrouted (noRoute), as on the real server.
const (
	DeviceTOTP     DeviceKind = "totp"
	DeviceStatic   DeviceKind = "static"
	DeviceWebAuthn DeviceKind = "webauthn"
	DeviceDuo      DeviceKind = "duo"
	DeviceSMS      DeviceKind = "sms"
	DeviceEmail    DeviceKind = "email"
)

// DeviceKinds lists every kind, in the order authentik lists devices.
var DeviceKinds = []DeviceKind{DeviceDuo, DeviceEmail, DeviceSMS, DeviceStatic, DeviceTOTP, DeviceWebAuthn}

// Device is an authenticator device as the server stores it. TOTP and
// static devices are enrolled through the flow executor as a user would
// (executor.go) or seeded; enrolling WebAuthn, SMS, email and Duo devices
// needs hardware, a phone, a mailbox or Duo, so tests seed them
// (EnrollDevice) with the facts their serializers show, in the shapes of
// the real schemas. Duo devices are also imported through a Duo stage
// (devices_duo.go).
type Device struct {
	Kind      DeviceKind
	PK        int
	Name      string
	UserPK    int
	Confirmed bool
	Created   time.Time
	LastUsed  *time.Time

	PhoneNumber string   // sms: "+4917612345678", or "hash:<sha256>" for a verify-only stage
	Email       string   // email
	AAGUID      string   // webauthn
	DeviceType  string   // webauthn: the recognised model's description; "" = unknown (null)
	Tokens      []string // static: the recovery codes
	Stage       string   // duo: the setup stage's uuid
	DuoUserID   string   // duo
	// Secret is the base32 key of a TOTP device enrolled through the flow
	// executor ("" for devices seeded with EnrollDevice, which no code
	// matches).
	Secret string

	updated  time.Time // last_updated, when later than Created
	lastStep int64     // TOTP: django-otp's last_t, the time step of the last code accepted
}

// DeviceCreateMode chooses how POST /authenticators/admin/<kind>/ behaves.
type DeviceCreateMode int

const (
	// DeviceCreateReal answers a valid create like every released authentik:
	// no serializer sets the owner, the NOT NULL user_id fails inside, and
	// the client sees an empty text/html 405 (observations §1.1, §2.8).
	// Invalid input still gets its 400 first.
	DeviceCreateReal DeviceCreateMode = iota
	// DeviceCreateSpec answers what the OpenAPI schema promises: 201 with
	// the new device, owned by the token's user.
	DeviceCreateSpec
)

// deviceKind is what differs between the device serializers and viewsets.
type deviceKind struct {
	model, verbose string // Django model name ("TOTPDevice") and verbose_name ("TOTP Device")
	nameMax        int
	// confirmedOnly: the user endpoints' queryset is filter(confirmed=True).
	confirmedOnly bool
	since2025     bool // added in 2025.2
	// fields are the serializer's fields in order; user comes last (2025.2+).
	fields func(d *Device) obj
}

var deviceKinds = map[DeviceKind]deviceKind{
	DeviceTOTP: {model: "TOTPDevice", verbose: "TOTP Device", nameMax: 64, confirmedOnly: true,
		fields: func(d *Device) obj { return obj{{"name", d.Name}, {"pk", d.PK}} }},
	DeviceStatic: {model: "StaticDevice", verbose: "Static Device", nameMax: 64, confirmedOnly: true,
		fields: func(d *Device) obj {
			tokens := []any{}
			for _, t := range d.Tokens {
				tokens = append(tokens, obj{{"token", t}})
			}
			return obj{{"name", d.Name}, {"token_set", tokens}, {"pk", d.PK}}
		}},
	DeviceWebAuthn: {model: "WebAuthnDevice", verbose: "WebAuthn Device", nameMax: 200,
		fields: func(d *Device) obj {
			var typ any
			if d.DeviceType != "" {
				typ = obj{{"aaguid", d.AAGUID}, {"description", d.DeviceType}}
			}
			return obj{{"pk", d.PK}, {"name", d.Name}, {"created_on", akTime(d.Created)}, {"device_type", typ}, {"aaguid", d.AAGUID}}
		}},
	DeviceDuo: {model: "DuoDevice", verbose: "Duo Device", nameMax: 64,
		fields: func(d *Device) obj { return obj{{"pk", d.PK}, {"name", d.Name}} }},
	DeviceSMS: {model: "SMSDevice", verbose: "SMS Device", nameMax: 64,
		fields: func(d *Device) obj { return obj{{"name", d.Name}, {"pk", d.PK}, {"phone_number", d.PhoneNumber}} }},
	DeviceEmail: {model: "EmailDevice", verbose: "Email Device", nameMax: 64, since2025: true,
		fields: func(d *Device) obj { return obj{{"name", d.Name}, {"pk", d.PK}, {"email", d.Email}} }},
}

// deviceUserPermission is has_permission on /authenticators/<kind>/.
// Reading and changing pass for every user (objects are filtered or checked
// later). A POST reaches the 405 on 2024.10 (OwnerPermissions); from 2025.2
// ObjectPermissions first wants add_<kind>device, which only superusers hold.
func (s *Server) deviceUserPermission(u *user, method string) bool {
	return method != http.MethodPost || u.superuser || s.version == V2024_10
}

// devicesHandler serves one kind's endpoints.
type devicesHandler struct {
	s    *Server
	kind DeviceKind
	k    deviceKind
}

// notFound is the 404 detail for a well-formed but unknown pk: DRF 3.14
// (≤ 2025.2) says "Not found.", DRF ≥ 3.15 names the model.
func (h devicesHandler) notFound() string {
	if h.s.version == V2024_10 {
		return msgNotFound
	}
	return "No " + h.k.model + " matches the given query."
}

// json is the kind's serializer, with the owner as a PartialUser from
// 2025.2 on.
func (h devicesHandler) json(d *Device) obj {
	o := h.k.fields(d)
	if h.s.version == V2024_10 {
		return o
	}
	return append(o, kv{"user", h.s.partialUserJSON(d.UserPK)})
}

var deviceOrdering = map[string]func(*Device) string{
	"pk":   func(d *Device) string { return fmt.Sprintf("%012d", d.PK) },
	"name": func(d *Device) string { return d.Name },
}

// adminList is /authenticators/admin/<kind>/ (GET list, POST create). Only
// superusers get here (the router answers 403 to everyone else).
func (h devicesHandler) adminList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		h.create(w, c)
		return
	}
	h.list(w, c, func(*Device) bool { return true })
}

// userList is GET /authenticators/<kind>/: a superuser sees every user's
// devices (2024.10 OwnerFilter and 2025.2+ ObjectFilter agree on that),
// anyone else their own; TOTP and static lists hold confirmed ones only.
func (h devicesHandler) userList(w http.ResponseWriter, c *call) {
	h.list(w, c, func(d *Device) bool {
		return (d.Confirmed || !h.k.confirmedOnly) && (c.user.superuser || d.UserPK == c.user.pk)
	})
}

func (h devicesHandler) list(w http.ResponseWriter, c *call, visible func(*Device) bool) {
	q := c.r.URL.Query()
	s := h.s
	s.mu.Lock()
	var recs []*Device
	for _, d := range s.devices.byKind[h.kind] {
		if !visible(d) || q.Get("name") != "" && d.Name != q.Get("name") || !searchMatch(q.Get("search"), d.Name) {
			continue
		}
		recs = append(recs, d)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].PK < recs[j].PK })
	sortBy(recs, q.Get("ordering"), []string{"name"}, deviceOrdering)
	lo, hi, pag, ok := s.paginate(w, q, len(recs))
	if !ok {
		s.mu.Unlock()
		return
	}
	var results []any
	for _, d := range recs[lo:hi] {
		results = append(results, h.json(d))
	}
	s.mu.Unlock()
	s.writePage(w, pag, results)
}

// adminDetail is /authenticators/admin/<kind>/{id}/: every device,
// unconfirmed ones included, for superusers.
func (h devicesHandler) adminDetail(w http.ResponseWriter, c *call) {
	h.detail(w, c, func(*Device) int { return 0 })
}

// userDetail is /authenticators/<kind>/{id}/. Another user's device is
// filtered away (404) for an ordinary user. A superuser sees it, but on
// 2024.10 OwnerPermissions still requires the owner (403); from 2025.2 the
// global permission allows it.
func (h devicesHandler) userDetail(w http.ResponseWriter, c *call) {
	h.detail(w, c, func(d *Device) int {
		switch {
		case !d.Confirmed && h.k.confirmedOnly || !c.user.superuser && d.UserPK != c.user.pk:
			return http.StatusNotFound
		case c.user.superuser && d.UserPK != c.user.pk && h.s.version == V2024_10:
			return http.StatusForbidden
		}
		return 0
	})
}

// detail answers GET, PUT, PATCH and DELETE on one device. check returns
// 404 or 403 for a device the caller may not reach, else 0.
func (h devicesHandler) detail(w http.ResponseWriter, c *call, check func(*Device) int) {
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
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	d, found := s.devices.byKind[h.kind][pk]
	status := http.StatusNotFound
	if found {
		status = check(d)
	}
	switch status {
	case http.StatusNotFound:
		writeDetail(w, http.StatusNotFound, h.notFound())
		return
	case http.StatusForbidden:
		writeDetail(w, http.StatusForbidden, msgNoPermission)
		return
	}
	switch c.method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, h.json(d))
	case http.MethodDelete:
		delete(s.devices.byKind[h.kind], pk)
		writeNoContent(w)
	default:
		name, present, errs := h.validateName(data, c.method == http.MethodPatch)
		if errs != nil {
			writeJSON(w, http.StatusBadRequest, errs)
			return
		}
		if present {
			d.Name, d.updated = name, time.Now()
		}
		writeJSON(w, http.StatusOK, h.json(d))
	}
}

// create is POST /authenticators/admin/<kind>/.
func (h devicesHandler) create(w http.ResponseWriter, c *call) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	name, _, errs := h.validateName(data, false)
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.devices.create[h.kind] == DeviceCreateReal {
		writeFault(w, WriteServerError) // IntegrityError on user_id; nothing is stored
		return
	}
	d := s.addDeviceLocked(Device{Kind: h.kind, Name: name, UserPK: c.user.pk, Confirmed: true})
	writeJSON(w, http.StatusCreated, h.json(d))
}

// validateName is every device serializer's only writable field:
// CharField(max_length=64, or 200 for WebAuthn), trimmed; unknown and
// read-only keys (user, confirmed, key, …) are ignored.
func (h devicesHandler) validateName(data map[string]any, partial bool) (name string, present bool, errs obj) {
	val, present, msg := (strField{name: "name", required: true}).check(data, partial)
	if msg == "" && present && utf8.RuneCountInString(*val) > h.k.nameMax {
		msg = fmt.Sprintf("Ensure this field has no more than %d characters.", h.k.nameMax)
	}
	if msg != "" {
		return "", present, obj{{"name", []string{msg}}}
	}
	if !present {
		return "", false, nil
	}
	return *val, true, nil
}
