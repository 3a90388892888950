package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// The examples/modules/mfa module, applied end to end into a flow made
// through the API: the validate stage offers the three setup stages, the
// binding runs it in the flow, a second plan is empty, and destroy leaves
// nothing behind.
func TestAccMFAModule(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	flow := env.newFlow("mfa")
	dir, err := filepath.Abs("../../examples/modules/mfa")
	env.must(err, "find the module")
	prefix := env.uniqueName("mfa")
	providers := `
terraform {
  required_providers {
    authentik = { source = "authentik-iac/authentik" }
  }
}
`
	withModule := configDir(t, env.config(providers+fmt.Sprintf(`
module "mfa" {
  source        = %q
  name_prefix   = %q
  flow_id       = %q
  binding_order = 25
}

output "validate_stage_id" { value = module.mfa.validate_stage_id }
output "setup_stage_ids" { value = module.mfa.setup_stage_ids }
output "binding_id" { value = module.mfa.binding_id }
`, dir, prefix, flow.PK)))
	env.cleanup("the module's stages", func(ctx context.Context) error { return env.deleteStagesNamed(ctx, prefix) })
	// The harness runs terraform init on a step's configuration (which
	// installs the module) only for a configuration directory, not for an
	// inline Config; the directory names its providers, so the factories go
	// on the steps. The harness cannot read a state that holds a module
	// (no Check, no CheckDestroy, no destroy of its own), so the checks read
	// the JSON state and the last step removes the module.
	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ProtoV6ProviderFactories: env.factories, ConfigDirectory: withModule,
				ConfigStateChecks: []statecheck.StateCheck{mfaModuleCheck{env: env, flow: flow.PK, prefix: prefix}}},
			{ProtoV6ProviderFactories: env.factories, ConfigDirectory: withModule,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{ProtoV6ProviderFactories: env.factories, ConfigDirectory: configDir(t, env.config(providers)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("module.mfa.authentik_flow_stage_binding.this", plancheck.ResourceActionDestroy)}}},
		},
	})
	// The last step destroyed everything the module made.
	if bs := env.bindingsOf(flow.PK); len(bs) != 0 {
		t.Errorf("after destroy the flow still has %d bindings", len(bs))
	}
	for suffix, kind := range mfaModuleStages {
		if st, ok := env.stageByName(kind, prefix+"-"+suffix); ok {
			t.Errorf("after destroy the stage %s-%s (%s) is still there", prefix, suffix, st.PK)
		}
	}
}

// configDir writes cfg as the only file of a new directory.
func configDir(t *testing.T, cfg string) config.TestStepConfigFunc {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return config.StaticDirectory(dir)
}

// deleteStagesNamed deletes the stages whose names start with prefix, left
// by a failed run.
func (e *testEnv) deleteStagesNamed(ctx context.Context, prefix string) error {
	var errs []error
	for suffix, kind := range mfaModuleStages {
		stages, err := e.client.ListStages(ctx, kind.path, prefix+"-"+suffix)
		errs = append(errs, err)
		for _, st := range stages {
			if err := e.client.DeleteStage(ctx, kind.path, st.PK); err != nil && !authentik.IsNotFound(err) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// mfaModuleCheck checks, through the API, what the module's outputs name:
// the validate stage offers exactly the three setup stages, and the flow
// binds it, only it, at the configured order.
type mfaModuleCheck struct {
	env          *testEnv
	flow, prefix string
}

func (c mfaModuleCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	out := map[string]any{}
	for k, v := range req.State.Values.Outputs {
		out[k] = v.Value
	}
	resp.Error = c.env.checkMFAModule(c.flow, c.prefix, out)
}

// mfaModuleStages are the module's stages by the end of their names.
var mfaModuleStages = map[string]*stageKind{"validate": validateStage, "totp-setup": totpStage,
	"webauthn-setup": webauthnStage, "static-setup": staticStage}

func (e *testEnv) checkMFAModule(flow, prefix string, out map[string]any) error {
	validateID, _ := out["validate_stage_id"].(string)
	bindingID, _ := out["binding_id"].(string)
	setup, _ := out["setup_stage_ids"].(map[string]any)
	if len(setup) != 3 {
		return fmt.Errorf("want three setup stages, got %v", setup)
	}
	st, ok := e.stageByName(validateStage, prefix+"-validate")
	if !ok || st.PK != validateID {
		return fmt.Errorf("no validate stage %s-validate with the uuid %s in authentik", prefix, validateID)
	}
	var got []string
	if err := json.Unmarshal(st.Members["configuration_stages"], &got); err != nil {
		return fmt.Errorf("configuration_stages: %w", err)
	}
	var want []string
	for class, id := range setup {
		s, _ := id.(string)
		want = append(want, s)
		if found, ok := e.stageByName(mfaModuleStages[class+"-setup"], prefix+"-"+class+"-setup"); !ok || found.PK != s {
			return fmt.Errorf("no %s setup stage %s in authentik", class, s)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("configuration_stages are %v, want the setup stages %v", got, want)
	}
	bs, err := e.client.ListFlowStageBindings(context.Background(), authentik.FlowStageBindingFilter{Target: flow})
	if err != nil {
		return err
	}
	if len(bs) != 1 || bs[0].PK != bindingID || bs[0].Stage != validateID || bs[0].Order != 25 {
		var got []string
		for _, b := range bs {
			got = append(got, fmt.Sprintf("%s: stage %s at %d", b.PK, b.Stage, b.Order))
		}
		return fmt.Errorf("want the flow to bind only the validate stage %s at 25 (binding %s), got %q", validateID, bindingID, got)
	}
	return nil
}
