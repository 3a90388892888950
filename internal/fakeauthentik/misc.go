package fakeauthentik

import (
	"embed"
	"net/http"
	"strings"
)

// The OPTIONS metadata of the Duo stage list and the admin TOTP list, as the
// real servers answered it (calls [80] and [118] of testdata/real/transcript-*;
// testdata/options/README.md). 2025.10 is not recorded: its Duo metadata is
// 2024.10's (flow_set was writable until 2025.12), its TOTP metadata
// 2025.12's (user since 2025.2).
//
//go:embed testdata/options/*.json
var optionsFS embed.FS

func (s *Server) optionsFile(kind string) string {
	v := "2025.12"
	if s.version == V2024_10 || s.version == V2025_10 && kind == "duo" {
		v = "2024.10"
	}
	b, err := optionsFS.ReadFile("testdata/options/" + kind + "-" + v + ".json")
	if err != nil {
		panic("fakeauthentik: " + err.Error())
	}
	return strings.TrimSpace(string(b))
}

func (s *Server) duoOptions() string  { return s.optionsFile("duo") }
func (s *Server) totpOptions() string { return s.optionsFile("totp-admin") }

// rootConfig is GET /root/config/ as the recorded servers answer it (error
// reporting off); 2025.x no longer sends cache_timeout_reputation.
func (s *Server) rootConfig(w http.ResponseWriter, _ *call) {
	o := obj{
		{"error_reporting", obj{{"enabled", false}, {"sentry_dsn", "https://151ba72610234c4c97c5bcff4e1cffd8@authentik.error-reporting.a7k.io/4504163677503489"},
			{"environment", "customer"}, {"send_pii", false}, {"traces_sample_rate", 0.1}}},
		{"capabilities", []string{"can_impersonate", "is_enterprise"}},
		{"cache_timeout", 300}, {"cache_timeout_flows", 300}, {"cache_timeout_policies", 300},
	}
	if s.version == V2024_10 {
		o = append(o, kv{"cache_timeout_reputation", 0})
	}
	writeJSON(w, http.StatusOK, o)
}

// schemaDocument is GET /schema/. The fake serves its trimmed copy of the
// release's document (testdata/README.md), not the full 1.5 MB one.
func (s *Server) schemaDocument(w http.ResponseWriter, _ *call) {
	b, err := schemaFS.ReadFile(s.prof.schemaFile)
	if err != nil {
		writeFault(w, GetServerError)
		return
	}
	writeFault(w, Fault{Status: http.StatusOK, ContentType: "application/vnd.oai.openapi; charset=utf-8", Body: string(b)})
}

// duoStageForAction finds the stage of /stages/authenticator/duo/{id}/<action>/.
func (s *Server) duoStageForAction(w http.ResponseWriter, c *call) (DuoStage, bool) {
	pk, ok := parsePyUUID(c.id)
	if !ok {
		writeDetail(w, http.StatusNotFound, msgNotFound)
		return DuoStage{}, false
	}
	st, found := s.DuoStage(pk)
	if !found {
		writeDetail(w, http.StatusNotFound, s.prof.notFoundDuo)
	}
	return st, found
}

// duoImportAutomatic is POST …/import_devices_automatic/. Without an admin
// integration key authentik refuses (recorded); with one it would call Duo's
// Admin API, which the fake cannot, so it fails as authentik does when that
// call raises.
func (s *Server) duoImportAutomatic(w http.ResponseWriter, c *call) {
	st, ok := s.duoStageForAction(w, c)
	if !ok {
		return
	}
	if st.AdminIntegrationKey == "" {
		writeJSON(w, http.StatusBadRequest, obj{{"non_field_errors",
			[]string{"Stage does not have Admin API configured, which is required for automatic imports."}}})
		return
	}
	writeFault(w, WriteServerError)
}

// duoEnrollmentStatus is POST …/enrollment_status/: with no enrollment in
// progress authentik answers 400 with no body and no content type, which
// its schema does not allow (recorded).
func (s *Server) duoEnrollmentStatus(w http.ResponseWriter, c *call) {
	if _, ok := s.duoStageForAction(w, c); !ok {
		return
	}
	answerOffSchema(w)
	w.WriteHeader(http.StatusBadRequest)
}
