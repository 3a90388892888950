package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

func strVal(s string) types.String { return types.StringValue(s) }
func strNull() types.String        { return types.StringNull() }

// baseDuo is a state with everything set through plain attributes.
func baseDuo() duoStageModel {
	return duoStageModel{
		ID: strVal("id"), Name: strVal("duo"), ClientID: strVal("cid"), ClientSecret: strVal("s1"),
		ClientSecretWO: strNull(), ClientSecretWOVersion: types.Int64Null(), APIHostname: strVal("api.example.com"),
		AdminIntegrationKey: strVal("ak"), AdminSecretKey: strVal("as"), AdminSecretKeyWO: strNull(),
		AdminSecretKeyWOVersion: types.Int64Null(), ConfigureFlow: strVal("f"), FriendlyName: strVal("Duo"),
	}
}

func TestDuoPatch_onlyChangedFields(t *testing.T) {
	cases := map[string]struct {
		change func(plan, config *duoStageModel)
		want   string
	}{
		"nothing":  {func(*duoStageModel, *duoStageModel) {}, `{}`},
		"hostname": {func(p, _ *duoStageModel) { p.APIHostname = strVal("x.example.com") }, `{"api_hostname":"x.example.com"}`},
		"clear optional": {func(p, _ *duoStageModel) {
			p.ConfigureFlow, p.FriendlyName, p.AdminIntegrationKey, p.AdminSecretKey = strNull(), strNull(), strNull(), strNull()
		}, `{"configure_flow":null,"friendly_name":null,"admin_integration_key":"","admin_secret_key":""}`},
		"plain secret changed": {func(p, _ *duoStageModel) { p.ClientSecret = strVal("s2") }, `{"client_secret":"s2"}`},
		"switch to write-only": {func(p, c *duoStageModel) {
			p.ClientSecret, c.ClientSecretWO = strNull(), strVal("wo")
		}, `{"client_secret":"wo"}`},
		"write-only without version change is not resent": {func(p, c *duoStageModel) {
			c.ClientSecretWO = strVal("wo")
			p.ClientSecret = strNull()
		}, `{"client_secret":"wo"}`},
		"admin write-only replaces plain, version set": {func(p, c *duoStageModel) {
			p.AdminSecretKey, c.AdminSecretKeyWO, p.AdminSecretKeyWOVersion = strNull(), strVal("awo"), types.Int64Value(1)
		}, `{"admin_secret_key":"awo"}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			state, plan := baseDuo(), baseDuo()
			config := baseDuo()
			tc.change(&plan, &config)
			got, _ := json.Marshal(duoPatch(plan, state, config))
			if string(got) != tc.want {
				t.Errorf("patch %s, want %s", got, tc.want)
			}
		})
	}
}

// Once the write-only secret is in place, only a version change re-sends it,
// and dropping the write-only admin key (with its version) clears it.
func TestDuoPatch_writeOnlyVersions(t *testing.T) {
	state := baseDuo()
	state.ClientSecret, state.ClientSecretWOVersion = strNull(), types.Int64Value(1)
	state.AdminSecretKey, state.AdminSecretKeyWOVersion = strNull(), types.Int64Value(1)
	plan, config := state, state
	config.ClientSecretWO, config.AdminSecretKeyWO = strVal("wo"), strVal("awo")
	if got, _ := json.Marshal(duoPatch(plan, state, config)); string(got) != `{}` {
		t.Errorf("same versions: %s", got)
	}
	plan.ClientSecretWOVersion = types.Int64Value(2)
	if got, _ := json.Marshal(duoPatch(plan, state, config)); string(got) != `{"client_secret":"wo"}` {
		t.Errorf("bumped version: %s", got)
	}
	plan = state
	plan.AdminSecretKeyWOVersion, config.AdminSecretKeyWO = types.Int64Null(), strNull()
	if got, _ := json.Marshal(duoPatch(plan, state, config)); string(got) != `{"admin_secret_key":""}` {
		t.Errorf("removed admin write-only key: %s", got)
	}
}

func TestDuoSetFromAPI_unsetValuesAreNull(t *testing.T) {
	empty := ""
	for _, fn := range []authentik.NullString{{Null: true, Present: true}, {Value: "", Present: true}} {
		var m duoStageModel
		m.setFromAPI(authentik.DuoStage{PK: "p", Name: "n", FriendlyName: fn, ConfigureFlow: &empty})
		if !m.FriendlyName.IsNull() || !m.ConfigureFlow.IsNull() || !m.AdminIntegrationKey.IsNull() {
			t.Errorf("unset values must be null: %+v", m)
		}
		if m.Flows.IsNull() || len(m.Flows.Elements()) != 0 {
			t.Errorf("flows must be an empty list, got %v", m.Flows)
		}
	}
}
