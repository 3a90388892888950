package fakeauthentik

import (
	"net/http"

	"github.com/google/uuid"
)

// Flow is a flow as the fake stores it.
type Flow struct {
	PK, Name, Slug, Title, Designation, PolicyEngineMode, Layout, DeniedAction string
	CompatibilityMode                                                          bool
}

type flowRec struct {
	Flow
	ptrID          string   // policybindingmodel_ptr_id
	authentication string   // "none" or "require_authenticated"
	policies       []string // bound policy pks (only seeded ones)
}

const flowBackground = "/static/dist/assets/images/flow_background.jpg"

// seed creates the default flows (and the names of their non-Duo stages) of a
// fresh authentik, as seen in the transcripts.
func (s *Server) seed() {
	defaults := []struct {
		name, slug, title, designation, auth string
		stages                               []string
	}{
		{"Welcome to authentik!", "default-authentication-flow", "Welcome to authentik!", "authentication", "none",
			[]string{"default-authentication-identification", "default-authentication-password", "default-authentication-mfa-validation", "default-authentication-login"}},
		{"default-authenticator-static-setup", "default-authenticator-static-setup", "Setup Static OTP Tokens", "stage_configuration", "require_authenticated",
			[]string{"default-authenticator-static-setup"}},
		{"default-authenticator-totp-setup", "default-authenticator-totp-setup", s.prof.totpSetupTitle, "stage_configuration", "require_authenticated",
			[]string{"default-authenticator-totp-setup"}},
		{"default-authenticator-webauthn-setup", "default-authenticator-webauthn-setup", "Setup WebAuthn", "stage_configuration", "require_authenticated",
			[]string{"default-authenticator-webauthn-setup"}},
		{"Change Password", "default-password-change", "Change password", "stage_configuration", "require_authenticated",
			[]string{"default-password-change-prompt", "default-password-change-write"}},
		{"Pre-Authentication", "default-source-pre-authentication", "Pre-authentication", "stage_configuration", "none", nil},
		{"User settings", "default-user-settings-flow", "Update your info", "stage_configuration", "require_authenticated",
			[]string{"default-user-settings", "default-user-settings-write"}},
		{"default-oobe-setup", "initial-setup", "Welcome to authentik!", "stage_configuration", "none",
			[]string{"stage-default-oobe-password", "default-authentication-login", "stage-default-oobe-prompt"}},
		{"Logout", "default-invalidation-flow", "Default Invalidation Flow", "invalidation", "none",
			[]string{"default-invalidation-logout"}},
		{"Authorize Application", "default-provider-authorization-implicit-consent", "Redirecting to %(app)s", "authorization", "require_authenticated", nil},
	}
	for _, d := range defaults {
		f := s.AddFlow(Flow{Name: d.name, Slug: d.slug, Title: d.title, Designation: d.designation})
		s.mu.Lock()
		rec := s.flowBySlugLocked(f.Slug)
		rec.authentication = d.auth
		for _, st := range d.stages {
			pk, ok := s.otherStage[st]
			if !ok {
				pk = uuid.NewString()
				s.otherStage[st] = pk
			}
			s.bindLocked(rec.PK, pk)
		}
		if d.slug == "initial-setup" {
			// The OOBE flow has one policy bound (it may run only once).
			rec.policies = []string{uuid.NewString()}
		}
		s.mu.Unlock()
	}
}

// AddFlow stores a flow. It fills PK (a new UUID) and the defaults
// policy_engine_mode "any", layout "stacked" and denied_action
// "message_continue". A flow with the same slug is replaced.
func (s *Server) AddFlow(f Flow) Flow {
	if f.PK == "" {
		f.PK = uuid.NewString()
	}
	if f.PolicyEngineMode == "" {
		f.PolicyEngineMode = "any"
	}
	if f.Layout == "" {
		f.Layout = "stacked"
	}
	if f.DeniedAction == "" {
		f.DeniedAction = "message_continue"
	}
	if f.Title == "" {
		f.Title = f.Name
	}
	rec := &flowRec{Flow: f, ptrID: uuid.NewString(), authentication: "none"}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, old := range s.flows {
		if old.Slug == f.Slug {
			s.flows[i] = rec
			return f
		}
	}
	s.flows = append(s.flows, rec)
	return f
}

// FlowBySlug returns the flow with this slug.
func (s *Server) FlowBySlug(slug string) (Flow, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.flowBySlugLocked(slug); rec != nil {
		return rec.Flow, true
	}
	return Flow{}, false
}

// Flows returns every flow, ordered by slug.
func (s *Server) Flows() []Flow {
	s.mu.Lock()
	recs := append([]*flowRec(nil), s.flows...)
	s.mu.Unlock()
	sortBy(recs, "", []string{"slug"}, flowOrdering)
	out := make([]Flow, len(recs))
	for i, r := range recs {
		out[i] = r.Flow
	}
	return out
}

func (s *Server) flowBySlugLocked(slug string) *flowRec {
	for _, f := range s.flows {
		if f.Slug == slug {
			return f
		}
	}
	return nil
}

func (s *Server) flowByPKLocked(pk string) *flowRec {
	for _, f := range s.flows {
		if f.PK == pk {
			return f
		}
	}
	return nil
}

var flowOrdering = map[string]func(*flowRec) string{
	"pk":                 func(f *flowRec) string { return f.PK },
	"name":               func(f *flowRec) string { return f.Name },
	"slug":               func(f *flowRec) string { return f.Slug },
	"title":              func(f *flowRec) string { return f.Title },
	"designation":        func(f *flowRec) string { return f.Designation },
	"policy_engine_mode": func(f *flowRec) string { return f.PolicyEngineMode },
	"layout":             func(f *flowRec) string { return f.Layout },
	"denied_action":      func(f *flowRec) string { return f.DeniedAction },
}

func (s *Server) exportURL(f *flowRec) string {
	return "/api/v3/flows/instances/" + f.Slug + "/export/"
}

// flowJSON is the Flow serializer output.
func (s *Server) flowJSON(f *flowRec) obj {
	o := obj{{"pk", f.PK}, {"policybindingmodel_ptr_id", f.ptrID}, {"name", f.Name}, {"slug", f.Slug}, {"title", f.Title}, {"designation", f.Designation}}
	if s.prof.backgroundURL {
		o = append(o, kv{"background", ""}, kv{"background_url", flowBackground}, kv{"background_themed_urls", nil})
	} else {
		o = append(o, kv{"background", flowBackground})
	}
	stages := s.flowStagesLocked(f.PK)
	return append(o,
		kv{"stages", stages}, kv{"policies", append([]string{}, f.policies...)}, kv{"cache_count", 0},
		kv{"policy_engine_mode", f.PolicyEngineMode}, kv{"compatibility_mode", f.CompatibilityMode},
		kv{"export_url", s.exportURL(f)}, kv{"layout", f.Layout}, kv{"denied_action", f.DeniedAction},
		kv{"authentication", f.authentication})
}

// flowSetJSON is one item of a stage's flow_set.
func (s *Server) flowSetJSON(f *flowRec) obj {
	bg := "background"
	if s.prof.backgroundURL {
		bg = "background_url"
	}
	return obj{{"pk", f.PK}, {"policybindingmodel_ptr_id", f.ptrID}, {"name", f.Name}, {"slug", f.Slug}, {"title", f.Title},
		{"designation", f.Designation}, {bg, flowBackground}, {"policy_engine_mode", f.PolicyEngineMode},
		{"compatibility_mode", f.CompatibilityMode}, {"export_url", s.exportURL(f)}, {"layout", f.Layout}, {"denied_action", f.DeniedAction}}
}

// flowList is GET /flows/instances/.
func (s *Server) flowList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		s.flowCreate(w, c)
		return
	}
	q := c.r.URL.Query()
	s.mu.Lock()
	var recs []*flowRec
	for _, f := range s.flows {
		if q.Has("slug") && f.Slug != q.Get("slug") ||
			q.Has("name") && f.Name != q.Get("name") ||
			q.Has("designation") && f.Designation != q.Get("designation") ||
			q.Has("flow_uuid") && f.PK != q.Get("flow_uuid") ||
			!searchMatch(q.Get("search"), f.Name, f.Slug, f.Designation, f.Title) {
			continue
		}
		recs = append(recs, f)
	}
	sortBy(recs, q.Get("ordering"), []string{"slug"}, flowOrdering)
	lo, hi, pag, ok := s.paginate(w, q, len(recs))
	if !ok {
		s.mu.Unlock()
		return
	}
	var results []any
	for _, f := range recs[lo:hi] {
		results = append(results, s.flowJSON(f))
	}
	s.mu.Unlock()
	s.writePage(w, pag, results)
}

// flowDetail is /flows/instances/{slug}/ (GET and DELETE).
func (s *Server) flowDetail(w http.ResponseWriter, c *call) {
	s.mu.Lock()
	f := s.flowBySlugLocked(c.id)
	if f == nil {
		s.mu.Unlock()
		writeDetail(w, http.StatusNotFound, s.prof.notFoundFlow)
		return
	}
	switch c.method {
	case http.MethodGet:
		body := s.flowJSON(f)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	case http.MethodDelete:
		for i, g := range s.flows {
			if g == f {
				s.flows = append(s.flows[:i], s.flows[i+1:]...)
				break
			}
		}
		s.flowDeletedLocked(f.PK) // stages' configure_flow: on_delete=SET_NULL
		s.unbindFlowLocked(f.PK)  // its bindings go with it (CASCADE)
		s.mu.Unlock()
		writeNoContent(w)
	default:
		// PUT/PATCH of flows are not modelled.
		s.mu.Unlock()
		writeFault(w, WriteServerError)
	}
}

// flowCreate is POST /flows/instances/: name, slug (unique), title and
// designation are required; the rest takes the model's defaults.
func (s *Server) flowCreate(w http.ResponseWriter, c *call) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	s.mu.Lock()
	errs := s.flowErrorsLocked(data)
	s.mu.Unlock()
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	str := func(k string) string { v, _ := data[k].(string); return v }
	f := s.AddFlow(Flow{Name: str("name"), Slug: str("slug"), Title: str("title"), Designation: str("designation"),
		PolicyEngineMode: str("policy_engine_mode"), Layout: str("layout"), DeniedAction: str("denied_action")})
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.flowBySlugLocked(f.Slug)
	if a := str("authentication"); a != "" {
		rec.authentication = a
	}
	writeJSON(w, http.StatusCreated, s.flowJSON(rec))
}
