package fakeauthentik

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/google/uuid"
)

// bindingRec is a FlowStageBinding: a stage bound to a flow at an order.
type bindingRec struct {
	pk, ptrID, target, stage string
	order                    int
	evaluateOnPlan           bool
	reEvaluatePolicies       bool
	policyEngineMode         string
	invalidResponseAction    string
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
	// The model's defaults: evaluate_on_plan False, re_evaluate_policies
	// True, policy_engine_mode "any", invalid_response_action "retry".
	b := &bindingRec{pk: uuid.NewString(), ptrID: uuid.NewString(), target: flowPK, stage: stagePK, order: order,
		reEvaluatePolicies: true, policyEngineMode: "any", invalidResponseAction: "retry"}
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
		{"stage_obj", s.stageObjLocked(b.stage, subclass)}, {"evaluate_on_plan", b.evaluateOnPlan},
		{"re_evaluate_policies", b.reEvaluatePolicies}, {"order", b.order}, {"policy_engine_mode", b.policyEngineMode},
		{"invalid_response_action", b.invalidResponseAction}}
}

// bindingList is /flows/bindings/ (GET with target=, stage= and order=
// filters, ordered by order; POST).
func (s *Server) bindingList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		s.bindingCreate(w, c)
		return
	}
	q := c.r.URL.Query()
	s.mu.Lock()
	var recs []*bindingRec
	for _, b := range s.bindings {
		if q.Has("target") && b.target != q.Get("target") || q.Has("stage") && b.stage != q.Get("stage") ||
			q.Has("order") && fmt.Sprint(b.order) != q.Get("order") {
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
	b := bindingRec{reEvaluatePolicies: true, policyEngineMode: "any", invalidResponseAction: "retry"}
	if errs := s.bindingApplyLocked(&b, data, false); errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	rec := s.addBindingLocked(b.target, b.stage, b.order)
	rec.evaluateOnPlan, rec.reEvaluatePolicies = b.evaluateOnPlan, b.reEvaluatePolicies
	rec.policyEngineMode, rec.invalidResponseAction = b.policyEngineMode, b.invalidResponseAction
	writeJSON(w, http.StatusCreated, s.bindingJSON(rec, false))
}

var (
	bindingOrder           = stageField{name: "order", min: ptrInt64(-2147483648), max: ptrInt64(2147483647)}
	policyEngineModes      = []string{"all", "any"}
	invalidResponseActions = []string{"retry", "restart", "restart_with_context"}
)

func ptrInt64(v int64) *int64 { return &v }

// bindingApplyLocked validates data as FlowStageBindingSerializer does and,
// when all of it is valid, writes it into b. A partial update (PATCH) needs
// no member; a create needs target, stage and order. The errors are DRF's,
// in the serializer's field order.
func (s *Server) bindingApplyLocked(b *bindingRec, data map[string]any, partial bool) obj {
	var errs obj
	next := *b
	ref := func(field string, exists func(string) bool, into *string) {
		raw, present := data[field]
		if !present {
			if !partial {
				errs = append(errs, kv{field, []string{msgRequired}})
			}
			return
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
		default:
			*into = pk
		}
	}
	ref("target", func(pk string) bool { return s.flowByPKLocked(pk) != nil }, &next.target)
	ref("stage", s.stageExistsLocked, &next.stage)
	check := func(field string, parse func(any) (any, any), set func(any)) {
		raw, present := data[field]
		if !present {
			if field == "order" && !partial {
				errs = append(errs, kv{field, []string{msgRequired}})
			}
			return
		}
		v, msgs := parse(raw)
		if msgs != nil {
			errs = append(errs, kv{field, msgs})
			return
		}
		set(v)
	}
	check("evaluate_on_plan", boolField, func(v any) { next.evaluateOnPlan = v.(bool) })
	check("re_evaluate_policies", boolField, func(v any) { next.reEvaluatePolicies = v.(bool) })
	check("order", func(raw any) (any, any) { return intField(&bindingOrder, raw) }, func(v any) { next.order = int(v.(int64)) })
	check("policy_engine_mode", func(raw any) (any, any) { return choice(policyEngineModes, raw) },
		func(v any) { next.policyEngineMode = v.(string) })
	check("invalid_response_action", func(raw any) (any, any) { return choice(invalidResponseActions, raw) },
		func(v any) { next.invalidResponseAction = v.(string) })
	if errs == nil {
		*b = next
	}
	return errs
}

func (s *Server) stageExistsLocked(pk string) bool {
	return s.relatedExistsLocked(relStage, pk)
}

// bindingDetail is /flows/bindings/{fsb_uuid}/ (GET, PATCH, DELETE).
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
	case c.method == http.MethodPatch:
		s.bindingPatchLocked(w, c, found)
	default:
		writeFault(w, WriteServerError) // PUT of bindings is not modelled
	}
}

// bindingPatchLocked is PATCH /flows/bindings/{fsb_uuid}/: a partial update
// validated as a create is, answered with the whole binding.
func (s *Server) bindingPatchLocked(w http.ResponseWriter, c *call, b *bindingRec) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	if errs := s.bindingApplyLocked(b, data, true); errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	writeJSON(w, http.StatusOK, s.bindingJSON(b, true))
}
