package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// stageKind declares one of authentik's stage APIs. Everything a stage
// resource does (schema, create, read, PATCH of what changed, delete, import
// by uuid or name, recovery of a lost create, errors on attribute paths,
// timeouts, identity) is written once in stageResource; a kind says only
// what is its own.
type stageKind struct {
	typeName string // after "authentik_", e.g. "stage_authenticator_duo"
	path     string // below /api/v3, e.g. "/stages/authenticator/duo/"
	title    string // for messages, e.g. "Duo stage"
	desc     string // the resource's description
	since    string // the first authentik version that has the kind, if not all
	fields   []field

	// unnamed kinds are not stages but objects with the same life cycle (a
	// flow stage binding): no name and no flows attribute, import by uuid
	// only, reached through api instead of the stage calls below path.
	unnamed bool
	api     func(*authentik.Client) objectAPI

	// The kind's object type, built once: the framework calls a resource's
	// constructor for every request, 1,000 times in a plan of 1,000 stages.
	typOnce sync.Once
	typ     tftypes.Object
}

// objectType is the Terraform type of the kind's schema.
func (k *stageKind) objectType() tftypes.Object {
	k.typOnce.Do(func() { k.typ = k.schema().Type().TerraformType(context.Background()).(tftypes.Object) })
	return k.typ
}

// objectAPI reaches a kind's objects in authentik, one request per call.
// Answers come as authentik.Stage, which keeps the pk and every member raw:
// all the generic resource reads.
type objectAPI interface {
	create(ctx context.Context, body authentik.StageBody) (authentik.Stage, error)
	get(ctx context.Context, id string) (authentik.Stage, error)
	patch(ctx context.Context, id string, body authentik.StageBody) (authentik.Stage, error)
	remove(ctx context.Context, id string) error
	// find lists the objects a create of body may have made (for a stage:
	// the one of its name).
	find(ctx context.Context, body authentik.StageBody) ([]authentik.Stage, error)
}

// stageAPI is the objectAPI of stage kinds: the stage calls below path.
type stageAPI struct {
	c    *authentik.Client
	path string
}

func (a stageAPI) create(ctx context.Context, body authentik.StageBody) (authentik.Stage, error) {
	return a.c.CreateStage(ctx, a.path, body)
}

func (a stageAPI) get(ctx context.Context, id string) (authentik.Stage, error) {
	return a.c.GetStage(ctx, a.path, id)
}

func (a stageAPI) patch(ctx context.Context, id string, body authentik.StageBody) (authentik.Stage, error) {
	return a.c.PatchStage(ctx, a.path, id, body)
}

func (a stageAPI) remove(ctx context.Context, id string) error {
	return a.c.DeleteStage(ctx, a.path, id)
}

func (a stageAPI) find(ctx context.Context, body authentik.StageBody) ([]authentik.Stage, error) {
	name, _ := body["name"].(string)
	return a.c.ListStages(ctx, a.path, name)
}

// noun is what the kind's objects are called in attribute descriptions.
func (k *stageKind) noun() string {
	if k.unnamed {
		return k.title
	}
	return "stage"
}

// authenticatorSetupFields are the members every authenticator setup stage
// has besides name (the validate stage has neither).
func authenticatorSetupFields(what string) []field {
	return []field{
		{name: "configure_flow", clear: clearWithNull, stringValidators: []validator.String{isUUID()},
			desc: "uuid of the flow a signed-in user runs to enroll " + what + " from their settings " +
				"(for example `data.authentik_flow.x.id`). Without it, users cannot set it up on their own."},
		{name: "friendly_name", clear: clearWithFriendlyName, stringValidators: nonEmpty(),
			desc: "Name shown to users for this authenticator."},
	}
}

// stageResource is the resource of one stage kind.
type stageResource struct {
	kind   *stageKind
	client *authentik.Client
	api    objectAPI
	typ    tftypes.Object // the resource's object type, worked out once per kind
}

var (
	_ resource.ResourceWithConfigure        = (*stageResource)(nil)
	_ resource.ResourceWithImportState      = (*stageResource)(nil)
	_ resource.ResourceWithConfigValidators = (*stageResource)(nil)
	_ resource.ResourceWithIdentity         = (*stageResource)(nil)
)

// newStageResource returns the constructor of kind's resource.
func newStageResource(kind *stageKind) func() resource.Resource {
	return func() resource.Resource { return &stageResource{kind: kind, typ: kind.objectType()} }
}

func (r *stageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName
}

func (r *stageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.kind.schema()
}

func (k *stageKind) schema() schema.Schema {
	desc := k.desc + fmt.Sprintf(" Managed through `/api/v3%s`.", k.path)
	if k.since != "" {
		desc += fmt.Sprintf(" Needs authentik %s or later.", k.since)
	}
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The " + k.noun() + "'s uuid (`pk` in the API).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"timeouts": timeouts.Attributes(context.Background(), timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
	}
	if !k.unnamed {
		k.stageAttributes(attrs)
	}
	for _, f := range k.fields {
		for name, a := range f.attributes() {
			attrs[name] = a
		}
	}
	return schema.Schema{MarkdownDescription: desc, Attributes: attrs}
}

// stageAttributes adds what every stage has besides its kind's fields.
func (k *stageKind) stageAttributes(attrs map[string]schema.Attribute) {
	maps.Copy(attrs, map[string]schema.Attribute{
		"name": schema.StringAttribute{
			MarkdownDescription: "Stage name, unique across all stages of every type.",
			Required:            true,
			Validators:          nonEmpty(),
		},
		"flows": schema.ListNestedAttribute{
			MarkdownDescription: "The flows this stage is bound to (read-only; bind stages to flows with flow stage bindings). " +
				"Refreshed on every read.",
			Computed: true,
			// An update never changes bindings, so the plan keeps the
			// refreshed value instead of showing "(known after apply)".
			PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":          schema.StringAttribute{Computed: true, MarkdownDescription: "Flow uuid."},
				"slug":        schema.StringAttribute{Computed: true, MarkdownDescription: "Flow slug."},
				"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Flow name."},
				"designation": schema.StringAttribute{Computed: true, MarkdownDescription: "What the flow is used for, e.g. `stage_configuration`."},
			}},
		},
	})
}

func (r *stageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The " + r.kind.noun() + "'s uuid.")
}

// idIdentitySchema is the identity of every resource of this provider: the
// object's primary key in authentik, as its `id` attribute holds it.
func idIdentitySchema(desc string) identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{RequiredForImport: true, Description: desc},
	}}
}

func (r *stageResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	var out []resource.ConfigValidator
	for _, f := range r.kind.fields {
		if f.secret && f.required {
			out = append(out, exactlyOneOfTwins{plain: f.name, writeOnly: f.woName()})
		}
	}
	return out
}

func (r *stageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
	if r.kind.api != nil {
		r.api = r.kind.api(r.client)
	} else {
		r.api = stageAPI{c: r.client, path: r.kind.path}
	}
}

// objectValues is a resource object's attributes.
type objectValues map[string]tftypes.Value

func attributesOf(v tftypes.Value, diags *diag.Diagnostics) objectValues {
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		diags.AddError("Unexpected value", "The provider could not read a resource value: "+err.Error()+". This is a bug in the provider.")
	}
	return m
}

func (o objectValues) set(v tftypes.Value) bool { return v.IsKnown() && !v.IsNull() }

func (o objectValues) string(name string) string {
	var s string
	if v := o[name]; o.set(v) {
		_ = v.As(&s)
	}
	return s
}

// withTimeout bounds ctx by one entry of the `timeouts` attribute.
func (o objectValues) withTimeout(ctx context.Context, op string, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, o.timeout(op, diags))
}

func (o objectValues) timeout(op string, diags *diag.Diagnostics) time.Duration {
	t := o["timeouts"]
	if !o.set(t) {
		return defaultTimeout
	}
	var entries map[string]tftypes.Value
	if err := t.As(&entries); err != nil || !o.set(entries[op]) {
		return defaultTimeout
	}
	var s string
	_ = entries[op].As(&s)
	d, err := time.ParseDuration(s)
	if err != nil {
		diags.AddAttributeError(path.Root("timeouts").AtName(op), "Invalid timeout",
			fmt.Sprintf("%q is not a duration such as 30s or 5m: %s.", s, err))
		return defaultTimeout
	}
	return d
}

func (r *stageResource) store(state *tfsdk.State, identity *tfsdk.ResourceIdentity, values objectValues) {
	state.Raw = tftypes.NewValue(r.typ, map[string]tftypes.Value(values))
	if identity != nil {
		identity.Raw = idIdentity(values["id"])
	}
}

var idIdentityType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}

func idIdentity(id tftypes.Value) tftypes.Value {
	return tftypes.NewValue(idIdentityType, map[string]tftypes.Value{"id": id})
}

func (r *stageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := attributesOf(req.Plan.Raw, &resp.Diagnostics)
	config := attributesOf(req.Config.Raw, &resp.Diagnostics)
	ctx, cancel := plan.withTimeout(ctx, "create", &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	body := r.createBody(plan, config, &resp.Diagnostics)
	r.checkVersion(ctx, config, body, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	stage, err := r.api.create(ctx, body)
	if authentik.IsOutcomeUnknown(err) {
		stage, err = r.recoverCreate(ctx, body, &resp.Diagnostics)
	}
	if err != nil {
		r.addError(&resp.Diagnostics, "create", config, err)
		return
	}
	// The POST answer is the new state: no read-back.
	r.store(&resp.State, resp.Identity, r.fromAPI(plan, stage, &resp.Diagnostics))
}

func (r *stageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state := attributesOf(req.State.Raw, &resp.Diagnostics)
	ctx, cancel := state.withTimeout(ctx, "read", &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	stage, err := r.api.get(ctx, state.string("id"))
	if authentik.IsNotFound(err) {
		// Deleted in authentik: the plan proposes to create it again. The
		// framework wants an identity even for a removed resource.
		if resp.Identity != nil {
			resp.Identity.Raw = idIdentity(state["id"])
		}
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.addError(&resp.Diagnostics, "read", state, err)
		return
	}
	values := r.fromAPI(state, stage, &resp.Diagnostics)
	for _, f := range r.kind.fields {
		// The official goauthentik/authentik provider stores an unset
		// optional secret as ""; after `terraform state replace-provider`
		// that must read as unset, not as a change to send.
		if f.secret && values.string(f.name) == "" {
			values[f.name] = tftypes.NewValue(tftypes.String, nil)
		}
	}
	r.store(&resp.State, resp.Identity, values)
}

func (r *stageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := attributesOf(req.Plan.Raw, &resp.Diagnostics)
	state := attributesOf(req.State.Raw, &resp.Diagnostics)
	config := attributesOf(req.Config.Raw, &resp.Diagnostics)
	ctx, cancel := plan.withTimeout(ctx, "update", &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	body := r.patchBody(plan, state, config, &resp.Diagnostics)
	if len(body) == 0 || resp.Diagnostics.HasError() {
		// Only Terraform-side values changed (e.g. a _wo_version removed):
		// nothing to send.
		r.keepFlows(plan, state)
		r.store(&resp.State, resp.Identity, plan)
		return
	}
	r.checkVersion(ctx, config, body, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	stage, err := r.api.patch(ctx, state.string("id"), body)
	if err != nil {
		r.addError(&resp.Diagnostics, "update", config, err)
		return
	}
	values := r.fromAPI(plan, stage, &resp.Diagnostics)
	// Keep the planned bindings: Terraform requires the applied value to
	// match the plan, and a binding made meanwhile shows at the next refresh.
	r.keepFlows(values, state)
	r.store(&resp.State, resp.Identity, values)
}

func (r *stageResource) keepFlows(values, state objectValues) {
	if !r.kind.unnamed {
		values["flows"] = state["flows"]
	}
}

func (r *stageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state := attributesOf(req.State.Raw, &resp.Diagnostics)
	ctx, cancel := state.withTimeout(ctx, "delete", &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.api.remove(ctx, state.string("id"))
	if err != nil && !authentik.IsNotFound(err) { // already gone is what we wanted
		r.addError(&resp.Diagnostics, "delete", state, err)
	}
}

// createBody holds every configured member. Write-only secrets exist only in
// the configuration, so they are read from there. A member that only a
// newer authentik has is left out when not configured, so that older
// servers never see it.
func (r *stageResource) createBody(plan, config objectValues, diags *diag.Diagnostics) authentik.StageBody {
	body := authentik.StageBody{}
	if !r.kind.unnamed {
		body["name"] = plan.string("name")
	}
	for _, f := range r.kind.fields {
		v := plan[f.name]
		if f.secret && config.set(config[f.woName()]) {
			v = config[f.woName()]
		}
		if !plan.set(v) || (f.since != "" && !config.set(config[f.name])) {
			continue
		}
		r.put(body, f, v, diags)
	}
	return body
}

func (r *stageResource) put(body authentik.StageBody, f field, v tftypes.Value, diags *diag.Diagnostics) {
	j, err := f.toJSON(v)
	if err != nil {
		diags.AddAttributeError(path.Root(f.name), "Unexpected value", "The provider could not read the value: "+err.Error())
		return
	}
	body[f.apiName()] = j
}

// patchBody holds only what changed between state and plan. Removing an
// optional attribute clears it in authentik (see field.clearJSON).
func (r *stageResource) patchBody(plan, state, config objectValues, diags *diag.Diagnostics) authentik.StageBody {
	body := authentik.StageBody{}
	if !r.kind.unnamed && !plan["name"].Equal(state["name"]) {
		body["name"] = plan.string("name")
	}
	for _, f := range r.kind.fields {
		if f.secret {
			switch v, send := secretUpdate(f, plan, state, config); {
			case !send:
			case v.IsNull():
				body[f.apiName()] = f.clearJSON()
			default:
				r.put(body, f, v, diags)
			}
			continue
		}
		if plan[f.name].Equal(state[f.name]) {
			continue
		}
		if plan.set(plan[f.name]) {
			r.put(body, f, plan[f.name], diags)
		} else {
			body[f.apiName()] = f.clearJSON()
		}
	}
	return body
}

// secretUpdate decides whether a secret that has a sensitive attribute and a
// write-only twin must be sent, and which value. authentik cannot read a
// secret back, so the decision rests on what Terraform knows changed:
//   - write-only configured: send it when its _wo_version moved, or when it
//     replaces the plain attribute;
//   - plain configured: send it when its value changed;
//   - neither (only possible for optional secrets): clear it (a null value)
//     when Terraform had set one before, which the plain value or the
//     version (required with the write-only attribute) records in state.
func secretUpdate(f field, plan, state, config objectValues) (tftypes.Value, bool) {
	wo, version := config[f.woName()], f.woVersionName()
	switch {
	case config.set(wo):
		return wo, !plan[version].Equal(state[version]) || state.set(state[f.name])
	case plan.set(plan[f.name]):
		return plan[f.name], !plan[f.name].Equal(state[f.name])
	default:
		return tftypes.NewValue(tftypes.String, nil), state.set(state[f.name]) || state.set(state[version])
	}
}

// fromAPI is the state after an answer: prior (the plan or the old state)
// with every member authentik returned. Secrets keep the value Terraform
// holds, since authentik never returns them; write-only values are never
// stored. A member the server's version lacks keeps the prior value.
func (r *stageResource) fromAPI(prior objectValues, s authentik.Stage, diags *diag.Diagnostics) objectValues {
	out := make(objectValues, len(prior))
	for k, v := range prior {
		out[k] = v
	}
	out["id"] = tftypes.NewValue(tftypes.String, s.PK)
	if !r.kind.unnamed {
		out["name"] = tftypes.NewValue(tftypes.String, s.Name)
		out["flows"] = flowRefsValue(s.FlowSet)
	}
	for _, f := range r.kind.fields {
		if f.secret {
			out[f.woName()] = tftypes.NewValue(tftypes.String, nil)
			continue
		}
		raw, ok := s.Members[f.apiName()]
		if !ok {
			// A member this server's version lacks: the prior value stays,
			// read the way an answer would be (an imported stage holds
			// the default, and "" or [] stored by another provider is null).
			if out[f.name].IsNull() && f.def != nil {
				raw, _ = json.Marshal(f.def)
			} else if known(out[f.name]) {
				raw = valueJSON(f, out[f.name])
			}
		}
		v, err := f.fromJSON(raw)
		if err != nil {
			diags.AddAttributeError(path.Root(f.name), "Unexpected answer from authentik",
				fmt.Sprintf("authentik's %s is %s, which the provider cannot read: %s.", f.apiName(), raw, err))
			continue
		}
		out[f.name] = v
	}
	return out
}

var flowRefType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"id": tftypes.String, "slug": tftypes.String, "name": tftypes.String, "designation": tftypes.String,
}}

func flowRefsValue(flows []authentik.FlowSet) tftypes.Value {
	elems := make([]tftypes.Value, 0, len(flows))
	for _, f := range flows {
		elems = append(elems, tftypes.NewValue(flowRefType, map[string]tftypes.Value{
			"id":          tftypes.NewValue(tftypes.String, f.PK),
			"slug":        tftypes.NewValue(tftypes.String, f.Slug),
			"name":        tftypes.NewValue(tftypes.String, f.Name),
			"designation": tftypes.NewValue(tftypes.String, f.Designation),
		}))
	}
	return tftypes.NewValue(tftypes.List{ElementType: flowRefType}, elems)
}

// checkVersion refuses, before any write, a configured member or kind that
// the server's authentik version does not have: authentik would ignore the
// member silently, and the plan would show the same change forever. It asks
// the version at most once per provider process, and only when needed.
func (r *stageResource) checkVersion(ctx context.Context, config objectValues, body authentik.StageBody, diags *diag.Diagnostics) {
	need := func(since string) (string, bool) {
		v, err := r.client.ServerVersion(ctx)
		if err != nil {
			return "", false // no verdict: authentik answers the write itself
		}
		y, m := parseSince(since)
		return v, authentik.VersionBefore(v, y, m)
	}
	if r.kind.since != "" {
		if v, old := need(r.kind.since); old {
			diags.AddError(fmt.Sprintf("authentik %s has no %s", v, r.kind.title),
				fmt.Sprintf("The %s (`authentik_%s`) exists from authentik %s on; this server runs %s. Upgrade authentik or remove the resource.",
					r.kind.title, r.kind.typeName, r.kind.since, v))
			return
		}
	}
	for _, f := range r.kind.fields {
		if _, sent := body[f.apiName()]; !sent || f.since == "" || !config.set(config[f.name]) {
			continue
		}
		if v, old := need(f.since); old {
			diags.AddAttributeError(path.Root(f.name), fmt.Sprintf("authentik %s has no %s", v, f.name),
				fmt.Sprintf("`%s` exists from authentik %s on; this server runs %s, which would ignore it. "+
					"Remove `%s` from the configuration, or upgrade authentik.", f.name, f.since, v, f.name))
		}
	}
}

func parseSince(since string) (year, month int) {
	_, _ = fmt.Sscanf(since, "%d.%d", &year, &month)
	return year, month
}

// recoverCreate runs when a create's answer was lost (the connection broke
// after sending, or a gateway answered 5xx). Stage names are unique across
// authentik, so a lookup by name settles it: the stage is there and matches,
// and is adopted into state, or it is provably absent and the POST is sent
// again. An unnamed kind is looked up by what its api's find filters on (a
// binding: flow, stage and order), and only a single match is adopted. A resend whose answer is lost too is looked up the same way, so
// authentik never holds a stage that Terraform does not know about.
func (r *stageResource) recoverCreate(ctx context.Context, body authentik.StageBody, diags *diag.Diagnostics) (authentik.Stage, error) {
	const resends = 2
	var err error
	for attempt := 0; ; attempt++ {
		found, ok, lookupErr := r.findCreated(ctx, body)
		switch {
		case lookupErr != nil:
			return authentik.Stage{}, lookupErr
		case ok:
			diags.AddWarning("Adopted the "+r.kind.title+" after a lost answer",
				fmt.Sprintf("authentik's answer to the create was lost, but %s with the configured settings exists "+
					"(%s); it is now in Terraform state.", r.describe(body), found.PK))
			return found, nil
		case attempt == resends:
			return authentik.Stage{}, err
		}
		var stage authentik.Stage
		stage, err = r.api.create(ctx, body)
		if !authentik.IsOutcomeUnknown(err) {
			return stage, err
		}
	}
}

// findCreated looks for the object a create with an unknown outcome may
// have made. At most one stage can carry the name: found reports whether it
// exists and matches what was sent. A match that differs is an error, since
// it is probably someone else's, and so are several matches of an unnamed
// kind, since which one this create made is unknown.
func (r *stageResource) findCreated(ctx context.Context, body authentik.StageBody) (authentik.Stage, bool, error) {
	stages, err := r.api.find(ctx, body)
	if err != nil || len(stages) == 0 {
		return authentik.Stage{}, false, err
	}
	if len(stages) > 1 {
		return authentik.Stage{}, false, fmt.Errorf("authentik: %d objects match %s, so which one this create made is unknown; "+
			"import the right one or delete the extra ones", len(stages), r.describe(body))
	}
	s := stages[0]
	for _, f := range r.kind.fields {
		sent, ok := body[f.apiName()]
		if !ok || f.secret {
			continue
		}
		want, _ := json.Marshal(sent)
		a, errA := f.fromJSON(want)
		b, errB := f.fromJSON(s.Members[f.apiName()])
		if errA != nil || errB != nil || !a.Equal(b) {
			return authentik.Stage{}, false, fmt.Errorf("authentik: %s (%s) exists but its %s differs from what was sent, "+
				"so it is probably not the one this create made", r.describe(body), s.PK, f.apiName())
		}
	}
	return s, true, nil
}

// describe names the object a create body makes, for messages.
func (r *stageResource) describe(body authentik.StageBody) string {
	if r.kind.unnamed {
		return fmt.Sprintf("a %s of stage %v in flow %v at order %v", r.kind.title, body["stage"], body["target"], body["order"])
	}
	return fmt.Sprintf("a stage named %q", body["name"])
}

// ImportState accepts the stage's uuid, name=<stage name>, or an identity.
func (r *stageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root("id"), &id)...)
	}
	if name, ok := strings.CutPrefix(id, "name="); ok && !r.kind.unnamed {
		stages, err := r.api.find(ctx, authentik.StageBody{"name": name})
		if err != nil {
			r.addError(&resp.Diagnostics, "look up", nil, err)
			return
		}
		if len(stages) != 1 {
			resp.Diagnostics.AddError(r.kind.title+" not found",
				fmt.Sprintf("authentik has no %s named %q (names are exact and case-sensitive).", r.kind.title, name))
			return
		}
		id = stages[0].PK
	} else if !uuidRegexp.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID", r.importHelp(id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root("id"), id)...)
	}
}

func (r *stageResource) importHelp(id string) string {
	if r.kind.unnamed {
		return fmt.Sprintf("%q is not a %s uuid. Import with the uuid authentik's API gives it "+
			"(GET /api/v3%s?target=<flow uuid> lists a flow's bindings).", id, r.kind.title, r.kind.path)
	}
	return fmt.Sprintf("%q is not a stage uuid. Import with the uuid shown in authentik's admin interface "+
		"(Flows and Stages > Stages, or the stage's API URL), or with name=<stage name>.", id)
}

// addError reports a failed request on the attributes authentik names. The
// secrets are reported on whichever twin the configuration uses.
func (r *stageResource) addError(diags *diag.Diagnostics, verb string, config objectValues, err error) {
	fields := map[string]field{"name": {name: "name"}}
	for _, f := range r.kind.fields {
		fields[f.apiName()] = f
	}
	action := verb + " the " + r.kind.title
	if verb == "look up" {
		action += " by name"
	}
	addAPIError(diags, apiOp{
		action: action,
		attribute: func(member string) (path.Path, bool) {
			f, ok := fields[member]
			if !ok {
				return path.Path{}, false
			}
			if f.secret && config != nil && config.set(config[f.woName()]) {
				return path.Root(f.woName()), true
			}
			return path.Root(f.name), true
		},
		hint: func(member, message string) string {
			if member == "name" && strings.Contains(message, "already exists") {
				return fmt.Sprintf("Choose another `name`, or import the existing stage "+
					"(`terraform import authentik_%s.<name> name=<stage name>`).", r.kind.typeName)
			}
			return fmt.Sprintf("Fix `%s` in the configuration.", fields[member].name)
		},
	}, err)
}

func known(v tftypes.Value) bool { return v.IsKnown() && !v.IsNull() }

// valueJSON is a known value as authentik would send it.
func valueJSON(f field, v tftypes.Value) json.RawMessage {
	j, err := f.toJSON(v)
	if err != nil {
		return nil
	}
	b, _ := json.Marshal(j)
	return b
}
