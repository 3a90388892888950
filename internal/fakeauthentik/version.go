package fakeauthentik

// Version selects which authentik release the fake imitates.
type Version string

// The versions the fake imitates. The underscore keeps the release's own
// "year.month" readable.
//
//nolint:revive // V2024_10 reads as authentik's 2024.10; CamelCase would hide it.
const (
	V2024_10 Version = "2024.10" // behaves like 2024.10.5
	V2025_10 Version = "2025.10" // behaves like 2025.10.x (derived from 2025.12.4 + the history notes)
	V2025_12 Version = "2025.12" // behaves like 2025.12.4
	V2026_2  Version = "2026.2"  // behaves like 2026.2.x (derived from schema.yml + notes)
)

// Versions lists every supported version, oldest first.
var Versions = []Version{V2024_10, V2025_10, V2025_12, V2026_2}

// ParseVersion accepts "2024.10", "2025.10", "2025.12", "2026.2" and full
// release numbers such as "2024.10.5".
func ParseVersion(s string) (Version, bool) {
	for _, v := range Versions {
		if s == string(v) || s == profiles[v].full {
			return v, true
		}
	}
	return "", false
}

// notFound is the 404 detail for a well-formed but unknown id of model:
// DRF 3.14 (authentik up to 2025.2) says "Not found.", DRF 3.15 and later
// name the model.
func (s *Server) notFound(model string) string {
	if s.version == V2024_10 {
		return msgNotFound
	}
	return "No " + model + " matches the given query."
}

// profile holds every behaviour that differs between versions.
type profile struct {
	full             string // version_current
	schemaFile       string // in testdata
	notFoundDuo      string // 404 detail for an unknown (well-formed) Duo stage pk
	notFoundFlow     string // 404 detail for an unknown flow slug
	friendlyNullable bool   // friendly_name: nullable + blank rejected (true) or non-null + blank allowed
	flowSetWritable  bool   // flow_set in Duo requests is validated (and then crashes) instead of ignored
	backgroundURL    bool   // FlowSet/Flow use background_url (+ background_themed_urls on Flow)
	autocomplete     bool   // list bodies carry "autocomplete":{}
	defaultPageSize  int
	maxPageSize      int // 0 = unlimited
	otherSchemeMsg   string
	totpSetupTitle   string
	htmlPadding      int // approximate size of the real HTML 404 page
}

var profiles = map[Version]profile{
	V2024_10: {
		full:             "2024.10.5",
		schemaFile:       "testdata/schema-2024.10.trimmed.yml",
		notFoundDuo:      "Not found.",
		notFoundFlow:     "Not found.",
		friendlyNullable: true,
		flowSetWritable:  true,
		defaultPageSize:  100,
		otherSchemeMsg:   "Unsupported authentication type",
		totpSetupTitle:   "Setup Two-Factor authentication",
		htmlPadding:      3556,
	},
	// 2025.10 was not run against a real server: every value below follows
	// ../shared/authentik-api.md §6 (history) and §5.2 of
	// ../shared/real-authentik/observations.md (2024.10.5 vs 2025.12.4).
	V2025_10: {
		full: "2025.10.4",
		// Derived schema: 2025.12.4 with the 2025.12.0 changes undone
		// (testdata/README.md).
		schemaFile: "testdata/schema-2025.10.derived.yml",
		// DRF >= 3.15 since 2025.4: "No <Model> matches the given query."
		notFoundDuo:  "No AuthenticatorDuoStage matches the given query.",
		notFoundFlow: "No Flow matches the given query.",
		// 2025.10.0 (#16672): friendly_name not nullable, blank allowed.
		friendlyNullable: false,
		// flow_set became read-only only in 2025.12.0: until then a list is
		// validated and then fails as on 2024.10 (405 text/html, or 400 for
		// an existing slug).
		flowSetWritable: true,
		// The Flow shape is derived: 2025.12 introduced background_url
		// (+ background_themed_urls on Flow, FlowSet.background renamed) per
		// §6.2 and §5.2, so 2025.10 still has "background" only.
		backgroundURL: false,
		// autocomplete in list bodies since 2025.8.
		autocomplete: true,
		// The tenant page sizes (20/100) arrived in 2025.12 (196bce348).
		defaultPageSize: 100,
		maxPageSize:     0,
		// Not covered by the notes; the 2025.12 values are assumed.
		otherSchemeMsg: msgNoCredentials,
		totpSetupTitle: "Set up Two-Factor authentication",
		htmlPadding:    5159,
	},
	V2025_12: {
		full:            "2025.12.4",
		schemaFile:      "testdata/schema-2025.12.trimmed.yml",
		notFoundDuo:     "No AuthenticatorDuoStage matches the given query.",
		notFoundFlow:    "No Flow matches the given query.",
		backgroundURL:   true,
		autocomplete:    true,
		defaultPageSize: 20,
		maxPageSize:     100,
		otherSchemeMsg:  msgNoCredentials,
		totpSetupTitle:  "Set up Two-Factor authentication",
		htmlPadding:     5159,
	},
	V2026_2: {
		full:            "2026.2.2",
		schemaFile:      "testdata/schema-2026.trimmed.yml",
		notFoundDuo:     "No AuthenticatorDuoStage matches the given query.",
		notFoundFlow:    "No Flow matches the given query.",
		backgroundURL:   true,
		autocomplete:    true,
		defaultPageSize: 20,
		maxPageSize:     100,
		otherSchemeMsg:  msgNoCredentials,
		totpSetupTitle:  "Set up Two-Factor authentication",
		htmlPadding:     5159,
	},
}
