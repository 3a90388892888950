package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Provider settings: what is missing or malformed is named, with its
// environment variable, before any request.
func TestProvider_configErrors(t *testing.T) {
	stage := duoHCL(duoAttrs("tf-acc-config"))
	cases := map[string]struct {
		env    map[string]string
		config string
		want   string
	}{
		"no url": {config: "provider \"authentik\" {\n  token = \"t\"\n}\n",
			want: `Missing authentik URL.*Set .url. in the provider block or the AUTHENTIK_URL environment variable`},
		"no token": {config: "provider \"authentik\" {\n  url = \"https://a.example.com\"\n}\n",
			want: `Missing authentik token.*Set .token. in the provider block or the AUTHENTIK_TOKEN environment variable`},
		"url without scheme": {config: "provider \"authentik\" {\n  url = \"authentik.example.com\"\n  token = \"t\"\n}\n",
			want: `Invalid authentik URL.*\(or AUTHENTIK_URL\) is not usable: URL "authentik.example.com" must start with https:// or http://`},
		"bad env url": {env: map[string]string{envURL: "::", envToken: "t"}, config: "provider \"authentik\" {}\n",
			want: `Invalid authentik URL.*AUTHENTIK_URL`},
		"bad insecure env": {env: map[string]string{envInsecure: "maybe"}, config: "provider \"authentik\" {\n  url = \"https://a.example.com\"\n  token = \"t\"\n}\n",
			want: `Invalid AUTHENTIK_INSECURE value.*AUTHENTIK_INSECURE is "maybe"; set it to true or false`},
		"reserved header": {config: "provider \"authentik\" {\n  url = \"https://a.example.com\"\n  token = \"t\"\n  headers = { Authorization = \"x\" }\n}\n",
			want: `Invalid provider configuration.*header "Authorization" is set by the client`},
		"url known only after apply": {config: "resource \"terraform_data\" \"u\" {\n  input = \"https://a.example.com\"\n}\n" +
			"provider \"authentik\" {\n  url = terraform_data.u.output\n  token = \"t\"\n}\n",
			want: `authentik url not known yet.*depends on a value known only after apply.*-target`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, k := range []string{envURL, envToken, envInsecure} {
				t.Setenv(k, tc.env[k])
			}
			env := &testEnv{t: t}
			env.factories = newTestEnvFactories()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps: []resource.TestStep{{
					Config: tc.config + stage, PlanOnly: true, ExpectError: wrapRe(tc.want),
				}},
			})
		})
	}
}

// The version stamped at build time (-X main.version) reaches authentik in
// the User-Agent, with Terraform's version.
func TestProvider_userAgent(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"pk":"2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b","name":"f","slug":"f","title":"F","designation":"authentication"}`))
	}))
	defer srv.Close()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"authentik": providerserver.NewProtocol6WithError(New("1.2.3")()),
		},
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"authentik\" {\n  url = %q\n  token = \"t\"\n}\ndata \"authentik_flow\" \"f\" {\n  slug = \"f\"\n}\n", srv.URL),
		}},
	})
	mu.Lock()
	defer mu.Unlock()
	if len(agents) == 0 || !regexp.MustCompile(`^terraform-provider-authentik/1\.2\.3 \(Terraform \d+\.\d+\.\d+`).MatchString(agents[0]) {
		t.Errorf("User-Agent %q", agents)
	}
}
