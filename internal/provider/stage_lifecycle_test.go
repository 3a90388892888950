package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// stageCase is what the shared lifecycle suite needs to know of one stage
// kind. Each kind's test file registers one in an init function; the suite
// fails for a registered stage resource that has none.
type stageCase struct {
	kind *stageKind
	// minimal and full are HCL expressions by attribute, besides name:
	// minimal only what is required (with plain secrets, as the official
	// provider has them), full every optional attribute set to a value
	// other than its default. "{flow}" is replaced by a real flow's uuid.
	minimal, full map[string]string
	// extraHCL is added to every configuration (resources that full refers
	// to); "{name}" in it is replaced by the stage's name, so that names stay
	// unique among tests that run at once.
	extraHCL string
	// drift is an edit made in authentik behind Terraform's back, on a
	// member of the minimal configuration; the plan must show it.
	drift authentik.StageBody
	// officialState holds the attributes the official goauthentik/authentik
	// provider stores for the minimal configuration, besides id and name.
	officialState map[string]any
	// enterprise kinds need an authentik enterprise licence to be written:
	// the fake is given one, a real server is assumed to have none.
	enterprise bool
}

var (
	stageCasesMu sync.Mutex
	stageCases   = map[string]stageCase{}
)

func registerStageCase(c stageCase) {
	stageCasesMu.Lock()
	defer stageCasesMu.Unlock()
	stageCases[c.kind.typeName] = c
}

func init() {
	registerStageCase(stageCase{
		kind: duoStage,
		minimal: map[string]string{"client_id": q("DIXXXXXXXXXXXXXXXXXX"), "client_secret": q("duo-secret"),
			"api_hostname": q("api-1.example.com")},
		full: map[string]string{"client_id": q("DIYYYYYYYYYYYYYYYYYY"), "client_secret_wo": q("wo-secret"), "client_secret_wo_version": "1",
			"api_hostname": q("api-2.example.com"), "admin_integration_key": q("DIADMIN"), "admin_secret_key": q("admin-secret"),
			"configure_flow": "{flow}", "friendly_name": q("Duo Push")},
		drift: authentik.StageBody{"api_hostname": "edited.example.com"},
		officialState: map[string]any{"client_id": "DIXXXXXXXXXXXXXXXXXX", "client_secret": "duo-secret",
			"api_hostname": "api-1.example.com", "admin_integration_key": "", "admin_secret_key": "",
			"configure_flow": "", "friendly_name": ""},
	})
}

// stageKinds returns every registered resource that is a stage, by type
// name. The unnamed kinds (the flow stage binding) share the code but not the
// name-based suites; they have their own tests.
func stageKinds(t *testing.T) map[string]*stageKind {
	out := map[string]*stageKind{}
	for name, r := range registeredResources(t) {
		if s, ok := r.(*stageResource); ok && !s.kind.unnamed {
			out[name] = s.kind
		}
	}
	return out
}

// Every stage runs the same lifecycle against the fake in each version
// mode and against a real authentik: create, an empty second plan, every
// optional attribute set in one PATCH, import by uuid and by name, drift
// made in authentik, deletion behind Terraform's back, and removal of the
// optional attributes clearing them.
func TestAccStages_lifecycle(t *testing.T) {
	for typeName, kind := range stageKinds(t) {
		c, ok := stageCases[kind.typeName]
		if !ok {
			t.Errorf("%s has no stageCase: register one in its test file", typeName)
			continue
		}
		t.Run(kind.typeName, func(t *testing.T) {
			t.Parallel()
			testStageLifecycle(t, c)
		})
	}
}

// kindAvailable skips a kind the server's version lacks, or that needs an
// enterprise licence on a real server; its refusal is tested by the
// kind's own tests.
func (e *testEnv) kindAvailable(kind *stageKind) {
	if c, ok := stageCases[kind.typeName]; ok && c.enterprise {
		e.skipReal(skipEnterprise, "the test server has no enterprise licence")
		e.fake.SetEnterpriseLicense(true)
	}
	if kind.since == "" {
		return
	}
	v, err := e.client.ServerVersion(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	y, m := parseSince(kind.since)
	if authentik.VersionBefore(v, y, m) {
		e.t.Skipf("[skip: %s] authentik %s has no %s (from %s on)", skipVersion, v, kind.title, kind.since)
	}
}

func (e *testEnv) stageHCL(c stageCase, name string, attrs map[string]string) string {
	out := map[string]string{"name": q(name)}
	for k, v := range attrs {
		if v == "{flow}" {
			v = q(e.flowID("default-authenticator-totp-setup"))
		}
		out[k] = v
	}
	return e.config(strings.ReplaceAll(c.extraHCL, "{name}", name) + hcl("authentik_"+c.kind.typeName, "test", out))
}

// stageByName asks authentik, not the state.
func (e *testEnv) stageByName(kind *stageKind, name string) (authentik.Stage, bool) {
	e.t.Helper()
	stages, err := e.client.ListStages(context.Background(), kind.path, name)
	if err != nil {
		e.t.Fatalf("list %s: %v", kind.title, err)
	}
	if len(stages) == 0 {
		return authentik.Stage{}, false
	}
	return stages[0], true
}

// outOfBand runs fn (an edit through authentik's API), then opens a new
// request window so that expectCalls sees only what Terraform sends.
func (e *testEnv) outOfBand(fn func()) func() {
	return func() {
		fn()
		e.markCalls()
	}
}

func testStageLifecycle(t *testing.T, c stageCase) {
	env := newTestEnv(t)
	env.kindAvailable(c.kind)
	addr := "authentik_" + c.kind.typeName + ".test"
	name := env.uniqueName(strings.TrimPrefix(c.kind.typeName, "stage_authenticator_"))
	minimal, full := env.stageHCL(c, name, c.minimal), env.stageHCL(c, name, c.full)
	onePatch := func() resource.TestCheckFunc {
		return func(*terraform.State) error {
			if env.real() {
				return nil
			}
			w := env.writesTo(c.kind.path)
			if len(w) != 1 || !strings.HasPrefix(w[0], "PATCH "+c.kind.path+"{id}/ ") {
				return fmt.Errorf("want one PATCH, got %q", w)
			}
			return nil
		}
	}
	var ignore []string
	for _, f := range c.kind.fields {
		if f.secret {
			ignore = append(ignore, f.name, f.woVersionName())
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy: func(*terraform.State) error {
			if st, ok := env.stageByName(c.kind, name); ok {
				return fmt.Errorf("%s %q (%s) still exists in authentik", c.kind.title, name, st.PK)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create: one POST, state from its answer
				PreConfig: env.before(nil),
				Config:    minimal,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
				},
				Check: func(*terraform.State) error {
					if w := env.writesTo(c.kind.path); !env.real() && (len(w) != 1 || !strings.HasPrefix(w[0], "POST "+c.kind.path)) {
						return fmt.Errorf("want one POST, got %q", w)
					}
					return nil
				},
			},
			{ // unchanged: an empty plan and no write
				PreConfig:        env.before(nil),
				Config:           minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectCalls(),
			},
			{ // every optional attribute set: one PATCH
				PreConfig:        env.before(nil),
				Config:           full,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				Check:            onePatch(),
			},
			{
				Config:           full,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // import by uuid: everything but what lives only in the configuration
				ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: ignore,
			},
			{ // import by name
				ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: ignore,
				ImportStateId: "name=" + name,
			},
			{ // back to the minimal configuration: removal clears, in one PATCH
				PreConfig:        env.before(nil),
				Config:           minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				Check:            onePatch(),
			},
			{
				Config:           minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // edited in authentik: the plan shows it, the apply sends one PATCH back
				PreConfig: env.outOfBand(func() {
					st, _ := env.stageByName(c.kind, name)
					if _, err := env.client.PatchStage(context.Background(), c.kind.path, st.PK, c.drift); err != nil {
						t.Fatal(err)
					}
				}),
				Config:           minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				Check:            onePatch(),
			},
			{ // deleted in authentik: the plan creates it again
				PreConfig: env.outOfBand(func() {
					st, _ := env.stageByName(c.kind, name)
					if err := env.client.DeleteStage(context.Background(), c.kind.path, st.PK); err != nil {
						t.Fatal(err)
					}
				}),
				Config:           minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)}},
			},
		},
	})
}

// writesIfFake is writes, or nil against a real authentik.
func (e *testEnv) writesIfFake() []string {
	if e.real() {
		return nil
	}
	return e.writes()
}

// writesTo is writesIfFake to the paths below prefix: a stage's own, not
// those of the other resources its configuration holds.
func (e *testEnv) writesTo(prefix string) []string {
	return slices.DeleteFunc(e.writesIfFake(), func(w string) bool {
		_, p, _ := strings.Cut(w, " ")
		return !strings.HasPrefix(p, prefix)
	})
}

// A state written by the official goauthentik/authentik provider moves to
// this one with `terraform state replace-provider` and then plans no
// change, for every stage. The stage is created with this provider, and its
// state rewritten into the official provider's shape (schema version 0,
// unset optional strings as "", secrets in clear): what a user who created
// it with the official provider has.
func TestAccStages_migrationFromOfficialProvider(t *testing.T) {
	for typeName, kind := range stageKinds(t) {
		c, ok := stageCases[kind.typeName]
		if !ok || c.officialState == nil {
			t.Errorf("%s has no official provider state in its stageCase", typeName)
			continue
		}
		t.Run(kind.typeName, func(t *testing.T) {
			t.Parallel()
			testStageMigration(t, c)
		})
	}
}

func testStageMigration(t *testing.T, c stageCase) {
	env := newTestEnv(t)
	env.kindAvailable(c.kind)
	cli := newDevCLI(t)
	name := env.uniqueName("migrated")
	typeName := "authentik_" + c.kind.typeName
	config := strings.Replace(env.stageHCL(c, name, c.minimal), `provider "authentik" {`,
		"terraform {\n  required_providers {\n    authentik = { source = \"authentik-iac/authentik\" }\n  }\n}\nprovider \"authentik\" {", 1)
	writeFile(t, filepath.Join(cli.work, "main.tf"), config)
	realEnv := []string{}
	if env.real() {
		realEnv = []string{"AUTHENTIK_URL=" + env.url, "AUTHENTIK_TOKEN=" + env.token}
	}
	run := func(args ...string) string {
		out, code := cli.run(realEnv, args...)
		if code != 0 {
			t.Fatalf("terraform %s: exit %d:\n%s", args[0], code, out)
		}
		return out
	}
	run("apply", "-auto-approve", "-input=false", "-no-color")
	t.Cleanup(func() { cli.run(realEnv, "destroy", "-auto-approve", "-input=false") })

	// Rewrite the state as the official provider would have written it.
	statePath := filepath.Join(cli.work, "terraform.tfstate")
	raw, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	res := state["resources"].([]any)[0].(map[string]any)
	inst := res["instances"].([]any)[0].(map[string]any)
	attrs := map[string]any{"id": inst["attributes"].(map[string]any)["id"], "name": name}
	for k, v := range c.officialState {
		if k != "name" { // "{name}" in some cases: the name is this test's
			attrs[k] = v
		}
	}
	res["provider"] = `provider["registry.terraform.io/goauthentik/authentik"]`
	inst["attributes"], inst["schema_version"], inst["sensitive_attributes"] = attrs, 0, []any{}
	delete(inst, "identity")
	delete(inst, "identity_schema_version")
	out, _ := json.MarshalIndent(state, "", "  ")
	writeFile(t, statePath, string(out))

	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	run("state", "replace-provider", "-auto-approve", "registry.terraform.io/goauthentik/authentik", host+"/authentik-iac/authentik")
	env.markCalls()
	plan, code := cli.run(realEnv, "plan", "-detailed-exitcode", "-no-color", "-input=false")
	if code != 0 || !strings.Contains(plan, "No changes.") {
		t.Fatalf("plan of %s after migration: exit %d (want 0, no changes):\n%s", typeName, code, plan)
	}
	if w := env.writesIfFake(); len(w) != 0 {
		t.Errorf("the plan wrote to authentik: %q", w)
	}
}

// A lost answer to a create neither duplicates nor orphans the stage: the
// provider finds it by name and adopts it, for every stage.
func TestAccStages_lostCreateAnswerIsAdopted(t *testing.T) {
	for _, kind := range stageKinds(t) {
		c, ok := stageCases[kind.typeName]
		if !ok {
			continue // TestAccStages_lifecycle reports it
		}
		t.Run(kind.typeName, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			env.skipReal(skipFaultInjection, "drops the answer to a create")
			env.kindAvailable(c.kind)
			name := env.uniqueName("lost")
			env.fake.InjectFault("POST", c.kind.path, 1, fakeauthentik.Fault{DropAfterHandling: true})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				TerraformVersionChecks:   writeOnly,
				Steps: []resource.TestStep{{
					Config: env.stageHCL(c, name, c.minimal),
					Check: func(*terraform.State) error {
						stages, err := env.client.ListStages(context.Background(), c.kind.path, name)
						if err != nil || len(stages) != 1 {
							return fmt.Errorf("want exactly one %s named %s, got %d (%w)", c.kind.title, name, len(stages), err)
						}
						posts := slices.DeleteFunc(env.writesTo(c.kind.path), func(w string) bool { return !strings.HasPrefix(w, "POST ") })
						if len(posts) != 1 {
							return fmt.Errorf("want the one POST whose answer was lost, got %q", posts)
						}
						return nil
					},
				}},
			})
		})
	}
}

// An answer of 400 on a member lands on that member's attribute, for every
// stage: authentik refuses a name that another stage of any kind has.
func TestAccStages_nameTakenOnTheAttribute(t *testing.T) {
	for _, kind := range stageKinds(t) {
		c, ok := stageCases[kind.typeName]
		if !ok {
			continue
		}
		t.Run(kind.typeName, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			env.kindAvailable(c.kind)
			name := env.uniqueName("taken")
			takeName := func(name string) {
				st, err := env.client.CreateStage(context.Background(), duoStage.path, authentik.StageBody{"name": name,
					"client_id": "DI", "client_secret": "s", "api_hostname": "api.example.com"})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = env.client.DeleteStage(context.Background(), duoStage.path, st.PK) })
			}
			// Another kind's stage holds the name: stage names are unique
			// across kinds. The Duo stage meets a Duo stage instead.
			takeName(name)
			if c.kind == duoStage {
				name += "-x"
				takeName(name)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				TerraformVersionChecks:   writeOnly,
				Steps: []resource.TestStep{{
					Config:      env.stageHCL(c, name, c.minimal),
					ExpectError: regexp.MustCompile(`(?s)authentik rejected the name.*already exists.*import the existing stage`),
				}},
			})
		})
	}
}

// Every stage has an identity (Terraform 1.12+): set on create, the same
// after refresh, and enough for an import block without an id.
func TestAccStages_identity(t *testing.T) {
	for _, kind := range stageKinds(t) {
		c, ok := stageCases[kind.typeName]
		if !ok {
			continue
		}
		t.Run(kind.typeName, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			env.kindAvailable(c.kind)
			addr := "authentik_" + c.kind.typeName + ".test"
			// The import block step runs terraform init on this configuration
			// alone, so it names the provider's source.
			cfg := "terraform {\n  required_providers {\n    authentik = { source = \"authentik-iac/authentik\" }\n  }\n}\n" +
				env.stageHCL(c, env.uniqueName("identity"), c.minimal)
			// A secret cannot be read back, so an import of a stage whose
			// configuration holds a plain secret plans to send it once.
			sendsSecret := false
			for _, f := range c.kind.fields {
				_, plain := c.minimal[f.name]
				sendsSecret = sendsSecret || (f.secret && plain)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(uuidRegexp)}),
							statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
						},
					},
					{
						ResourceName: addr, Config: cfg, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
						ExpectNonEmptyPlan: sendsSecret,
					},
				},
			})
		})
	}
}
