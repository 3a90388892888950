package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Hostile values are either refused at plan, with no request, or sent
// safely and read back unchanged.
func TestAccDuoStage_hostileValues(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 100_000)
	cases := map[string]struct {
		vars    string // extra HCL (variables)
		attrs   func(name string) map[string]string
		wantErr string // "" = accepted, read back as wantName
		want    func(name string) string
	}{
		"NUL in name": {attrs: func(n string) map[string]string { return with(duoAttrs(n), "name", `"`+n+`\u0000"`) },
			wantErr: `Value contains a control character.*name has the control character U\+0000`},
		"newline in friendly_name": {attrs: func(n string) map[string]string { return with(duoAttrs(n), "friendly_name", q("a\nb")) },
			wantErr: `friendly_name has the control character U\+000A`},
		"escape in secret": {attrs: func(n string) map[string]string { return with(duoAttrs(n), "client_secret", `"s\u001b[31m"`) },
			wantErr: `client_secret has the control character U\+001B`},
		"URL with path as host": {attrs: func(n string) map[string]string { return with(duoAttrs(n), "api_hostname", q("api.example.com/x")) },
			wantErr: `must be a bare host name`},
		"unicode host": {attrs: func(n string) map[string]string { return with(duoAttrs(n), "api_hostname", q("äpi.example.com")) },
			wantErr: `must be a bare host name`},
		"list from a variable": {vars: "variable \"n\" {\n  default = [\"a\"]\n}\n",
			attrs:   func(n string) map[string]string { return with(duoAttrs(n), "name", "var.n") },
			wantErr: `Incorrect attribute value type`},
		"unicode name": {attrs: func(n string) map[string]string { return with(duoAttrs(n), "name", q(n+"-Düo-認証-✓")) },
			want: func(n string) string { return n + "-Düo-認証-✓" }},
		"100 kB name": {attrs: func(n string) map[string]string { return with(duoAttrs(n), "name", q(n+huge)) },
			want: func(n string) string { return n + huge }},
		"number from a variable": {vars: "variable \"n\" {\n  default = 12345\n}\n",
			attrs: func(n string) map[string]string { return with(duoAttrs(n), "name", `"${var.n}-`+n+`"`) },
			want:  func(n string) string { return "12345-" + n }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			stage := env.uniqueName("duo-hostile")
			step := resource.TestStep{Config: env.config(tc.vars + duoHCL(tc.attrs(stage)))}
			if tc.wantErr != "" {
				step.PlanOnly, step.ExpectError = true, wrapRe(tc.wantErr)
			} else {
				step.ConfigStateChecks = []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("name"), knownvalue.StringExact(tc.want(stage))),
				}
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.factories, Steps: []resource.TestStep{step}})
			if tc.wantErr != "" {
				env.expectNoCalls(t)
			}
		})
	}
}
