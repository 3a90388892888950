package fakeauthentik

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/google/uuid"
)

// DuoStage is a Duo authenticator setup stage as the server stores it,
// secrets included so tests can assert what was sent.
type DuoStage struct {
	PK, Name      string
	ConfigureFlow *string
	FriendlyName  *string // nil = SQL NULL (only possible on 2024.10 semantics)

	ClientID, ClientSecret, APIHostname, AdminIntegrationKey, AdminSecretKey string
}

func (d DuoStage) clone() DuoStage {
	if d.ConfigureFlow != nil {
		v := *d.ConfigureFlow
		d.ConfigureFlow = &v
	}
	if d.FriendlyName != nil {
		v := *d.FriendlyName
		d.FriendlyName = &v
	}
	return d
}

// DuoStage returns the stored stage with this pk.
func (s *Server) DuoStage(pk string) (DuoStage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.duo[pk]; ok {
		return st.clone(), true
	}
	return DuoStage{}, false
}

// DuoStageByName returns the stored stage with exactly this name.
func (s *Server) DuoStageByName(name string) (DuoStage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.duo {
		if st.Name == name {
			return st.clone(), true
		}
	}
	return DuoStage{}, false
}

// DuoStages returns every stored stage, ordered by name.
func (s *Server) DuoStages() []DuoStage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]DuoStage, 0, len(s.duo))
	for _, st := range s.duo {
		out = append(out, st.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PutDuoStage inserts or replaces a stage, as an admin editing it in the UI
// would (no validation). It fills PK if empty. On 2025.12+ a nil FriendlyName
// is stored as "" (the column is no longer nullable).
func (s *Server) PutDuoStage(st DuoStage) DuoStage {
	if st.PK == "" {
		st.PK = uuid.NewString()
	}
	st = st.clone()
	if st.FriendlyName == nil && !s.prof.friendlyNullable {
		empty := ""
		st.FriendlyName = &empty
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := st
	s.duo[st.PK] = &stored
	return st.clone()
}

// DeleteDuoStage deletes a stage (and its flow bindings).
func (s *Server) DeleteDuoStage(pk string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteDuoLocked(pk)
}

func (s *Server) deleteDuoLocked(pk string) bool {
	if _, ok := s.duo[pk]; !ok {
		return false
	}
	delete(s.duo, pk)
	s.unbindStageLocked(pk)
	return true
}

// duoJSON is the AuthenticatorDuoStage serializer output (no secrets).
func (s *Server) duoJSON(st *DuoStage) obj {
	flowSet := []any{}
	for _, f := range s.flowsOfStageLocked(st.PK) {
		flowSet = append(flowSet, s.flowSetJSON(f))
	}
	var configure, friendly any
	if st.ConfigureFlow != nil {
		configure = *st.ConfigureFlow
	}
	if st.FriendlyName != nil {
		friendly = *st.FriendlyName
	}
	return obj{
		{"pk", st.PK},
		{"name", st.Name},
		{"component", "ak-stage-authenticator-duo-form"},
		{"verbose_name", "Duo Authenticator Setup Stage"},
		{"verbose_name_plural", "Duo Authenticator Setup Stages"},
		{"meta_model_name", "authentik_stages_authenticator_duo.authenticatorduostage"},
		{"flow_set", flowSet},
		{"configure_flow", configure},
		{"friendly_name", friendly},
		{"client_id", st.ClientID},
		{"api_hostname", st.APIHostname},
		{"admin_integration_key", st.AdminIntegrationKey},
	}
}

var duoOrdering = map[string]func(*DuoStage) string{
	"pk":                    func(d *DuoStage) string { return d.PK },
	"name":                  func(d *DuoStage) string { return d.Name },
	"client_id":             func(d *DuoStage) string { return d.ClientID },
	"api_hostname":          func(d *DuoStage) string { return d.APIHostname },
	"admin_integration_key": func(d *DuoStage) string { return d.AdminIntegrationKey },
	"friendly_name":         func(d *DuoStage) string { return deref(d.FriendlyName) },
	"configure_flow":        func(d *DuoStage) string { return deref(d.ConfigureFlow) },
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// duoList is /stages/authenticator/duo/ (GET list, POST create).
func (s *Server) duoList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		s.duoWrite(w, c, nil, false)
		return
	}
	q := c.r.URL.Query()
	var flowFilter string
	if q.Has("configure_flow") && q.Get("configure_flow") != "" {
		u, ok := parsePyUUID(q.Get("configure_flow"))
		if !ok {
			writeJSON(w, http.StatusBadRequest, obj{{"configure_flow", []string{"Enter a valid UUID."}}})
			return
		}
		flowFilter = u
	}
	s.mu.Lock()
	var recs []*DuoStage
	for _, st := range s.duo {
		if q.Get("name") != "" && st.Name != q.Get("name") ||
			q.Get("client_id") != "" && st.ClientID != q.Get("client_id") ||
			q.Get("api_hostname") != "" && st.APIHostname != q.Get("api_hostname") ||
			flowFilter != "" && deref(st.ConfigureFlow) != flowFilter ||
			!searchMatch(q.Get("search"), st.Name) {
			continue
		}
		recs = append(recs, st)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].PK < recs[j].PK })
	sortBy(recs, q.Get("ordering"), []string{"name"}, duoOrdering)
	lo, hi, pag, ok := s.paginate(w, q, len(recs))
	if !ok {
		s.mu.Unlock()
		return
	}
	var results []any
	for _, st := range recs[lo:hi] {
		results = append(results, s.duoJSON(st))
	}
	s.mu.Unlock()
	s.writePage(w, pag, results)
}

// duoDetail is /stages/authenticator/duo/{stage_uuid}/.
func (s *Server) duoDetail(w http.ResponseWriter, c *call) {
	pk, ok := parsePyUUID(c.id)
	if !ok {
		writeDetail(w, http.StatusNotFound, msgNotFound)
		return
	}
	s.mu.Lock()
	st, found := s.duo[pk]
	if !found {
		s.mu.Unlock()
		writeDetail(w, http.StatusNotFound, s.prof.notFoundDuo)
		return
	}
	switch c.method {
	case http.MethodGet:
		body := s.duoJSON(st)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	case http.MethodDelete:
		s.deleteDuoLocked(pk)
		s.mu.Unlock()
		writeNoContent(w)
	default:
		s.mu.Unlock()
		s.duoWrite(w, c, &pk, c.method == http.MethodPatch)
	}
}

// duoUsedBy is GET /stages/authenticator/duo/{stage_uuid}/used_by/.
func (s *Server) duoUsedBy(w http.ResponseWriter, c *call) {
	pk, ok := parsePyUUID(c.id)
	if !ok {
		writeDetail(w, http.StatusNotFound, msgNotFound)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, found := s.duo[pk]; !found {
		writeDetail(w, http.StatusNotFound, s.prof.notFoundDuo)
		return
	}
	out := []any{}
	for _, f := range s.flowsOfStageLocked(pk) {
		out = append(out, obj{{"app", "authentik_flows"}, {"model_name", "flow"}, {"pk", f.PK},
			{"name", "Flow " + f.Name + " (" + f.Slug + ")"}, {"action", "cascade_many"}})
	}
	for _, b := range s.bindings {
		if b.stage == pk {
			out = append(out, obj{{"app", "authentik_flows"}, {"model_name", "flowstagebinding"}, {"pk", b.pk},
				{"name", fmt.Sprintf("Flow-stage binding #%d to %s", b.order, b.target)}, {"action", "cascade"}})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// duoWrite validates and applies a create (pk nil), PUT or PATCH.
func (s *Server) duoWrite(w http.ResponseWriter, c *call, pk *string, partial bool) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if pk != nil {
		if _, found := s.duo[*pk]; !found { // deleted meanwhile
			writeDetail(w, http.StatusNotFound, s.prof.notFoundDuo)
			return
		}
	}
	v := s.validateDuoLocked(data, pk, partial)
	if len(v.errs) > 0 {
		writeJSON(w, http.StatusBadRequest, v.errs)
		return
	}
	if v.flowSetSent {
		// 2024.10: DRF asserts on writable nested fields; the unhandled
		// exception becomes the 405 of Django's error view.
		writeFault(w, WriteServerError)
		return
	}
	var st *DuoStage
	status := http.StatusOK
	if pk == nil {
		st = &DuoStage{PK: uuid.NewString()}
		if !s.prof.friendlyNullable {
			empty := ""
			st.FriendlyName = &empty
		}
		s.duo[st.PK] = st
		status = http.StatusCreated
	} else {
		st = s.duo[*pk]
	}
	v.apply(st)
	writeJSON(w, status, s.duoJSON(st))
}
