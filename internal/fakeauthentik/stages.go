package fakeauthentik

import (
	"hash/fnv"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// Stage is an authenticator stage of any kind as the fake stores it: every
// field the API accepts, write-only secrets included, so that tests can
// assert what was sent.
type Stage struct {
	Kind string // path segment: duo, totp, static, webauthn, sms, email, validate, endpoint_gdtc
	PK   string
	Name string
	// Fields holds every other field by its API name, as JSON values:
	// string, nil (NULL), bool, int64, []string (lists and many-to-many pks)
	// or map[string]any (JSON objects).
	Fields map[string]any
}

// stageStore holds the stages of every kind and the WebAuthn device types.
type stageStore struct {
	byPK        map[string]*stageRec
	deviceTypes []*deviceType // ordered by aaguid
	licensed    bool          // a valid enterprise licence is installed
}

type stageRec struct {
	kind   *stageKind
	pk     string
	name   string
	values map[string]any // see Stage.Fields
}

func (r *stageRec) export() Stage {
	st := Stage{Kind: r.kind.segment, PK: r.pk, Name: r.name, Fields: map[string]any{}}
	for k, v := range r.values {
		st.Fields[k] = cloneValue(v)
	}
	return st
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case []string:
		return slices.Clone(x)
	case map[string]any:
		return maps.Clone(x)
	}
	return v
}

// Stage returns the stored stage with this pk, of any kind.
func (s *Server) Stage(pk string) (Stage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.stages.byPK[pk]; ok {
		return r.export(), true
	}
	return Stage{}, false
}

// StageByName returns the stored stage with exactly this name, of any kind
// (names are unique across all stages).
func (s *Server) StageByName(name string) (Stage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.stages.byPK {
		if r.name == name {
			return r.export(), true
		}
	}
	return Stage{}, false
}

// Stages returns every stored stage of one kind (a path segment such as
// "totp"; "" for all kinds), ordered by name.
func (s *Server) Stages(kind string) []Stage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Stage
	for _, r := range s.stages.byPK {
		if kind == "" || r.kind.segment == kind {
			out = append(out, r.export())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PutStage inserts or replaces a stage, as an admin editing it in the UI
// would: no validation. It fills PK if empty, and every field the imitated
// version has but st leaves out (or sets to nil where the column is not
// nullable) with the model's default. It panics on an unknown kind, or a
// kind the version does not have.
func (s *Server) PutStage(st Stage) Stage {
	k := stageKindBySegment(st.Kind)
	if k == nil || stageSpec(s.version, k) == nil {
		panic("fakeauthentik: no stage kind " + st.Kind + " in " + string(s.version))
	}
	sp := stageSpec(s.version, k)
	if st.PK == "" {
		st.PK = uuid.NewString()
	}
	r := &stageRec{kind: k, pk: st.PK, name: st.Name, values: map[string]any{}}
	for name, d := range sp.defaults {
		v, ok := st.Fields[name]
		if !ok || v == nil && !sp.byName[name].nullable {
			v = d
		}
		r.values[name] = cloneValue(v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stages.byPK[r.pk] = r
	return r.export()
}

// DeleteStage deletes a stage of any kind, with its flow bindings and its
// place in other stages' configuration_stages.
func (s *Server) DeleteStage(pk string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteStageLocked(pk)
}

// SetEnterpriseLicense installs (true) or removes a valid enterprise
// licence. Without one, which is how a fresh authentik starts, every write
// to an enterprise stage (endpoint_gdtc) fails with
// {"non_field_errors":["Enterprise is required to create/update this object."]}.
func (s *Server) SetEnterpriseLicense(valid bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stages.licensed = valid
}

func (s *Server) deleteStageLocked(pk string) bool {
	if _, ok := s.stages.byPK[pk]; !ok {
		return false
	}
	delete(s.stages.byPK, pk)
	s.unbindStageLocked(pk)
	s.dropReferencesLocked(relStage, pk)
	return true
}

// dropReferencesLocked removes pk from every many-to-many field into rel,
// as deleting the row removes its through-table rows.
func (s *Server) dropReferencesLocked(rel relKind, pk string) {
	for _, r := range s.stages.byPK {
		for _, f := range stageSpec(s.version, r.kind).fields {
			if f.typ == ftPKList && f.rel == rel {
				if pks, ok := r.values[f.name].([]string); ok {
					r.values[f.name] = slices.DeleteFunc(slices.Clone(pks), func(p string) bool { return p == pk })
				}
			}
		}
	}
}

// flowDeletedLocked applies on_delete=SET_NULL of every stage's
// configure_flow.
func (s *Server) flowDeletedLocked(flowPK string) {
	for _, r := range s.stages.byPK {
		if v, ok := r.values["configure_flow"].(string); ok && v == flowPK {
			r.values["configure_flow"] = nil
		}
	}
}

// stageNameTakenLocked is the unique validator of Stage.name, across all
// kinds and the seeded stages the fake keeps only by name.
func (s *Server) stageNameTakenLocked(name string, self string) bool {
	if _, ok := s.otherStage[name]; ok {
		return true
	}
	for pk, r := range s.stages.byPK {
		if r.name == name && pk != self {
			return true
		}
	}
	return false
}

func (s *Server) relatedExistsLocked(rel relKind, pk string) bool {
	switch rel {
	case relFlow:
		return s.flowByPKLocked(pk) != nil
	case relStage:
		_, named := s.otherStagePKLocked(pk)
		return s.stages.byPK[pk] != nil || named
	case relDeviceType:
		return s.deviceTypeLocked(pk) != nil
	}
	return false
}

func (s *Server) otherStagePKLocked(pk string) (string, bool) {
	for name, p := range s.otherStage {
		if p == pk {
			return name, true
		}
	}
	return "", false
}

// setMany is Django's RelatedManager.set(): rows that stay keep their place,
// the new ones are inserted in the iteration order of a Python set, and a
// plain query returns them in insertion order. That order depends on
// Python's per-process string hash seed, so clients must not rely on it;
// the fake stands it in with a fixed hash, so that it is neither the request
// order nor sorted.
func setMany(old, want []string) []string {
	keep := map[string]bool{}
	for _, p := range want {
		keep[p] = true
	}
	out := []string{}
	for _, p := range old {
		if keep[p] {
			out = append(out, p)
			delete(keep, p)
		}
	}
	added := slices.Collect(maps.Keys(keep))
	sort.Slice(added, func(i, j int) bool { return setOrder(added[i]) < setOrder(added[j]) })
	return append(out, added...)
}

func setOrder(pk string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(pk)))
	return h.Sum32()
}

// seedStages turns the authenticator stages of a fresh authentik, which
// seed() bound to the default flows by name only, into real records with the
// values the default blueprints give them (as both real servers list them),
// and adds the names of the default stages bound to flows the fake does not
// seed.
func (s *Server) seedStages() {
	s.mu.Lock()
	s.stages.byPK = map[string]*stageRec{}
	flowPK := func(slug string) any {
		if f := s.flowBySlugLocked(slug); f != nil {
			return f.PK
		}
		return nil
	}
	defaults := []struct {
		kind, name string
		fields     map[string]any
	}{
		{"static", "default-authenticator-static-setup", map[string]any{
			"configure_flow": flowPK("default-authenticator-static-setup"), "friendly_name": "Static tokens"}},
		{"totp", "default-authenticator-totp-setup", map[string]any{
			"configure_flow": flowPK("default-authenticator-totp-setup"), "friendly_name": "TOTP Device", "digits": "6"}},
		{"webauthn", "default-authenticator-webauthn-setup", map[string]any{
			"configure_flow": flowPK("default-authenticator-webauthn-setup"), "friendly_name": "WebAuthn device"}},
		{"validate", "default-authentication-mfa-validation", nil},
	}
	pks := map[string]string{}
	for _, d := range defaults {
		pks[d.name] = s.otherStage[d.name]
		delete(s.otherStage, d.name)
	}
	for _, name := range []string{"default-provider-authorization-consent", "default-source-authentication-login",
		"default-source-enrollment-login", "default-source-enrollment-prompt", "default-source-enrollment-write"} {
		if _, ok := s.otherStage[name]; !ok {
			s.otherStage[name] = uuid.NewString()
		}
	}
	s.mu.Unlock()
	for _, d := range defaults {
		s.PutStage(Stage{Kind: d.kind, PK: pks[d.name], Name: d.name, Fields: d.fields})
	}
	s.seedDeviceTypes()
}
