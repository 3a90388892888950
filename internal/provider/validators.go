package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	uuidRegexp = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// hostRegexp accepts a bare DNS name or address with an optional port:
	// what Duo calls the "API hostname", never a URL.
	hostRegexp = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$`)
)

// isUUID validates an authentik object uuid.
func isUUID() validator.String {
	return stringvalidator.RegexMatches(uuidRegexp,
		"must be a UUID such as 2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b (find a flow's with the authentik_flow data source)")
}

// isHostname validates a bare host name such as api-1234abcd.duosecurity.com.
func isHostname() validator.String {
	return stringvalidator.RegexMatches(hostRegexp,
		"must be a bare host name such as api-1234abcd.duosecurity.com, without https:// and without a path")
}

// nonEmpty is the rule behind every documented minLength 1, plus the
// trimming authentik does silently: DRF strips leading and trailing white
// space from every string, so a value with it would come back different from
// the configuration and break the plan.
func nonEmpty() []validator.String {
	return []validator.String{stringvalidator.UTF8LengthAtLeast(1), noSurroundingSpace{}, noControlChars{}}
}

// noControlChars rejects control characters (NUL, newlines, escapes):
// authentik refuses NUL outright, and none belongs in these one-line values.
type noControlChars struct{}

func (noControlChars) Description(context.Context) string {
	return "must not contain control characters"
}

func (v noControlChars) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (noControlChars) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for i, r := range req.ConfigValue.ValueString() {
		if unicode.IsControl(r) {
			resp.Diagnostics.AddAttributeError(req.Path, "Value contains a control character",
				fmt.Sprintf("%s has the control character %U at byte %d; remove it (values here are single-line text).", req.Path, r, i))
			return
		}
	}
}

type noSurroundingSpace struct{}

func (noSurroundingSpace) Description(context.Context) string {
	return "must not start or end with white space"
}

func (v noSurroundingSpace) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v noSurroundingSpace) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if s != strings.TrimSpace(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Value has surrounding white space",
			fmt.Sprintf("%s must not start or end with white space: authentik strips it, so the stored value would differ "+
				"from the configuration. Remove it (for example with trimspace()).", req.Path))
	}
}

// sortedKeys returns a map's keys in order, for stable diagnostics.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// isDuration validates a Go duration string such as "30s" or "2m".
func isDuration() validator.String { return durationValidator{} }

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s is %q; use a positive duration such as 30s, 2m or 1h30m.", req.Path, req.ConfigValue.ValueString()))
	}
}

// exactlyOneOfTwins requires exactly one of a secret attribute and its
// write-only twin. It reads the two attributes directly: resourcevalidator's
// ExactlyOneOf resolves each path expression by walking the whole
// configuration, a third of the Duo stage's validation cost in a
// 1,000-stage plan (BENCHMARKS.md).
type exactlyOneOfTwins struct {
	plain, writeOnly string
}

func (v exactlyOneOfTwins) Description(context.Context) string {
	return fmt.Sprintf("exactly one of %s and %s must be set", v.plain, v.writeOnly)
}

func (v exactlyOneOfTwins) MarkdownDescription(ctx context.Context) string {
	return fmt.Sprintf("exactly one of `%s` and `%s` must be set", v.plain, v.writeOnly)
}

func (v exactlyOneOfTwins) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var plain, writeOnly types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.plain), &plain)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.writeOnly), &writeOnly)...)
	if resp.Diagnostics.HasError() || plain.IsUnknown() || writeOnly.IsUnknown() {
		return
	}
	switch {
	case plain.IsNull() && writeOnly.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root(v.writeOnly), "Missing "+v.plain,
			fmt.Sprintf("Set %s (write-only, never stored in state; Terraform 1.11+) or %s. Exactly one of the two is required.",
				v.writeOnly, v.plain))
	case !plain.IsNull() && !writeOnly.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root(v.plain), "Conflicting "+v.plain+" and "+v.writeOnly,
			fmt.Sprintf("%s and %s are two ways to set the same secret: keep one. Exactly one of the two is required.",
				v.plain, v.writeOnly))
	}
}
