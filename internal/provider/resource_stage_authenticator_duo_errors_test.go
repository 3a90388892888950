package provider

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// Every documented constraint fails at plan, on its attribute, before any
// request reaches authentik.
func TestAccDuoStage_validation(t *testing.T) {
	t.Parallel()
	base := duoAttrs("tf-acc-duo-validation")
	cases := map[string]struct {
		attrs map[string]string
		want  string
	}{
		"empty name":            {with(base, "name", q("")), `Attribute name UTF-8 character count must be at least 1`},
		"name with white space": {with(base, "name", q(" duo ")), `Value has surrounding white space.*name must not start or end`},
		"empty client_id":       {with(base, "client_id", q("")), `Attribute client_id UTF-8 character count must be at least 1`},
		"api_hostname is a URL": {with(base, "api_hostname", q("https://api-1.example.com/")),
			`Attribute api_hostname must be a bare host name such as api-1234abcd.duosecurity.com`},
		"empty api_hostname":     {with(base, "api_hostname", q("")), `Attribute api_hostname UTF-8 character count must be at least 1`},
		"configure_flow no uuid": {with(base, "configure_flow", q("default-authenticator-totp-setup")), `Attribute configure_flow must be a UUID`},
		"empty friendly_name":    {with(base, "friendly_name", q("")), `Attribute friendly_name UTF-8 character count must be at least 1`},
		"empty admin key":        {with(base, "admin_integration_key", q("")), `Attribute admin_integration_key UTF-8 character count must be`},
		"no client secret":       {with(base, "client_secret", ""), `Missing client_secret.*Set client_secret_wo \(write-only, never stored in state; Terraform\s+1.11\+\) or\s+client_secret`},
		"both client secrets": {with(base, "client_secret_wo", q("x")),
			`Conflicting client_secret and client_secret_wo.*client_secret = "duo-secret".*are two ways to set the same secret: keep\s+one`},
		"version without wo": {with(base, "client_secret_wo_version", "1"),
			`Attribute "client_secret_wo" must be specified when "client_secret_wo_version"`},
		"both admin secrets": {with(base, "admin_secret_key", q("a"), "admin_secret_key_wo", q("b")),
			`Attribute "admin_secret_key_wo" cannot be specified when "admin_secret_key" is specified`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				TerraformVersionChecks:   writeOnly,
				Steps: []resource.TestStep{{
					Config: env.config(duoHCL(tc.attrs)), PlanOnly: true,
					ExpectError: wrapRe(tc.want),
				}},
			})
			env.expectNoCalls(t)
		})
	}
}

// A 400 lands on the attribute it names, with authentik's words and the fix,
// and nothing reaches the state.
func TestAccDuoStage_nameTaken(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := env.uniqueName("duo-taken")
	env.seedDuoStage(map[string]any{"name": name, "client_id": "X", "client_secret": "s", "api_hostname": "h.example.com"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config(duoHCL(duoAttrs(name))),
			ExpectError: wrapRe(`authentik rejected the name.*name = .*` +
				`"stage with this name already exists.". Choose another .name., or import`),
		}},
	})
	if stages, err := env.fx.DuoStagesNamed(t.Context(), name); err != nil || len(stages) != 1 {
		t.Errorf("want only the seeded stage named %s in authentik, got %d stages (%v)", name, len(stages), err)
	}
}

// authentik's answer to an unhandled error on a write is an empty HTML 405:
// the provider says authentik failed, shows no page, and keeps nothing.
func TestAccDuoStage_serverErrorOnCreate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal(skipFaultInjection, "authentik fails the create")
	env.fake.InjectFault(http.MethodPost, "/stages/authenticator/duo/", 1, fakeauthentik.WriteServerError)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config(duoHCL(duoAttrs(env.uniqueName("duo-500")))),
			ExpectError: wrapRe(`authentik could not create the Duo stage.*failed internally while answering ` +
				`POST /api/v3/stages/authenticator/duo/ \(status 405, an HTML error page, not shown\). Nothing was saved`),
		}},
		CheckDestroy: func(*terraform.State) error { return nil },
	})
	if n := len(env.fake.DuoStages()); n != 0 {
		t.Errorf("want no stage in authentik after the failed create, got %d", n)
	}
}

// A token without the permission gets authentik's 403, explained.
func TestAccDuoStage_forbidden(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	token := env.apiToken(env.newUser("plain-user")) // no permissions
	cfg := env.configAs(token, duoHCL(duoAttrs(env.uniqueName("duo-forbidden"))))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ExpectError: wrapRe(`authentik refused the token.*answered 403 to POST /api/v3/stages/authenticator/duo/: ` +
				`"You do not have permission to perform this action.". Check that .token. \(or AUTHENTIK_TOKEN\)`),
		}},
	})
}

// Only Read and Delete treat 404 as gone: a 404 on update is an error that
// shows authentik's answer, and the resource stays in state.
func TestAccDuoStage_notFoundOnUpdate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	// On a real authentik the 404 would need the stage deleted between
	// refresh and apply, and then the next plan would create it anew.
	env.skipReal(skipFaultInjection, "authentik answers 404 to the PATCH of a stage that still exists")
	name := env.uniqueName("duo-404")
	attrs := duoAttrs(name)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{Config: env.config(duoHCL(attrs))},
			{
				PreConfig: func() {
					env.fake.InjectFault(http.MethodPatch, "/stages/authenticator/duo/", 1, fakeauthentik.Fault{
						Status: 404, ContentType: "application/json", Body: `{"detail":"No AuthenticatorDuoStage matches the given query."}`})
				},
				Config:      env.config(duoHCL(with(attrs, "friendly_name", q("New name")))),
				ExpectError: wrapRe(`authentik could not update the Duo stage.*answered 404 to PATCH .*"No AuthenticatorDuoStage matches the given query.": the object no longer exists`),
			},
			{ // still in state: the next plan proposes the same update, not a create
				Config: env.config(duoHCL(with(attrs, "friendly_name", q("New name")))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("friendly_name"), knownvalue.StringExact("New name")),
				},
			},
		},
	})
}

// wrapRe compiles a pattern for Terraform's output, which wraps long lines:
// every space in s matches any run of white space.
func wrapRe(s string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(s, " ", `\s+`))
}
