package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// apiOp describes the operation an error came from, for the diagnostic text.
type apiOp struct {
	// action completes "authentik could not ...", e.g. "create the Duo stage".
	action string
	// attribute maps an authentik field name to the attribute it came
	// from; ok is false for fields the resource does not manage.
	attribute func(field string) (p path.Path, ok bool)
	// hint is added to field errors on the given attribute (e.g. how to
	// import a stage whose name is taken).
	hint func(field, message string) string
}

// addAPIError turns a client error into diagnostics. It is the one place
// that decides what the user reads: authentik's own words, on the attribute
// they concern, with the fix; never an HTML page and never a request body.
func addAPIError(diags *diag.Diagnostics, op apiOp, err error) {
	var apiErr *authentik.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		diags.AddError("Timed out talking to authentik",
			fmt.Sprintf("The provider could not %s in time: %s. Raise the resource's `timeouts` or the provider's "+
				"`request_timeout`, or check why authentik answers slowly.", op.action, trimPrefix(err)))
		return
	case errors.Is(err, context.Canceled):
		diags.AddError("Cancelled", fmt.Sprintf("The provider stopped trying to %s because the operation was cancelled.", op.action))
		return
	case authentik.IsOutcomeUnknown(err):
		diags.AddError("authentik's answer was lost",
			fmt.Sprintf("The provider could not %s: %s. Whether authentik acted on the last attempt is unknown, and nothing "+
				"is in Terraform state: check authentik (import the object if it is there), then apply again.", op.action, trimPrefix(err)))
		return
	}
	if !errors.As(err, &apiErr) {
		diags.AddError("Could not reach authentik",
			fmt.Sprintf("The provider could not %s: %s. Check `url` (or AUTHENTIK_URL) and the network path to authentik.", op.action, trimPrefix(err)))
		return
	}
	where := fmt.Sprintf("%s /api/v3%s", apiErr.Method, apiErr.Path)
	switch {
	case apiErr.IsServerError():
		diags.AddError("authentik could not "+op.action,
			fmt.Sprintf("authentik failed internally while answering %s (status %d%s, not shown). "+
				"Nothing was saved to Terraform state. authentik's server log has the cause.",
				where, apiErr.Status, htmlNote(apiErr)))
	case apiErr.Status == 403:
		diags.AddError("authentik refused the token",
			fmt.Sprintf("authentik answered 403 to %s%s. Check that `token` (or AUTHENTIK_TOKEN) is a valid API token "+
				"(intent API, not an app password, not expired) and that its user may %s.", where, quoted(apiErr.Detail), op.action))
	case apiErr.Status == 404 && apiErr.HTML:
		diags.AddError("authentik API not found at this URL",
			fmt.Sprintf("%s answered an HTML 404 page, so the path is not an authentik API route. "+
				"Check `url` (or AUTHENTIK_URL): it must be authentik's base URL, including any sub-path authentik is served under.", where))
	case apiErr.Status == 404:
		diags.AddError("authentik could not "+op.action,
			fmt.Sprintf("authentik answered 404 to %s%s: the object no longer exists. It was probably deleted outside Terraform; "+
				"run `terraform apply -refresh-only` to drop it from state, then apply again to re-create it.", where, quoted(apiErr.Detail)))
	case apiErr.Status == 400:
		addValidationErrors(diags, op, apiErr)
	default:
		diags.AddError("authentik could not "+op.action,
			fmt.Sprintf("authentik answered %d to %s%s.", apiErr.Status, where, quoted(apiErr.Detail)))
	}
}

func addValidationErrors(diags *diag.Diagnostics, op apiOp, e *authentik.APIError) {
	general := append([]string(nil), e.NonFieldErrors...)
	if e.Detail != "" {
		general = append(general, e.Detail)
	}
	for _, field := range sortedKeys(e.FieldErrors) {
		msgs := e.FieldErrors[field]
		attr, ok := path.Path{}, false
		if op.attribute != nil {
			attr, ok = op.attribute(field)
		}
		if !ok {
			general = append(general, field+": "+strings.Join(msgs, " "))
			continue
		}
		detail := fmt.Sprintf("authentik said: %q.", strings.Join(msgs, " "))
		if op.hint != nil {
			if h := op.hint(field, strings.Join(msgs, " ")); h != "" {
				detail += " " + h
			}
		}
		diags.AddAttributeError(attr, "authentik rejected the "+field, detail)
	}
	if len(general) > 0 {
		diags.AddError("authentik rejected the request",
			fmt.Sprintf("authentik could not %s and said: %q.", op.action, strings.Join(general, " ")))
	}
}

func htmlNote(e *authentik.APIError) string {
	if e.HTML {
		return ", an HTML error page"
	}
	return ""
}

func quoted(detail string) string {
	if detail == "" {
		return ""
	}
	return fmt.Sprintf(": %q", detail)
}

// trimPrefix drops the client's "authentik: " prefix, which reads oddly
// inside a sentence that already names authentik.
func trimPrefix(err error) string {
	return strings.TrimPrefix(err.Error(), "authentik: ")
}
