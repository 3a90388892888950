package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

type duoStageModel struct {
	ID                      types.String   `tfsdk:"id"`
	Name                    types.String   `tfsdk:"name"`
	ClientID                types.String   `tfsdk:"client_id"`
	ClientSecret            types.String   `tfsdk:"client_secret"`
	ClientSecretWO          types.String   `tfsdk:"client_secret_wo"`
	ClientSecretWOVersion   types.Int64    `tfsdk:"client_secret_wo_version"`
	APIHostname             types.String   `tfsdk:"api_hostname"`
	AdminIntegrationKey     types.String   `tfsdk:"admin_integration_key"`
	AdminSecretKey          types.String   `tfsdk:"admin_secret_key"`
	AdminSecretKeyWO        types.String   `tfsdk:"admin_secret_key_wo"`
	AdminSecretKeyWOVersion types.Int64    `tfsdk:"admin_secret_key_wo_version"`
	ConfigureFlow           types.String   `tfsdk:"configure_flow"`
	FriendlyName            types.String   `tfsdk:"friendly_name"`
	Flows                   types.List     `tfsdk:"flows"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
}

// flowRefAttrTypes is the shape of one element of the read-only `flows`.
var flowRefAttrTypes = map[string]attr.Type{
	"id":          types.StringType,
	"slug":        types.StringType,
	"name":        types.StringType,
	"designation": types.StringType,
}

// setFromAPI copies what authentik returned. authentik never returns the
// secrets, so they keep the value Terraform already holds, and the
// write-only ones are never stored at all.
func (m *duoStageModel) setFromAPI(s authentik.DuoStage) {
	m.ID = types.StringValue(s.PK)
	m.Name = types.StringValue(s.Name)
	m.ClientID = types.StringValue(s.ClientID)
	m.APIHostname = types.StringValue(s.APIHostname)
	// authentik stores "" for an unset admin key, and "" (2025.10+) or null
	// (before) for an unset friendly name; all mean "not set", which is null
	// in Terraform, so an unset attribute never shows a diff.
	m.AdminIntegrationKey = nullIfEmpty(s.AdminIntegrationKey)
	m.FriendlyName = nullIfEmpty(s.FriendlyName.Value)
	// authentik turns configure_flow "" into null; treat both alike.
	if s.ConfigureFlow == nil {
		m.ConfigureFlow = types.StringNull()
	} else {
		m.ConfigureFlow = nullIfEmpty(*s.ConfigureFlow)
	}
	m.Flows = flowRefs(s.FlowSet)
	m.ClientSecretWO = types.StringNull()
	m.AdminSecretKeyWO = types.StringNull()
}

func flowRefs(flows []authentik.FlowSet) types.List {
	objType := types.ObjectType{AttrTypes: flowRefAttrTypes}
	elems := make([]attr.Value, 0, len(flows))
	for _, f := range flows {
		elems = append(elems, types.ObjectValueMust(flowRefAttrTypes, map[string]attr.Value{
			"id":          types.StringValue(f.PK),
			"slug":        types.StringValue(f.Slug),
			"name":        types.StringValue(f.Name),
			"designation": types.StringValue(f.Designation),
		}))
	}
	return types.ListValueMust(objType, elems)
}

// duoCreateRequest builds the POST body from the plan. Write-only secrets
// exist only in the configuration, so they are read from there.
func duoCreateRequest(plan, config duoStageModel) authentik.DuoStageRequest {
	r := authentik.DuoStageRequest{
		Name:                plan.Name.ValueString(),
		ClientID:            plan.ClientID.ValueString(),
		APIHostname:         plan.APIHostname.ValueString(),
		ConfigureFlow:       plan.ConfigureFlow.ValueStringPointer(),
		FriendlyName:        plan.FriendlyName.ValueStringPointer(),
		AdminIntegrationKey: plan.AdminIntegrationKey.ValueStringPointer(),
		ClientSecret:        plan.ClientSecret.ValueString(),
		AdminSecretKey:      plan.AdminSecretKey.ValueStringPointer(),
	}
	if !config.ClientSecretWO.IsNull() {
		r.ClientSecret = config.ClientSecretWO.ValueString()
	}
	if !config.AdminSecretKeyWO.IsNull() {
		r.AdminSecretKey = config.AdminSecretKeyWO.ValueStringPointer()
	}
	return r
}

// duoPatch holds only what changed between state and plan. Removing an
// optional attribute clears it on the server: configure_flow and
// friendly_name with null (the client picks the empty value this authentik
// version accepts for friendly_name), the admin keys with "".
func duoPatch(plan, state, config duoStageModel) authentik.DuoStagePatch {
	var p authentik.DuoStagePatch
	if !plan.Name.Equal(state.Name) {
		p.Name = authentik.Set(plan.Name.ValueString())
	}
	if !plan.ClientID.Equal(state.ClientID) {
		p.ClientID = authentik.Set(plan.ClientID.ValueString())
	}
	if !plan.APIHostname.Equal(state.APIHostname) {
		p.APIHostname = authentik.Set(plan.APIHostname.ValueString())
	}
	if !plan.ConfigureFlow.Equal(state.ConfigureFlow) {
		p.ConfigureFlow = authentik.SetOrNull(plan.ConfigureFlow.ValueStringPointer())
	}
	if !plan.FriendlyName.Equal(state.FriendlyName) {
		p.FriendlyName = authentik.SetOrNull(plan.FriendlyName.ValueStringPointer())
	}
	if !plan.AdminIntegrationKey.Equal(state.AdminIntegrationKey) {
		p.AdminIntegrationKey = authentik.Set(plan.AdminIntegrationKey.ValueString())
	}
	if v, send := secretUpdate(plan.ClientSecret, state.ClientSecret, config.ClientSecretWO,
		plan.ClientSecretWOVersion, state.ClientSecretWOVersion); send {
		p.ClientSecret = authentik.Set(v)
	}
	if v, send := secretUpdate(plan.AdminSecretKey, state.AdminSecretKey, config.AdminSecretKeyWO,
		plan.AdminSecretKeyWOVersion, state.AdminSecretKeyWOVersion); send {
		p.AdminSecretKey = authentik.Set(v)
	}
	return p
}

// secretUpdate decides whether a secret that has a sensitive attribute and a
// write-only twin must be sent, and which value. authentik cannot read a
// secret back, so the decision rests on what Terraform knows changed:
//   - write-only configured: send it when its _wo_version moved, or when it
//     replaces the plain attribute;
//   - plain configured: send it when its value changed;
//   - neither (only possible for optional secrets): send "" to clear it
//     when Terraform had set one before.
func secretUpdate(plan, state, configWO types.String, planVersion, stateVersion types.Int64) (string, bool) {
	switch {
	case !configWO.IsNull():
		return configWO.ValueString(), !planVersion.Equal(stateVersion) || !state.IsNull()
	case !plan.IsNull():
		return plan.ValueString(), !plan.Equal(state)
	default:
		return "", !state.IsNull() || !stateVersion.IsNull()
	}
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
