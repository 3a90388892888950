package fakeauthentik

// DuoStage is a Duo authenticator setup stage as the server stores it,
// secrets included so tests can assert what was sent. It is the typed view
// of a Stage of kind "duo".
type DuoStage struct {
	PK, Name      string
	ConfigureFlow *string
	FriendlyName  *string // nil = SQL NULL (only possible on 2024.10 semantics)

	ClientID, ClientSecret, APIHostname, AdminIntegrationKey, AdminSecretKey string
}

func (d DuoStage) stage() Stage {
	f := map[string]any{
		"client_id": d.ClientID, "client_secret": d.ClientSecret, "api_hostname": d.APIHostname,
		"admin_integration_key": d.AdminIntegrationKey, "admin_secret_key": d.AdminSecretKey,
		"configure_flow": nil, "friendly_name": nil,
	}
	if d.ConfigureFlow != nil {
		f["configure_flow"] = *d.ConfigureFlow
	}
	if d.FriendlyName != nil {
		f["friendly_name"] = *d.FriendlyName
	}
	return Stage{Kind: "duo", PK: d.PK, Name: d.Name, Fields: f}
}

func duoOf(st Stage) DuoStage {
	str := func(k string) string { v, _ := st.Fields[k].(string); return v }
	ptr := func(k string) *string {
		if v, ok := st.Fields[k].(string); ok {
			return &v
		}
		return nil
	}
	return DuoStage{
		PK: st.PK, Name: st.Name, ConfigureFlow: ptr("configure_flow"), FriendlyName: ptr("friendly_name"),
		ClientID: str("client_id"), ClientSecret: str("client_secret"), APIHostname: str("api_hostname"),
		AdminIntegrationKey: str("admin_integration_key"), AdminSecretKey: str("admin_secret_key"),
	}
}

// DuoStage returns the stored Duo stage with this pk.
func (s *Server) DuoStage(pk string) (DuoStage, bool) {
	st, ok := s.Stage(pk)
	if !ok || st.Kind != "duo" {
		return DuoStage{}, false
	}
	return duoOf(st), true
}

// DuoStageByName returns the stored Duo stage with exactly this name.
func (s *Server) DuoStageByName(name string) (DuoStage, bool) {
	st, ok := s.StageByName(name)
	if !ok || st.Kind != "duo" {
		return DuoStage{}, false
	}
	return duoOf(st), true
}

// DuoStages returns every stored Duo stage, ordered by name.
func (s *Server) DuoStages() []DuoStage {
	var out []DuoStage
	for _, st := range s.Stages("duo") {
		out = append(out, duoOf(st))
	}
	return out
}

// PutDuoStage inserts or replaces a stage, as an admin editing it in the UI
// would (no validation). It fills PK if empty. On 2025.10+ a nil FriendlyName
// is stored as "" (the column is no longer nullable).
func (s *Server) PutDuoStage(st DuoStage) DuoStage {
	return duoOf(s.PutStage(st.stage()))
}

// DeleteDuoStage deletes a Duo stage (and its flow bindings).
func (s *Server) DeleteDuoStage(pk string) bool {
	if _, ok := s.DuoStage(pk); !ok {
		return false
	}
	return s.DeleteStage(pk)
}
