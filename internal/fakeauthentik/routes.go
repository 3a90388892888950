package fakeauthentik

import (
	"net/http"
	"strings"
)

// Methods the routes allow, as DRF lists them in the Allow header.
const (
	allowList   = "GET, POST, HEAD, OPTIONS"
	allowDetail = "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
	allowRead   = "GET, HEAD, OPTIONS"
	allowAction = "POST, OPTIONS"
)

// access says who passes a route's has_permission.
type access int

const (
	superuserOnly access = iota // every model route: ordinary users hold no permission
	anyUser                     // any authenticated user (views of one's own things)
	public                      // AllowAny: a token is checked only when one is sent
)

type endpoint struct {
	pattern []string // "*" matches one path segment, captured into call.ids
	allow   string
	fn      func(http.ResponseWriter, *call)
	access  access
	// perm, when set, replaces access: DRF's has_permission for the route.
	perm func(u *user, method string) bool
	// options is the route's recorded OPTIONS metadata ("" = a stub).
	options func() string
}

// call is one routed, authenticated request.
type call struct {
	r      *http.Request
	method string
	id     string   // the first "*" segment
	ids    []string // every "*" segment, in order
	body   []byte
	user   *user // nil on public routes without a token
}

// routes lists the API routes the fake models, in Django's resolution
// order (a literal segment before "*"); no device route overlaps another.
func (s *Server) routes() []endpoint {
	return append([]endpoint{
		{pattern: p("stages/authenticator/duo/*/import_devices_automatic"), allow: allowAction, fn: s.duoImportAutomatic},
		{pattern: p("stages/authenticator/duo/*/import_device_manual"), allow: allowAction, fn: s.duoImportManual},
		{pattern: p("stages/authenticator/duo/*/enrollment_status"), allow: allowAction, fn: s.duoEnrollmentStatus},
		{pattern: p("flows/instances"), allow: allowList, fn: s.flowList},
		{pattern: p("flows/instances/*"), allow: allowDetail, fn: s.flowDetail},
		{pattern: p("flows/bindings"), allow: allowList, fn: s.bindingList},
		{pattern: p("flows/bindings/*"), allow: allowDetail, fn: s.bindingDetail},
		{pattern: p("authenticators/totp/*/used_by"), allow: allowRead, fn: s.totpUsedBy, perm: s.totpUsedByPermission},
		{pattern: p("authenticators/all"), allow: allowRead, fn: s.ownDevices, access: anyUser},
		{pattern: p("authenticators/admin/all"), allow: allowRead, fn: s.adminAllDevices},
		{pattern: p("core/users"), allow: allowList, fn: s.userList},
		{pattern: p("core/users/me"), allow: allowRead, fn: s.userMe, access: anyUser},
		{pattern: p("core/users/*"), allow: allowDetail, fn: s.userDetail},
		{pattern: p("core/users/*/set_password"), allow: allowAction, fn: s.userSetPassword},
		{pattern: p("core/tokens"), allow: allowList, fn: s.tokenList},
		{pattern: p("core/tokens/*"), allow: allowDetail, fn: s.tokenDetail},
		{pattern: p("core/tokens/*/view_key"), allow: allowRead, fn: s.tokenViewKey},
		{pattern: p("admin/version"), allow: allowRead, fn: s.versionInfo},
		{pattern: p("root/config"), allow: allowRead, fn: s.rootConfig, access: public},
		{pattern: p("schema"), allow: allowRead, fn: s.schemaDocument, access: public},
	}, s.deviceRoutes()...)
}

// deviceRoutes are the admin and user endpoints of every device kind the
// imitated version has (devices.go). Email devices came with 2025.2: in
// 2024.10 mode their paths reach noRoute, as on the real server.
func (s *Server) deviceRoutes() []endpoint {
	var out []endpoint
	for _, kind := range DeviceKinds {
		k := deviceKinds[kind]
		if k.since2025 && s.version == V2024_10 {
			continue
		}
		h := devicesHandler{s: s, kind: kind, k: k}
		admin, own := "authenticators/admin/"+string(kind), "authenticators/"+string(kind)
		list := endpoint{pattern: p(admin), allow: allowList, fn: h.adminList}
		if kind == DeviceTOTP {
			list.options = s.totpOptions // recorded (misc.go)
		}
		out = append(out, list,
			endpoint{pattern: p(admin + "/*"), allow: allowDetail, fn: h.adminDetail},
			endpoint{pattern: p(own), allow: allowRead, fn: h.userList, perm: s.deviceUserPermission},
			endpoint{pattern: p(own + "/*"), allow: allowDetail, fn: h.userDetail, perm: s.deviceUserPermission})
	}
	return out
}

func p(pattern string) []string { return strings.Split(pattern, "/") }

// route dispatches like Django's URL resolver followed by DRF.
func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte) {
	path := r.URL.Path
	if !strings.HasPrefix(path, apiPrefix+"/") || !strings.HasSuffix(path, "/") {
		s.noRoute(w, r)
		return
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(path, apiPrefix), "/"), "/")
	// DRF's default lookup regex is [^/.]+
	for _, p := range parts {
		if p == "" || strings.Contains(p, ".") {
			s.noRoute(w, r)
			return
		}
	}
	if len(parts) == 3 && parts[0] == "flows" && parts[1] == "executor" {
		s.executor(w, r, parts[2], body)
		return
	}
	h, ids, found := s.stageRoute(parts)
	for _, e := range s.routes() {
		if found {
			break
		}
		if ids, found = match(parts, e.pattern); found {
			h = e
		}
	}
	if !found {
		s.noRoute(w, r)
		return
	}
	commonHeaders(w, h.allow)
	var u *user
	if _, _, sent := splitAuth(r); h.access != public || sent {
		var ok bool
		if u, ok = s.authenticate(w, r); !ok {
			return
		}
	}
	if !s.permitted(h, u, r.Method) {
		writeDetail(w, http.StatusForbidden, msgNoPermission)
		return
	}
	if !allowed(h.allow, r.Method) {
		writeMethodNotAllowed(w, r.Method)
		return
	}
	if r.Method == http.MethodOptions {
		if h.options != nil {
			writeRawJSON(w, http.StatusOK, h.options())
			return
		}
		writeJSON(w, http.StatusOK, obj{{"name", "authentik"}, {"description", ""}, {"renders", []string{"application/json"}}, {"parses", []string{"application/json"}}})
		return
	}
	c := &call{r: r, method: r.Method, ids: ids, body: body, user: u}
	if len(ids) > 0 {
		c.id = ids[0]
	}
	if c.method == http.MethodHead {
		w = headWriter{w}
		c.method = http.MethodGet
	}
	h.fn(w, c)
}

func (s *Server) permitted(h endpoint, u *user, method string) bool {
	switch {
	case h.perm != nil:
		return h.perm(u, method)
	case h.access == public:
		return true
	case h.access == anyUser:
		return u != nil
	}
	return u != nil && u.superuser
}

type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(b []byte) (int, error) { return len(b), nil }

func allowed(allow, method string) bool {
	for _, m := range strings.Split(allow, ", ") {
		if m == method {
			return true
		}
	}
	return false
}

// match reports whether parts fit pattern and returns the "*" segments.
func match(parts, pattern []string) ([]string, bool) {
	if len(parts) != len(pattern) {
		return nil, false
	}
	var ids []string
	for i, p := range pattern {
		switch {
		case p == "*":
			ids = append(ids, parts[i])
		case p != parts[i]:
			return nil, false
		}
	}
	return ids, true
}

// stageRoute resolves the routes of every authenticator stage kind the
// imitated version has, and of the WebAuthn device types (stages_http.go).
// The Duo stage's actions are in routes().
func (s *Server) stageRoute(parts []string) (endpoint, []string, bool) {
	if len(parts) < 3 || len(parts) > 5 || parts[0] != "stages" || parts[1] != "authenticator" ||
		len(parts) == 5 && parts[4] != "used_by" {
		return endpoint{}, nil, false
	}
	h, ok := s.stageEndpoint(parts)
	if !ok {
		return endpoint{}, nil, false
	}
	if parts[2] == "duo" && len(parts) == 3 {
		h.options = s.duoOptions
	}
	return h, parts[3:min(len(parts), 4)], true
}
