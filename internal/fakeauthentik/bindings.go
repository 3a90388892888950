package fakeauthentik

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"

	"github.com/google/uuid"
)

// bindingRec is a FlowStageBinding: a stage bound to a flow at an order.
type bindingRec struct {
	pk, ptrID, target, stage string
	order                    int
}

// BindStageToFlow binds a stage to a flow, after its other stages (like
// POST /flows/bindings/): the flow then appears in the stage's flow_set and
// the stage in the flow's stages. Unknown flows are ignored.
func (s *Server) BindStageToFlow(flowPK, stagePK string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flowByPKLocked(flowPK) != nil {
		s.bindLocked(flowPK, stagePK)
	}
}

func (s *Server) bindLocked(flowPK, stagePK string) *bindingRec {
	order := 0
	for _, b := range s.bindings {
		if b.target == flowPK && b.order > order {
			order = b.order
		}
	}
	return s.addBindingLocked(flowPK, stagePK, order+10)
}

func (s *Server) addBindingLocked(flowPK, stagePK string, order int) *bindingRec {
	b := &bindingRec{pk: uuid.NewString(), ptrID: uuid.NewString(), target: flowPK, stage: stagePK, order: order}
	s.bindings = append(s.bindings, b)
	return b
}

// flowStagesLocked is a flow's stages in binding order.
func (s *Server) flowStagesLocked(flowPK string) []string {
	var bs []*bindingRec
	for _, b := range s.bindings {
		if b.target == flowPK {
			bs = append(bs, b)
		}
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].order < bs[j].order })
	out := []string{}
	for _, b := range bs {
		out = append(out, b.stage)
	}
	return out
}

// flowsOfStageLocked returns the flows a stage is bound to.
func (s *Server) flowsOfStageLocked(stagePK string) []*flowRec {
	var out []*flowRec
	for _, f := range s.flows {
		for _, b := range s.bindings {
			if b.target == f.PK && b.stage == stagePK {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func (s *Server) unbindStageLocked(stagePK string) {
	s.dropBindingsLocked(func(b *bindingRec) bool { return b.stage == stagePK })
}

func (s *Server) unbindFlowLocked(flowPK string) {
	s.dropBindingsLocked(func(b *bindingRec) bool { return b.target == flowPK })
}

func (s *Server) dropBindingsLocked(drop func(*bindingRec) bool) {
	kept := s.bindings[:0]
	for _, b := range s.bindings {
		if !drop(b) {
			kept = append(kept, b)
		}
	}
	s.bindings = kept
}

// stageObjLocked is a binding's stage_obj. The answer to the POST that made
// the binding serializes the base Stage (component "", verbose name
// "stage"); lists and reads resolve the subclass (recorded).
func (s *Server) stageObjLocked(pk string, subclass bool) obj {
	flowSet := []any{}
	for _, f := range s.flowsOfStageLocked(pk) {
		flowSet = append(flowSet, s.flowSetJSON(f))
	}
	name := s.stageNameLocked(pk)
	if r := s.stages.byPK[pk]; subclass && r != nil {
		return obj{{"pk", pk}, {"name", name}, {"component", r.kind.component()},
			{"verbose_name", r.kind.verbose}, {"verbose_name_plural", r.kind.verbose + "s"},
			{"meta_model_name", r.kind.metaModelName()}, {"flow_set", flowSet}}
	}
	return obj{{"pk", pk}, {"name", name}, {"component", ""}, {"verbose_name", "stage"}, {"verbose_name_plural", "stages"},
		{"meta_model_name", "authentik_flows.stage"}, {"flow_set", flowSet}}
}

// bindingJSON is FlowStageBindingSerializer.
func (s *Server) bindingJSON(b *bindingRec, subclass bool) obj {
	return obj{{"pk", b.pk}, {"policybindingmodel_ptr_id", b.ptrID}, {"target", b.target}, {"stage", b.stage},
		{"stage_obj", s.stageObjLocked(b.stage, subclass)}, {"evaluate_on_plan", false}, {"re_evaluate_policies", true},
		{"order", b.order}, {"policy_engine_mode", "any"}, {"invalid_response_action", "retry"}}
}

// bindingList is /flows/bindings/ (GET with target= and stage= filters,
// ordered by order; POST).
func (s *Server) bindingList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		s.bindingCreate(w, c)
		return
	}
	q := c.r.URL.Query()
	s.mu.Lock()
	var recs []*bindingRec
	for _, b := range s.bindings {
		if q.Has("target") && b.target != q.Get("target") || q.Has("stage") && b.stage != q.Get("stage") {
			continue
		}
		recs = append(recs, b)
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].order < recs[j].order })
	lo, hi, pag, ok := s.paginate(w, q, len(recs))
	if !ok {
		s.mu.Unlock()
		return
	}
	var results []any
	for _, b := range recs[lo:hi] {
		results = append(results, s.bindingJSON(b, true))
	}
	s.mu.Unlock()
	s.writePage(w, pag, results)
}

// bindingCreate is POST /flows/bindings/: target (a flow pk), stage (a
// stage pk) and order are required.
func (s *Server) bindingCreate(w http.ResponseWriter, c *call) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs obj
	ref := func(field string, exists func(string) bool) string {
		raw, present := data[field]
		if !present {
			errs = append(errs, kv{field, []string{msgRequired}})
			return ""
		}
		v, _ := raw.(string)
		pk, valid := parsePyUUID(v)
		switch {
		case raw == nil:
			errs = append(errs, kv{field, []string{msgNull}})
		case !valid:
			errs = append(errs, kv{field, []string{"“" + pyString(raw) + "” is not a valid UUID."}})
		case !exists(pk):
			errs = append(errs, kv{field, []string{fmt.Sprintf("Invalid pk \"%s\" - object does not exist.", v)}})
		}
		return pk
	}
	target := ref("target", func(pk string) bool { return s.flowByPKLocked(pk) != nil })
	stage := ref("stage", s.stageExistsLocked)
	order := 0
	switch raw := data["order"].(type) {
	case nil:
		errs = append(errs, kv{"order", []string{msgRequired}})
	case json.Number:
		n, err := raw.Int64()
		if err != nil {
			errs = append(errs, kv{"order", []string{"A valid integer is required."}})
		}
		order = int(n)
	default:
		errs = append(errs, kv{"order", []string{"A valid integer is required."}})
	}
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	writeJSON(w, http.StatusCreated, s.bindingJSON(s.addBindingLocked(target, stage, order), false))
}

func (s *Server) stageExistsLocked(pk string) bool {
	return s.relatedExistsLocked(relStage, pk)
}

// bindingDetail is /flows/bindings/{fsb_uuid}/ (GET, DELETE).
func (s *Server) bindingDetail(w http.ResponseWriter, c *call) {
	pk, valid := parsePyUUID(c.id)
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *bindingRec
	for _, b := range s.bindings {
		if valid && b.pk == pk {
			found = b
		}
	}
	switch {
	case !valid:
		writeDetail(w, http.StatusNotFound, msgNotFound)
	case found == nil:
		writeDetail(w, http.StatusNotFound, s.notFound("FlowStageBinding"))
	case c.method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.bindingJSON(found, true))
	case c.method == http.MethodDelete:
		s.dropBindingsLocked(func(b *bindingRec) bool { return b == found })
		writeNoContent(w)
	default:
		writeFault(w, WriteServerError) // PUT/PATCH of bindings are not modelled
	}
}
