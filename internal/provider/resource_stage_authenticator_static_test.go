package provider

import (
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

func init() {
	registerStageCase(stageCase{
		kind:    staticStage,
		minimal: map[string]string{},
		full: map[string]string{"token_count": "10", "token_length": "16", "configure_flow": "{flow}",
			"friendly_name": q("Recovery codes")},
		drift:         authentik.StageBody{"token_count": 3},
		officialState: map[string]any{"name": "{name}", "friendly_name": "", "configure_flow": "", "token_count": 6, "token_length": 12},
	})
}

const staticStageType = "authentik_stage_authenticator_static"

func TestAccStaticStage_validation(t *testing.T) {
	t.Parallel()
	base := map[string]string{"name": q("tf-acc-static-validation")}
	testPlanErrors(t, staticStageType, map[string]planErrorCase{
		"negative token_count":   {with(base, "token_count", "-1"), `Attribute token_count value must be between 0 and 2147483647, got: -1`},
		"token_count too large":  {with(base, "token_count", "2147483648"), `Attribute token_count value must be between 0 and 2147483647, got: 2147483648`},
		"token_length 101":       {with(base, "token_length", "101"), `Attribute token_length value must be between 0 and 100, got: 101`},
		"negative token_length":  {with(base, "token_length", "-5"), `Attribute token_length value must be between 0 and 100, got: -5`},
		"configure_flow no uuid": {with(base, "configure_flow", q("x")), `Attribute configure_flow must be a UUID`},
	})
}

func TestStaticStage_bodies(t *testing.T) {
	base := map[string]any{"id": "id", "name": "static", "token_count": 6, "token_length": 12}
	cases := map[string]struct {
		plan, state map[string]any
		want        string
	}{
		"unchanged":             {base, base, `{}`},
		"token_count":           {withValues(base, map[string]any{"token_count": 10}), base, `{"token_count":10}`},
		"token_length reset":    {base, withValues(base, map[string]any{"token_length": 20}), `{"token_length":12}`},
		"both and the new name": {withValues(base, map[string]any{"name": "s2", "token_count": 1, "token_length": 8}), base, `{"name":"s2","token_count":1,"token_length":8}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := patchOf(t, staticStage, tc.plan, tc.state, tc.plan); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
