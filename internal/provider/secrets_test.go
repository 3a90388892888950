package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// No secret leaves through logs, plan output, or a saved plan: an apply and
// a plan at TF_LOG=trace (Terraform's and the provider's logs together) are
// searched for every secret value. The write-only secrets come from
// ephemeral variables, as the docs advise, so they stay out of the state
// and the saved plan too; the plain client_secret is in state by design
// (that is why the write-only twin exists), and so in a saved plan's prior
// state, but nowhere else.
func TestAccSecretsNeverLeak(t *testing.T) {
	env := newTestEnv(t)
	t.Parallel()
	cli := newDevCLI(t)
	plainName, woName := env.uniqueName("secrets-plain"), env.uniqueName("secrets-wo")
	env.cleanupDuoStages(plainName, woName) // if the destroy below does not happen
	secrets := map[string]string{
		"token":               env.token,
		"client_secret":       "plain-client-secret-5f1c",
		"client_secret_wo":    "wo-client-secret-8d2e",
		"admin_secret_key_wo": "wo-admin-secret-3b7a",
	}
	writeFile(t, filepath.Join(cli.work, "main.tf"), strings.NewReplacer("secrets-plain", plainName, "secrets-wo", woName).Replace(`terraform {
  required_providers {
    authentik = { source = "authentik-iac/authentik" }
  }
}
provider "authentik" {}
variable "client_secret_wo" {
  type      = string
  ephemeral = true
}
variable "admin_secret_key_wo" {
  type      = string
  ephemeral = true
}
variable "secret_version" {
  type = number
}
resource "authentik_stage_authenticator_duo" "plain" {
  name          = "secrets-plain"
  client_id     = "DIXXXXXXXXXXXXXXXXXX"
  client_secret = "plain-client-secret-5f1c"
  api_hostname  = "api-1.example.com"
}
resource "authentik_stage_authenticator_duo" "wo" {
  name                        = "secrets-wo"
  client_id                   = "DIXXXXXXXXXXXXXXXXXX"
  client_secret_wo            = var.client_secret_wo
  client_secret_wo_version    = var.secret_version
  admin_secret_key_wo         = var.admin_secret_key_wo
  admin_secret_key_wo_version = var.secret_version
  api_hostname                = "api-1.example.com"
}
`))
	log := filepath.Join(cli.work, "trace.log")
	vars := []string{"AUTHENTIK_URL=" + env.url, "AUTHENTIK_TOKEN=" + env.token,
		"TF_VAR_client_secret_wo=" + secrets["client_secret_wo"], "TF_VAR_admin_secret_key_wo=" + secrets["admin_secret_key_wo"],
		"TF_LOG=trace", "TF_LOG_PATH=" + log}
	applyOut, code := cli.run(append(vars, "TF_VAR_secret_version=1"), "apply", "-auto-approve", "-no-color", "-input=false")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, applyOut)
	}
	planOut, code := cli.run(append(vars, "TF_VAR_secret_version=2"), "plan", "-out=rotate.tfplan", "-no-color", "-input=false")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, planOut)
	}
	showOut, _ := cli.run(nil, "show", "-json", "rotate.tfplan")
	logText := readFile(t, log)
	stateText := readFile(t, filepath.Join(cli.work, "terraform.tfstate"))
	if !strings.Contains(logText, "authentik API request") {
		t.Fatal("the trace log holds no provider request log: the search would prove nothing")
	}

	places := map[string]string{"trace log": logText, "apply output": applyOut, "plan output": planOut, "saved plan": showOut}
	for name, value := range secrets {
		for place, text := range places {
			// A saved plan carries the prior state, where the plain
			// client_secret lives by design.
			if name == "client_secret" && place == "saved plan" {
				continue
			}
			if strings.Contains(text, value) {
				t.Errorf("%s leaked into the %s", name, place)
			}
		}
		if name != "client_secret" && name != "token" && strings.Contains(stateText, value) {
			t.Errorf("write-only %s leaked into the state", name)
		}
	}
	// authentik never shows a secret; only the fake can say what it received.
	if st, _ := env.fakeDuoStage(woName); !env.real() && (st.ClientSecret != secrets["client_secret_wo"] || st.AdminSecretKey != secrets["admin_secret_key_wo"]) {
		t.Errorf("authentik did not receive the write-only secrets: %q %q", st.ClientSecret, st.AdminSecretKey)
	}
	if t.Failed() {
		return
	}
	t.Logf("searched %d secrets in a %d-byte trace log, apply and plan output, the saved plan and the state: none found",
		len(secrets), len(logText))
	cli.run(append(vars, "TF_VAR_secret_version=1", "TF_LOG="), "destroy", "-auto-approve", "-no-color")
}

// fakeDuoStage is the fake's stored stage, secrets included (zero on a real
// authentik).
func (e *testEnv) fakeDuoStage(name string) (fakeauthentik.DuoStage, bool) {
	if e.real() {
		return fakeauthentik.DuoStage{}, false
	}
	return e.fake.DuoStageByName(name)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
