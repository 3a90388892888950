package fakeauthentik

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// stageEndpoint resolves /stages/authenticator/<segment>/[<id>/[used_by/]]
// for the kinds the imitated version has, and the WebAuthn device types.
func (s *Server) stageEndpoint(parts []string) (endpoint, bool) {
	const list, detail, readOnly = "GET, POST, HEAD, OPTIONS", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS", "GET, HEAD, OPTIONS"
	if parts[2] == "webauthn_device_types" {
		switch len(parts) {
		case 3:
			return endpoint{allow: readOnly, fn: s.deviceTypeList}, true
		case 4:
			return endpoint{allow: readOnly, fn: s.deviceTypeDetail}, true
		}
		return endpoint{}, false
	}
	k := stageKindBySegment(parts[2])
	if k == nil || stageSpec(s.version, k) == nil {
		return endpoint{}, false
	}
	sp := stageSpec(s.version, k)
	switch len(parts) {
	case 3:
		return endpoint{allow: list, fn: func(w http.ResponseWriter, c *call) { s.stageList(w, c, sp) }}, true
	case 4:
		return endpoint{allow: detail, fn: func(w http.ResponseWriter, c *call) { s.stageDetail(w, c, sp) }}, true
	}
	return endpoint{allow: readOnly, fn: func(w http.ResponseWriter, c *call) { s.stageUsedBy(w, c, sp) }}, true
}

// notFoundText is DRF's 404 detail for a well-formed pk that matches
// nothing: "Not found." up to DRF 3.14 (authentik ≤ 2025.2), then
// Django's "No <Model> matches the given query.". notFoundDuo is the Duo
// case of the same rule.
func (s *Server) notFoundText(model string) string {
	if s.prof.notFoundDuo == msgNotFound {
		return msgNotFound
	}
	return "No " + model + " matches the given query."
}

// stageList is GET (list) and POST (create) on /stages/authenticator/<kind>/.
func (s *Server) stageList(w http.ResponseWriter, c *call, sp *kindSpec) {
	if c.method == http.MethodPost {
		s.stageWrite(w, c, sp, "", false)
		return
	}
	q := c.r.URL.Query()
	s.mu.Lock()
	match, errs := s.stageFilterLocked(sp, q)
	if errs != nil {
		s.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	var recs []*stageRec
	for _, r := range s.stages.byPK {
		if r.kind == sp.kind && match(r) && searchMatch(q.Get("search"), r.name) {
			recs = append(recs, r)
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].pk < recs[j].pk })
	sortBy(recs, q.Get("ordering"), []string{"name"}, sp.orderingKeys())
	pag, results, ok := pageLocked(s, w, q, recs, func(r *stageRec) any { return s.stageJSONLocked(sp, r) })
	s.mu.Unlock()
	if ok {
		s.writePage(w, pag, results)
	}
}

// pageLocked renders the requested page of items. When the page does not
// exist it has answered 404 "Invalid page." and returns ok false.
func pageLocked[T any](s *Server, w http.ResponseWriter, q url.Values, items []T, render func(T) any) (obj, []any, bool) {
	lo, hi, pag, ok := s.paginate(w, q, len(items))
	if !ok {
		return nil, nil, false
	}
	results := make([]any, 0, hi-lo)
	for _, it := range items[lo:hi] {
		results = append(results, render(it))
	}
	return pag, results, true
}

// findStageLocked is the viewset's get_object: the stage of kind sp with
// the pk of the path, or the 404 detail to answer.
func (s *Server) findStageLocked(sp *kindSpec, id string) (*stageRec, string) {
	pk, ok := parsePyUUID(id)
	if !ok {
		return nil, msgNotFound // the URL's UUID converter refuses it
	}
	if r := s.stages.byPK[pk]; r != nil && r.kind == sp.kind {
		return r, ""
	}
	return nil, s.notFoundText(sp.kind.model)
}

// stageDetail is /stages/authenticator/<kind>/{stage_uuid}/.
func (s *Server) stageDetail(w http.ResponseWriter, c *call, sp *kindSpec) {
	s.mu.Lock()
	r, miss := s.findStageLocked(sp, c.id)
	if miss != "" {
		s.mu.Unlock()
		writeDetail(w, http.StatusNotFound, miss)
		return
	}
	switch c.method {
	case http.MethodGet:
		body := s.stageJSONLocked(sp, r)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	case http.MethodDelete:
		s.deleteStageLocked(r.pk)
		s.mu.Unlock()
		writeNoContent(w)
	default:
		s.mu.Unlock()
		s.stageWrite(w, c, sp, r.pk, c.method == http.MethodPatch)
	}
}

// stageWrite validates and applies a create (pk ""), PUT or PATCH.
func (s *Server) stageWrite(w http.ResponseWriter, c *call, sp *kindSpec, pk string, partial bool) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.stages.byPK[pk]
	if pk != "" && r == nil { // deleted meanwhile
		writeDetail(w, http.StatusNotFound, s.notFoundText(sp.kind.model))
		return
	}
	v := s.validateStageLocked(sp, data, pk, partial)
	switch {
	case len(v.errs) > 0:
		writeJSON(w, http.StatusBadRequest, v.errs)
		return
	case v.crash:
		// Django's error view refuses the write method (observations §1.1).
		writeFault(w, WriteServerError)
		return
	}
	status := http.StatusOK
	if r == nil {
		r = &stageRec{kind: sp.kind, pk: uuid.NewString(), values: map[string]any{}}
		for name, d := range sp.defaults {
			r.values[name] = cloneValue(d)
		}
		s.stages.byPK[r.pk] = r
		status = http.StatusCreated
	}
	for name, val := range v.set {
		switch {
		case name == "name":
			r.name = val.(string)
		case sp.byName[name].typ == ftPKList:
			old, _ := r.values[name].([]string)
			r.values[name] = setMany(old, val.([]string))
		default:
			r.values[name] = val
		}
	}
	writeJSON(w, status, s.stageJSONLocked(sp, r))
}

// stageJSONLocked is the stage serializer's output: the response
// component's members in order, write-only fields never.
func (s *Server) stageJSONLocked(sp *kindSpec, r *stageRec) obj {
	o := make(obj, 0, len(sp.output))
	for _, name := range sp.output {
		var v any
		switch name {
		case "pk":
			v = r.pk
		case "name":
			v = r.name
		case "component":
			v = sp.kind.component()
		case "verbose_name":
			v = sp.kind.verbose
		case "verbose_name_plural":
			v = sp.kind.verbose + "s"
		case "meta_model_name":
			v = sp.kind.metaModelName()
		case "flow_set":
			flows := []any{}
			for _, f := range s.flowsOfStageLocked(r.pk) {
				flows = append(flows, s.flowSetJSON(f))
			}
			v = flows
		default:
			v = s.stageValueLocked(sp, r, name)
		}
		o = append(o, kv{name, v})
	}
	return o
}

// stageValueLocked is one stored field; an X_obj member expands the device
// types of X.
func (s *Server) stageValueLocked(sp *kindSpec, r *stageRec, name string) any {
	if base, ok := strings.CutSuffix(name, "_obj"); ok && sp.byName[base] != nil {
		objs := []any{}
		pks, _ := r.values[base].([]string)
		for _, pk := range pks {
			if d := s.deviceTypeLocked(pk); d != nil {
				objs = append(objs, deviceTypeJSON(d))
			}
		}
		return objs
	}
	v, ok := r.values[name]
	if !ok {
		v = sp.defaults[name]
	}
	return v
}

// stageUsedBy is GET …/{stage_uuid}/used_by/: authentik's UsedByMixin
// walks the model's managers by attribute name (configuration_stages,
// device_type_restrictions, flow_set, webauthn_allowed_device_types, …)
// and lists each one's objects.
func (s *Server) stageUsedBy(w http.ResponseWriter, c *call, sp *kindSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, miss := s.findStageLocked(sp, c.id)
	if miss != "" {
		writeDetail(w, http.StatusNotFound, miss)
		return
	}
	groups := map[string][]any{}
	for _, f := range s.flowsOfStageLocked(r.pk) {
		groups["flow_set"] = append(groups["flow_set"], usedBy("authentik_flows", "flow", f.PK, "Flow "+f.Name+" ("+f.Slug+")"))
	}
	for _, f := range sp.fields {
		pks, _ := r.values[f.name].([]string)
		for _, p := range pks {
			switch f.rel {
			case relStage:
				groups[f.name] = append(groups[f.name], usedBy("authentik_flows", "stage", p, "Stage "+s.stageNameLocked(p)))
			case relDeviceType:
				if d := s.deviceTypeLocked(p); d != nil {
					groups[f.name] = append(groups[f.name], usedBy("authentik_stages_authenticator_webauthn", "webauthndevicetype",
						p, "WebAuthn device type "+d.Description+" ("+p+")"))
				}
			}
		}
	}
	for _, b := range s.bindings {
		if b.stage == r.pk {
			groups["flowstagebinding_set"] = append(groups["flowstagebinding_set"], obj{{"app", "authentik_flows"},
				{"model_name", "flowstagebinding"}, {"pk", b.pk}, {"name", fmt.Sprintf("Flow-stage binding #%d to %s", b.order, b.target)},
				{"action", "cascade"}})
		}
	}
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []any{}
	for _, n := range names {
		out = append(out, groups[n]...)
	}
	writeJSON(w, http.StatusOK, out)
}

func usedBy(app, model, pk, name string) obj {
	return obj{{"app", app}, {"model_name", model}, {"pk", pk}, {"name", name}, {"action", "cascade_many"}}
}

func (s *Server) stageNameLocked(pk string) string {
	if r := s.stages.byPK[pk]; r != nil {
		return r.name
	}
	name, _ := s.otherStagePKLocked(pk)
	return name
}
