package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

func TestAddAPIError(t *testing.T) {
	duo := testStageResource(duoStage)
	cases := map[string]struct {
		err         error
		wantPath    path.Path
		wantSummary string
		wantDetail  []string
		notDetail   []string
	}{
		"400 on name": {
			err:         &authentik.APIError{Method: "POST", Path: "/stages/authenticator/duo/", Status: 400, FieldErrors: map[string][]string{"name": {"stage with this name already exists."}}},
			wantPath:    path.Root("name"),
			wantSummary: "authentik rejected the name",
			wantDetail:  []string{`authentik said: "stage with this name already exists."`, "import the existing stage"},
		},
		"400 on an unmanaged field is general": {
			err:         &authentik.APIError{Method: "POST", Path: "/x/", Status: 400, FieldErrors: map[string][]string{"flow_set": {"bad"}}},
			wantSummary: "authentik rejected the request",
			wantDetail:  []string{`flow_set: bad`},
		},
		"403": {
			err:         &authentik.APIError{Method: "POST", Path: "/stages/authenticator/duo/", Status: 403, Detail: "Token invalid/expired"},
			wantSummary: "authentik refused the token",
			wantDetail:  []string{"authentik answered 403 to POST /api/v3/stages/authenticator/duo/", `"Token invalid/expired"`, "AUTHENTIK_TOKEN", "may create the Duo stage"},
		},
		"HTML 405 on a write": {
			err:         &authentik.APIError{Method: "POST", Path: "/stages/authenticator/duo/", Status: 405, HTML: true},
			wantSummary: "authentik could not create the Duo stage",
			wantDetail:  []string{"failed internally", "status 405, an HTML error page, not shown", "Nothing was saved"},
		},
		"HTML 404: wrong URL": {
			err:         &authentik.APIError{Method: "POST", Path: "/stages/authenticator/duo/", Status: 404, HTML: true},
			wantSummary: "authentik API not found at this URL",
			wantDetail:  []string{"Check `url`"},
		},
		"transport": {
			err:         errors.New("authentik: POST /api/v3/stages/authenticator/duo/: dial tcp: connection refused"),
			wantSummary: "Could not reach authentik",
			wantDetail:  []string{"connection refused", "Check `url`"},
			notDetail:   []string{"authentik: POST"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			duo.addError(&diags, "create", nil, tc.err)
			if len(diags) != 1 {
				t.Fatalf("want 1 diagnostic, got %d: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Summary() != tc.wantSummary {
				t.Errorf("summary %q, want %q", d.Summary(), tc.wantSummary)
			}
			for _, w := range tc.wantDetail {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail %q lacks %q", d.Detail(), w)
				}
			}
			for _, w := range tc.notDetail {
				if strings.Contains(d.Detail(), w) {
					t.Errorf("detail %q contains %q", d.Detail(), w)
				}
			}
			withPath, ok := d.(diag.DiagnosticWithPath)
			wantNone := len(tc.wantPath.Steps()) == 0
			switch {
			case wantNone && ok:
				t.Errorf("want no attribute path, got %s", withPath.Path())
			case !wantNone && (!ok || !withPath.Path().Equal(tc.wantPath)):
				t.Errorf("want path %s, got %v", tc.wantPath, d)
			}
		})
	}
}

// A client_secret error lands on client_secret_wo when that is what the
// configuration uses.
func TestDuoOp_secretErrorsOnTheConfiguredTwin(t *testing.T) {
	var diags diag.Diagnostics
	cfg := stageValues(duoStage, map[string]any{"client_secret_wo": "x"})
	testStageResource(duoStage).addError(&diags, "create", cfg, &authentik.APIError{Status: 400,
		FieldErrors: map[string][]string{"client_secret": {"This field may not be blank."}}})
	d, ok := diags[0].(diag.DiagnosticWithPath)
	if !ok || !d.Path().Equal(path.Root("client_secret_wo")) {
		t.Fatalf("got %v", diags)
	}
}
