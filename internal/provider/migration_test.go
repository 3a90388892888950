package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A state written by the official goauthentik/authentik provider (SDKv2,
// schema version 0: unset optional strings stored as "", client_secret in
// clear) moves to this provider with `terraform state replace-provider` and
// then plans no change. This drives the real terraform CLI with the provider
// built from this tree (dev_overrides), the way a user would migrate.
func TestAccMigrationFromOfficialProvider(t *testing.T) {
	env := newTestEnv(t)
	t.Parallel()
	cli := newDevCLI(t)
	name := env.uniqueName("migrated-duo") // the stage the official provider created
	st := env.seedDuoStage(map[string]any{"name": name, "client_id": "DIXXXXXXXXXXXXXXXXXX",
		"client_secret": "duo-secret", "api_hostname": "api-1234abcd.duosecurity.com"})
	work := cli.work
	writeFile(t, filepath.Join(work, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    authentik = { source = "authentik-iac/authentik" }
  }
}
provider "authentik" {
  url   = %q
  token = %q
}
resource "authentik_stage_authenticator_duo" "duo" {
  name          = %q
  client_id     = "DIXXXXXXXXXXXXXXXXXX"
  client_secret = "duo-secret"
  api_hostname  = "api-1234abcd.duosecurity.com"
}
`, env.url, env.token, name))
	writeFile(t, filepath.Join(work, "terraform.tfstate"), officialState(t, st.PK, name))

	run := func(args ...string) (string, int) { return cli.run(nil, args...) }
	host := os.Getenv("TF_ACC_PROVIDER_HOST") // registry.opentofu.org under OpenTofu
	if host == "" {
		host = "registry.terraform.io"
	}
	if out, code := run("state", "replace-provider", "-auto-approve",
		"registry.terraform.io/goauthentik/authentik", host+"/authentik-iac/authentik"); code != 0 {
		t.Fatalf("replace-provider exit %d:\n%s", code, out)
	}
	env.markCalls()
	out, code := run("plan", "-detailed-exitcode", "-no-color", "-input=false")
	if code != 0 {
		t.Fatalf("plan after migration: exit %d (want 0, no changes):\n%s", code, out)
	}
	if !strings.Contains(out, "No changes.") {
		t.Errorf("plan output lacks \"No changes.\":\n%s", out)
	}
	if env.real() {
		return // only the fake logs requests; "No changes." above is the proof
	}
	if w := env.writes(); len(w) != 0 {
		t.Errorf("the plan wrote to authentik: %q", w)
	}
}

// officialState is a state file as goauthentik/authentik writes it for a
// Duo stage: every optional string "" and the secret in clear.
func officialState(t *testing.T, id, name string) string {
	t.Helper()
	state := map[string]any{
		"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "0a1b2c3d-0000-4000-8000-000000000001",
		"outputs": map[string]any{},
		"resources": []any{map[string]any{
			"mode": "managed", "type": "authentik_stage_authenticator_duo", "name": "duo",
			"provider": `provider["registry.terraform.io/goauthentik/authentik"]`,
			"instances": []any{map[string]any{
				"schema_version": 0,
				"attributes": map[string]any{
					"id": id, "name": name, "client_id": "DIXXXXXXXXXXXXXXXXXX", "client_secret": "duo-secret",
					"api_hostname": "api-1234abcd.duosecurity.com", "admin_integration_key": "", "admin_secret_key": "",
					"configure_flow": "", "friendly_name": "",
				},
				"sensitive_attributes": []any{}, "private": "bnVsbA==",
			}},
		}},
		"check_results": nil,
	}
	b, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// devCLI runs the real terraform CLI against the provider built from this
// tree, through dev_overrides (no `terraform init`), as users run it.
type devCLI struct {
	t    *testing.T
	tf   string
	rc   string // CLI configuration with the dev_overrides
	work string // working directory for the configuration
}

func newDevCLI(t *testing.T) *devCLI {
	t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		t.Skip("needs TF_ACC=1 and TF_ACC_TERRAFORM_PATH")
	}
	dir := t.TempDir()
	plugins := filepath.Join(dir, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(plugins, "terraform-provider-authentik"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build provider: %v\n%s", err, out)
	}
	rc := filepath.Join(dir, "terraformrc")
	// OpenTofu resolves the same source on its own registry host.
	writeFile(t, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		"registry.terraform.io/authentik-iac/authentik", plugins, "registry.opentofu.org/authentik-iac/authentik", plugins))
	return &devCLI{t: t, tf: tf, rc: rc, work: filepath.Join(dir, "work")}
}

// run executes terraform in the working directory with extra environment
// variables, returning its combined output and exit code.
func (c *devCLI) run(env []string, args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.Command(c.tf, args...)
	cmd.Dir = c.work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+c.rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_LOG=")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return out.String(), ee.ExitCode()
	case err != nil:
		c.t.Fatal(err)
	}
	return out.String(), 0
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
