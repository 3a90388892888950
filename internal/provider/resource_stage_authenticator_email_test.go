package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func init() {
	registerStageCase(stageCase{
		kind:    emailStage,
		minimal: map[string]string{},
		full: map[string]string{"use_global_settings": "false", "host": q("smtp.example.com"), "port": "587",
			"username": q("mailer"), "password_wo": q("smtp-secret"), "password_wo_version": "1", "use_tls": "true", "use_ssl": "true",
			"timeout": "15", "from_address": q("otp@example.com"), "token_expiry": q("hours=1;minutes=30"),
			"subject": q("Your sign-in code"), "template": q("email/email_otp.html"),
			"configure_flow": "{flow}", "friendly_name": q("Email code")},
		drift: authentik.StageBody{"host": "edited.example.com"},
		officialState: map[string]any{"use_global_settings": true, "host": "localhost", "port": 25, "username": "",
			"password": "", "use_tls": false, "use_ssl": false, "timeout": 30, "from_address": "system@authentik.local",
			"token_expiry": "minutes=30", "subject": "authentik", "template": "email/password_reset.html",
			"configure_flow": "", "friendly_name": ""},
	})
}

var emailBase = map[string]any{"name": "email"}

func TestEmailStage_validators(t *testing.T) {
	runValidationCases(t, emailStage, emailBase, map[string]validationCase{
		"port 0":              {map[string]any{"port": 0}, "port", `value must be between 1 and 65535`},
		"port 65536":          {map[string]any{"port": 65536}, "port", `value must be between 1 and 65535`},
		"port 587":            {map[string]any{"port": 587}, "", ""},
		"timeout 0":           {map[string]any{"timeout": 0}, "timeout", `value must be between 1 and 2147483647`},
		"empty host":          {map[string]any{"host": ""}, "host", `character count must be at least 1`},
		"empty subject":       {map[string]any{"subject": ""}, "subject", `character count must be at least 1`},
		"empty template":      {map[string]any{"template": ""}, "template", `character count must be at least 1`},
		"from not an address": {map[string]any{"from_address": "authentik"}, "from_address", `must be an email address`},
		"from with a name":    {map[string]any{"from_address": "authentik <a@example.com>"}, "from_address", `must be an email address`},
		"from too long":       {map[string]any{"from_address": strings.Repeat("a", 250) + "@example.com"}, "from_address", `at most 254`},
		"from localhost":      {map[string]any{"from_address": "system@localhost"}, "", ""},
		"from default":        {map[string]any{"from_address": "system@authentik.local"}, "", ""},
		"expiry with commas": {map[string]any{"token_expiry": "hours=3,minutes=17"}, "token_expiry",
			`Invalid duration.*"hours=3,minutes=17" must have exactly one "=".*separated by ";"`},
		"expiry unknown key": {map[string]any{"token_expiry": "fortnights=1"}, "token_expiry", `"fortnights" is not a unit`},
		"expiry not number":  {map[string]any{"token_expiry": "minutes=thirty"}, "token_expiry", `"thirty" is not a number`},
		"expiry two pairs":   {map[string]any{"token_expiry": "hours=1;minutes=30"}, "", ""},
		"expiry with space":  {map[string]any{"token_expiry": " minutes=5"}, "token_expiry", `surrounding white space`},
		"empty password":     {map[string]any{"password": ""}, "password", `character count must be at least 1`},
		"password twins":     {map[string]any{"password": "a", "password_wo": "b", "password_wo_version": 1}, "password", `cannot be specified when`},
		"username spaces":    {map[string]any{"username": "me "}, "username", `surrounding white space`},
	})
}

func TestEmailStage_bodies(t *testing.T) {
	defaults := map[string]any{"name": "email", "use_global_settings": true, "host": "localhost", "port": 25, "use_tls": false,
		"use_ssl": false, "timeout": 30, "from_address": "system@authentik.local", "token_expiry": "minutes=30",
		"subject": "authentik", "template": "email/password_reset.html"}
	if got, want := createBodyOf(t, emailStage, defaults, emailBase), `{"from_address":"system@authentik.local","host":"localhost",`+
		`"name":"email","port":25,"subject":"authentik","template":"email/password_reset.html","timeout":30,"token_expiry":"minutes=30",`+
		`"use_global_settings":true,"use_ssl":false,"use_tls":false}`; got != want {
		t.Errorf("create body\n got  %s\n want %s", got, want)
	}
	state := withValues(defaults, map[string]any{"id": "id", "username": "u", "password": "p", "port": 587, "host": "smtp.example.com"})
	if got := patchOf(t, emailStage, withValues(defaults, map[string]any{"id": "id"}), state, emailBase); got != `{"host":"localhost","password":"","port":25,"username":""}` {
		t.Errorf("back to defaults: %s", got)
	}
}

// Invalid values fail at plan, on their attribute, before any request.
func TestAccEmailStage_validation(t *testing.T) {
	t.Parallel()
	base := map[string]string{"name": q("tf-acc-email-validation")}
	cases := map[string]struct {
		attrs map[string]string
		want  string
	}{
		"token_expiry": {with(base, "token_expiry", q("hours=3,minutes=17")), `Invalid duration.*"hours=3,minutes=17" is not a duration authentik understands`},
		"from_address": {with(base, "from_address", q("nobody")), `Attribute from_address must be an email address`},
		"port":         {with(base, "port", "0"), `Attribute port value must be between 1 and 65535, got: 0`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps: []resource.TestStep{{
					Config: env.config(hcl("authentik_stage_authenticator_email", "test", tc.attrs)), PlanOnly: true,
					ExpectError: wrapRe(tc.want),
				}},
			})
			env.expectNoCalls(t)
		})
	}
}

// authentik before 2025.2 has no email authenticator stage: the create
// fails with both versions named, and nothing is written.
func TestAccEmailStage_before2025_2(t *testing.T) {
	t.Parallel()
	env := newTestEnvVersion(t, fakeauthentik.V2024_10)
	env.skipReal(skipVersion, "pins the fake to authentik 2024.10")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			PreConfig: env.before(nil),
			Config:    env.config(hcl("authentik_stage_authenticator_email", "test", map[string]string{"name": q(env.uniqueName("email-old"))})),
			ExpectError: wrapRe(`authentik 2024.10.5 has no email authenticator stage.*exists from authentik 2025.2 on; this server runs ` +
				`2024.10.5. Upgrade authentik or remove the resource`),
		}},
	})
	if w := env.writes(); len(w) != 0 {
		t.Errorf("want no write, got %q", w)
	}
}

// The write-only password is sent on create, and again only when its
// version changes; dropping it clears it.
func TestAccEmailStage_writeOnlyPassword(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal(skipRequestLog, "checks which requests carry the password")
	env.kindAvailable(emailStage)
	name := env.uniqueName("email-wo")
	attrs := map[string]string{"name": q(name), "use_global_settings": "false", "username": q("mailer"),
		"password_wo": q("pw-1"), "password_wo_version": "1"}
	cfg := func(a map[string]string) string {
		return env.config(hcl("authentik_stage_authenticator_email", "test", a))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   writeOnly,
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    cfg(attrs),
				Check: env.expectCalls(`POST /stages/authenticator/email/ {"name":"` + name + `","use_global_settings":false,` +
					`"host":"localhost","port":25,"username":"mailer","password":"pw-1","use_tls":false,"use_ssl":false,"timeout":30,` +
					`"from_address":"system@authentik.local","token_expiry":"minutes=30","subject":"authentik","template":"email/password_reset.html"}`),
			},
			{
				PreConfig:        env.before(nil),
				Config:           cfg(with(attrs, "password_wo", q("pw-2"))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectCalls(),
			},
			{
				PreConfig: env.before(nil),
				Config:    cfg(with(attrs, "password_wo", q("pw-2"), "password_wo_version", "2")),
				Check:     env.expectCalls(`PATCH /stages/authenticator/email/{id}/ {"password":"pw-2"}`),
			},
			{
				PreConfig: env.before(nil),
				Config:    cfg(with(attrs, "password_wo", "", "password_wo_version", "")),
				Check:     env.expectCalls(`PATCH /stages/authenticator/email/{id}/ {"password":""}`),
			},
		},
	})
}
