package provider

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

func testStageResource(k *stageKind) *stageResource { return newStageResource(k)().(*stageResource) }

// stageValues is an object of kind's type: the given attributes (string,
// int, bool or []string values) and null for every other one.
func stageValues(k *stageKind, set map[string]any) objectValues {
	r := testStageResource(k)
	out := objectValues{}
	for name, t := range r.typ.AttributeTypes {
		v, ok := set[name]
		switch x := v.(type) {
		case nil:
			if ok {
				panic("use a missing key for null: " + name)
			}
			out[name] = tftypes.NewValue(t, nil)
		case int:
			out[name] = tftypes.NewValue(t, big.NewFloat(float64(x)))
		case []string:
			elems := make([]tftypes.Value, len(x))
			for i, e := range x {
				elems[i] = tftypes.NewValue(tftypes.String, e)
			}
			out[name] = tftypes.NewValue(t, elems)
		default:
			out[name] = tftypes.NewValue(t, x)
		}
	}
	return out
}

func withValues(base map[string]any, change map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range change {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// baseDuo is a state with everything set through plain attributes.
var baseDuo = map[string]any{
	"id": "id", "name": "duo", "client_id": "cid", "client_secret": "s1", "api_hostname": "api.example.com",
	"admin_integration_key": "ak", "admin_secret_key": "as", "configure_flow": "f", "friendly_name": "Duo",
}

func patchOf(t *testing.T, k *stageKind, plan, state, config map[string]any) string {
	t.Helper()
	var diags diag.Diagnostics
	body := testStageResource(k).patchBody(stageValues(k, plan), stageValues(k, state), stageValues(k, config), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStagePatch_onlyChangedFields(t *testing.T) {
	cases := map[string]struct {
		plan, config map[string]any // changes to baseDuo; nil values remove
		want         string
	}{
		"nothing":  {nil, nil, `{}`},
		"hostname": {map[string]any{"api_hostname": "x.example.com"}, nil, `{"api_hostname":"x.example.com"}`},
		"clear optional": {map[string]any{"configure_flow": nil, "friendly_name": nil, "admin_integration_key": nil, "admin_secret_key": nil}, nil,
			`{"admin_integration_key":"","admin_secret_key":"","configure_flow":null,"friendly_name":null}`},
		"plain secret changed": {map[string]any{"client_secret": "s2"}, nil, `{"client_secret":"s2"}`},
		"switch to write-only": {map[string]any{"client_secret": nil}, map[string]any{"client_secret": nil, "client_secret_wo": "wo"},
			`{"client_secret":"wo"}`},
		"admin write-only replaces plain, version set": {
			map[string]any{"admin_secret_key": nil, "admin_secret_key_wo_version": 1},
			map[string]any{"admin_secret_key": nil, "admin_secret_key_wo": "awo", "admin_secret_key_wo_version": 1},
			`{"admin_secret_key":"awo"}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			plan, config := withValues(baseDuo, tc.plan), withValues(baseDuo, tc.config)
			if tc.config == nil {
				config = plan
			}
			if got := patchOf(t, duoStage, plan, baseDuo, config); got != tc.want {
				t.Errorf("patch %s, want %s", got, tc.want)
			}
		})
	}
}

// Once the write-only secret is in place, only a version change re-sends it,
// and dropping the write-only admin key with its version clears it.
func TestStagePatch_writeOnlyVersions(t *testing.T) {
	state := withValues(baseDuo, map[string]any{"client_secret": nil, "client_secret_wo_version": 1,
		"admin_secret_key": nil, "admin_secret_key_wo_version": 1})
	config := withValues(state, map[string]any{"client_secret_wo": "wo", "admin_secret_key_wo": "awo"})
	if got := patchOf(t, duoStage, state, state, config); got != `{}` {
		t.Errorf("same versions: %s", got)
	}
	bumped := withValues(state, map[string]any{"client_secret_wo_version": 2})
	if got := patchOf(t, duoStage, bumped, state, withValues(config, map[string]any{"client_secret_wo_version": 2})); got != `{"client_secret":"wo"}` {
		t.Errorf("bumped version: %s", got)
	}
	removed := withValues(state, map[string]any{"admin_secret_key_wo_version": nil})
	if got := patchOf(t, duoStage, removed, state, withValues(config, map[string]any{"admin_secret_key_wo": nil, "admin_secret_key_wo_version": nil})); got != `{"admin_secret_key":""}` {
		t.Errorf("removed admin write-only key: %s", got)
	}
}

func TestStageFromAPI_unsetValuesAreNull(t *testing.T) {
	r := testStageResource(duoStage)
	for _, raw := range []string{
		`{"pk":"p","name":"n","friendly_name":null,"configure_flow":"","admin_integration_key":"","flow_set":[]}`,
		`{"pk":"p","name":"n","friendly_name":"","configure_flow":null,"admin_integration_key":""}`,
	} {
		var s authentik.Stage
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			t.Fatal(err)
		}
		var diags diag.Diagnostics
		m := r.fromAPI(stageValues(duoStage, baseDuo), s, &diags)
		for _, name := range []string{"friendly_name", "configure_flow", "admin_integration_key"} {
			if !m[name].IsNull() {
				t.Errorf("%s: %s must be null, got %v", raw, name, m[name])
			}
		}
		var flows []tftypes.Value
		if err := m["flows"].As(&flows); err != nil || m["flows"].IsNull() || len(flows) != 0 {
			t.Errorf("flows must be an empty list, got %v", m["flows"])
		}
		if got := m.string("admin_secret_key"); got != "as" {
			t.Errorf("a secret keeps the value Terraform holds, got %q", got)
		}
	}
}

// A JSON secret (such as a service account key) is sent as the object it
// encodes, on create and on update, and cleared with null.
func TestStageBodies_jsonSecret(t *testing.T) {
	kind := &stageKind{typeName: "stage_test_json", path: "/stages/test/", title: "test stage",
		fields: []field{{name: "credentials", typ: jsonField, secret: true}}}
	r := testStageResource(kind)
	var diags diag.Diagnostics
	config := stageValues(kind, map[string]any{"name": "s", "credentials_wo": `{"k":"v"}`, "credentials_wo_version": 1})
	create, _ := json.Marshal(r.createBody(config, config, &diags))
	if string(create) != `{"credentials":{"k":"v"},"name":"s"}` {
		t.Errorf("create %s", create)
	}
	state := stageValues(kind, map[string]any{"name": "s", "credentials_wo_version": 1})
	plan := stageValues(kind, map[string]any{"name": "s", "credentials_wo_version": 2})
	config = stageValues(kind, map[string]any{"name": "s", "credentials_wo": `{"k":"w"}`, "credentials_wo_version": 2})
	if got, _ := json.Marshal(r.patchBody(plan, state, config, &diags)); string(got) != `{"credentials":{"k":"w"}}` {
		t.Errorf("rotated: %s", got)
	}
	none := stageValues(kind, map[string]any{"name": "s"})
	if got, _ := json.Marshal(r.patchBody(none, state, none, &diags)); string(got) != `{"credentials":null}` {
		t.Errorf("removed: %s", got)
	}
	if diags.HasError() {
		t.Fatal(diags)
	}
}

// A JSON secret (the GDTC stage's credentials) is PATCHed as the object it
// encodes, from the plain attribute or the write-only twin alike.
func TestStagePatch_jsonSecretIsAnObject(t *testing.T) {
	state := map[string]any{"id": "id", "name": "g", "credentials": `{"a":1}`}
	plan := withValues(state, map[string]any{"credentials": `{"a":2}`})
	if got := patchOf(t, endpointGDTCStage, plan, state, plan); got != `{"credentials":{"a":2}}` {
		t.Errorf("plain: %s", got)
	}
	woPlan := withValues(state, map[string]any{"credentials": nil, "credentials_wo_version": 1})
	woConfig := withValues(woPlan, map[string]any{"credentials_wo": `{"b":true}`})
	if got := patchOf(t, endpointGDTCStage, woPlan, state, woConfig); got != `{"credentials":{"b":true}}` {
		t.Errorf("write-only: %s", got)
	}
}
