package provider

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validateConfigOf runs the protocol server's ValidateResourceConfig (what
// `terraform validate` and every plan call first) on a configuration of
// kind: no provider configuration, so no request can be made.
func validateConfigOf(t *testing.T, k *stageKind, set map[string]any) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	s := NewProtocol6Server("test")()
	if _, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	r := testStageResource(k)
	v := tftypes.NewValue(r.typ, map[string]tftypes.Value(stageValues(k, set)))
	resp, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
		TypeName: "authentik_" + k.typeName, Config: dynamic(t, r.typ, v)})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// validationCase is a configuration (changes to a valid base; nil removes)
// and the error it must give, on attribute at, matching want (summary and
// detail together); want "" means valid.
type validationCase struct {
	change map[string]any
	at     string
	want   string
}

func runValidationCases(t *testing.T, k *stageKind, base map[string]any, cases map[string]validationCase) {
	t.Helper()
	if d := validateConfigOf(t, k, base); len(d) != 0 {
		t.Fatalf("the base configuration is invalid: %v", diagText(d))
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			diags := validateConfigOf(t, k, withValues(base, tc.change))
			if tc.want == "" {
				if len(diags) != 0 {
					t.Fatalf("want valid, got %s", diagText(diags))
				}
				return
			}
			re := regexp.MustCompile("(?s)" + tc.want)
			for _, d := range diags {
				if d.Severity != tfprotov6.DiagnosticSeverityError || !re.MatchString(d.Summary+": "+d.Detail) {
					continue
				}
				if tc.at != "" && !d.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(tc.at)) {
					t.Fatalf("error on %v, want on %s: %s", d.Attribute, tc.at, d.Detail)
				}
				return
			}
			t.Fatalf("want an error matching %q on %s, got %s", tc.want, tc.at, diagText(diags))
		})
	}
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("\n  " + d.Summary + ": " + d.Detail)
		if d.Attribute != nil {
			b.WriteString(" [" + d.Attribute.String() + "]")
		}
	}
	return b.String()
}

// createBodyOf is the POST body for a plan (and configuration) of kind.
func createBodyOf(t *testing.T, k *stageKind, plan, config map[string]any) string {
	t.Helper()
	var diags diag.Diagnostics
	body := testStageResource(k).createBody(stageValues(k, plan), stageValues(k, config), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return jsonOf(t, body)
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A default of the wrong Go type is silently dropped by the schema (the
// attribute becomes Computed without a Default): every kind's defaults must
// match their field types.
func TestStageKinds_defaultsMatchTypes(t *testing.T) {
	for typeName, k := range stageKinds(t) {
		for _, f := range k.fields {
			if f.def == nil {
				continue
			}
			ok := false
			switch f.typ {
			case int64Field:
				_, ok = f.def.(int64)
			case boolField:
				_, ok = f.def.(bool)
			case stringSetField, stringListField:
				_, ok = f.def.([]string)
			default:
				_, ok = f.def.(string)
			}
			if !ok {
				t.Errorf("%s.%s: default %#v does not fit its field type", typeName, f.name, f.def)
			}
		}
	}
}
