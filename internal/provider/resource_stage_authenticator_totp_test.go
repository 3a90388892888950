package provider

import (
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

func init() {
	registerStageCase(stageCase{
		kind:    totpStage,
		minimal: map[string]string{},
		full:    map[string]string{"digits": q("8"), "configure_flow": "{flow}", "friendly_name": q("Authenticator app")},
		drift:   authentik.StageBody{"digits": "8"},
		// What goauthentik/authentik stores for a stage with only a name:
		// its friendly_name default "" and the unset configure_flow as "".
		officialState: map[string]any{"name": "{name}", "friendly_name": "", "configure_flow": "", "digits": "6"},
	})
}

const totpStageType = "authentik_stage_authenticator_totp"

func TestAccTOTPStage_validation(t *testing.T) {
	t.Parallel()
	base := map[string]string{"name": q("tf-acc-totp-validation")}
	testPlanErrors(t, totpStageType, map[string]planErrorCase{
		"digits 7":             {with(base, "digits", q("7")), `Attribute digits value must be one of: \["6" "8"\], got: "7"`},
		"digits as number":     {with(base, "digits", "6.5"), `Attribute digits value must be one of`},
		"empty name":           {with(base, "name", q("")), `Attribute name UTF-8 character count must be at least 1`},
		"configure_flow slug":  {with(base, "configure_flow", q("default-authenticator-totp-setup")), `Attribute configure_flow must be a UUID`},
		"empty friendly_name":  {with(base, "friendly_name", q("")), `Attribute friendly_name UTF-8 character count must be at least 1`},
		"padded friendly_name": {with(base, "friendly_name", q(" TOTP")), `friendly_name must not start or end`},
	})
}

// The attributes are exactly the official provider's, and digits has its
// default.
func TestTOTPStage_schema(t *testing.T) {
	s := totpStage.schema()
	for _, name := range []string{"id", "name", "configure_flow", "friendly_name", "digits", "flows", "timeouts"} {
		if _, ok := s.Attributes[name]; !ok {
			t.Errorf("missing attribute %s", name)
		}
	}
	if len(s.Attributes) != 7 {
		t.Errorf("want 7 attributes, got %d", len(s.Attributes))
	}
	if a := s.Attributes["digits"]; !a.IsOptional() || !a.IsComputed() {
		t.Errorf("digits must be optional with a default")
	}
}

func TestTOTPStage_bodies(t *testing.T) {
	base := map[string]any{"id": "id", "name": "totp", "digits": "6"}
	cases := map[string]struct {
		plan, state map[string]any
		want        string
	}{
		"unchanged":          {base, base, `{}`},
		"digits":             {withValues(base, map[string]any{"digits": "8"}), base, `{"digits":"8"}`},
		"digits removed":     {base, withValues(base, map[string]any{"digits": "8"}), `{"digits":"6"}`},
		"friendly_name gone": {base, withValues(base, map[string]any{"friendly_name": "x"}), `{"friendly_name":null}`},
		"flow cleared":       {base, withValues(base, map[string]any{"configure_flow": "f"}), `{"configure_flow":null}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := patchOf(t, totpStage, tc.plan, tc.state, tc.plan); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
