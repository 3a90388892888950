// Package provider is what Terraform sees: the provider configuration and
// the resources and data sources. It talks to authentik only through
// internal/authentik.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// Environment variables read when the provider block leaves a setting out.
// The names are the official goauthentik/authentik provider's.
const (
	envURL      = "AUTHENTIK_URL"
	envToken    = "AUTHENTIK_TOKEN"
	envInsecure = "AUTHENTIK_INSECURE"
)

var _ provider.Provider = (*authentikProvider)(nil)

// New returns the provider factory; version is stamped at build time.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &authentikProvider{version: version} }
}

type authentikProvider struct {
	version string
	// deferred is set once Configure deferred the provider's work, which
	// makes the framework defer every resource (see shortcuts).
	deferred atomic.Bool
}

type providerModel struct {
	URL            types.String `tfsdk:"url"`
	Token          types.String `tfsdk:"token"`
	Insecure       types.Bool   `tfsdk:"insecure"`
	Headers        types.Map    `tfsdk:"headers"`
	CACertificate  types.String `tfsdk:"ca_certificate"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RetryTimeout   types.String `tfsdk:"retry_timeout"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
}

// providerData is handed to every resource and data source.
type providerData struct {
	client *authentik.Client
}

func (p *authentikProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "authentik"
	resp.Version = p.version
}

func (p *authentikProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage [authentik](https://goauthentik.io) objects through its REST API (`/api/v3/`).",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				MarkdownDescription: "authentik's base URL, such as `https://authentik.example.com` or `https://example.com/auth` " +
					"for an install under a sub-path. `/api/v3` is appended unless the path already ends with it. " +
					"Defaults to the `AUTHENTIK_URL` environment variable.",
				Optional: true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "An authentik API token (intent *API*; app passwords are refused). " +
					"Defaults to the `AUTHENTIK_TOKEN` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip TLS certificate verification. Only for test installs. " +
					"Defaults to the `AUTHENTIK_INSECURE` environment variable, else `false`.",
				Optional: true,
			},
			"headers": schema.MapAttribute{
				MarkdownDescription: "Extra HTTP headers sent with every request, for example for a proxy in front of authentik. " +
					"`Authorization`, `Content-Type`, `Accept` and `User-Agent` are set by the provider and cannot be overridden.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
			},
			"ca_certificate": schema.StringAttribute{
				MarkdownDescription: "PEM certificate(s) to trust in addition to the system's, for an authentik behind a private CA " +
					"(e.g. `file(\"ca.pem\")`).",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How often a request is retried after a connection error, 429, 502, 503 or 504, "+
					"with exponential backoff and jitter, honouring `Retry-After`. Default %d; 0 turns retries off. "+
					"A create (POST) is retried only when it provably never reached authentik.", authentik.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"retry_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Total time one request may take across its retries, as a Go duration such as `2m`. Default `%s`.",
					authentik.DefaultRetryBudget),
				Optional:   true,
				Validators: []validator.String{isDuration()},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time one HTTP attempt may take, as a Go duration such as `45s`. Default `%s`.",
					authentik.DefaultRequestTimeout),
				Optional:   true,
				Validators: []validator.String{isDuration()},
			},
		},
	}
}

func (p *authentikProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := unknownSettings(cfg); len(unknown) > 0 {
		// A value that only another resource's apply will know: let
		// Terraform defer this provider's work if it can, else say how to
		// break the cycle.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			p.deferred.Store(true)
			return
		}
		for _, name := range unknown {
			resp.Diagnostics.AddAttributeError(path.Root(name), fmt.Sprintf("authentik %s not known yet", name),
				fmt.Sprintf("`%s` depends on a value known only after apply, and the provider needs it to plan. "+
					"Apply its source first (`terraform apply -target=...`), set it statically, or use the environment variable instead.", name))
		}
		return
	}

	clientCfg := authentik.Config{
		URL:       stringOrEnv(cfg.URL, envURL),
		Token:     stringOrEnv(cfg.Token, envToken),
		UserAgent: fmt.Sprintf("terraform-provider-authentik/%s (Terraform %s)", p.version, req.TerraformVersion),
		CACertPEM: cfg.CACertificate.ValueString(),
	}
	if !cfg.MaxRetries.IsNull() {
		clientCfg.Retry.MaxRetries = int(cfg.MaxRetries.ValueInt64())
		if clientCfg.Retry.MaxRetries == 0 {
			clientCfg.Retry.MaxRetries = -1
		}
	}
	clientCfg.Retry.Budget = durationOr(cfg.RetryTimeout, 0)
	clientCfg.RequestTimeout = durationOr(cfg.RequestTimeout, 0)
	if clientCfg.URL == "" {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Missing authentik URL",
			"Set `url` in the provider block or the AUTHENTIK_URL environment variable, e.g. https://authentik.example.com.")
	} else if _, err := authentik.BaseURL(clientCfg.URL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Invalid authentik URL",
			fmt.Sprintf("The `url` setting (or AUTHENTIK_URL) is not usable: %s. Use the form https://authentik.example.com.", trimPrefix(err)))
	}
	if clientCfg.Token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing authentik token",
			"Set `token` in the provider block or the AUTHENTIK_TOKEN environment variable to an authentik API token "+
				"(Directory > Tokens and App passwords, intent API).")
	}
	insecure, ok := boolOrEnv(cfg.Insecure, envInsecure)
	if !ok {
		resp.Diagnostics.AddAttributeError(path.Root("insecure"), "Invalid AUTHENTIK_INSECURE value",
			fmt.Sprintf("AUTHENTIK_INSECURE is %q; set it to true or false, or set `insecure` in the provider block.", os.Getenv(envInsecure)))
	}
	clientCfg.Insecure = insecure
	if !cfg.Headers.IsNull() {
		resp.Diagnostics.Append(cfg.Headers.ElementsAs(ctx, &clientCfg.Headers, false)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if insecure {
		tflog.Warn(ctx, "TLS certificate verification is off (insecure = true); use it only for test installs")
	}

	secrets := []string{clientCfg.Token}
	for _, v := range clientCfg.Headers {
		secrets = append(secrets, v)
	}
	clientCfg.OnRequest = requestLogger(secrets)
	client, err := authentik.New(clientCfg)
	if err != nil {
		attr := "headers"
		if errors.Is(err, authentik.ErrBadCACert) {
			attr = "ca_certificate"
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid provider configuration", trimPrefix(err))
		return
	}
	data := &providerData{client: client}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *authentikProvider) Resources(context.Context) []func() resource.Resource {
	return append([]func() resource.Resource{
		NewDuoStageResource,
		NewTOTPStageResource,
		NewStaticStageResource,
		NewWebAuthnStageResource,
		NewValidateStageResource,
		NewSMSStageResource,
		NewEmailStageResource,
		NewEndpointGDTCStageResource,
		NewTOTPDeviceResource,
		NewStaticDeviceResource,
		NewWebAuthnDeviceResource,
		NewDuoDeviceResource,
		NewSMSDeviceResource,
		NewEmailDeviceResource,
		NewFlowStageBindingResource,
	}, benchResources()...)
}

func (p *authentikProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewFlowDataSource,
		NewFlowsDataSource,
		NewWebAuthnDeviceTypeDataSource,
		NewUserDevicesDataSource,
	}
}

// durationOr parses a validated duration setting; null gives def.
func durationOr(v types.String, def time.Duration) time.Duration {
	if v.IsNull() {
		return def
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil {
		return def
	}
	return d
}

func unknownSettings(cfg providerModel) []string {
	var names []string
	if cfg.URL.IsUnknown() {
		names = append(names, "url")
	}
	if cfg.Token.IsUnknown() {
		names = append(names, "token")
	}
	if cfg.Insecure.IsUnknown() {
		names = append(names, "insecure")
	}
	if cfg.Headers.IsUnknown() {
		names = append(names, "headers")
	}
	if cfg.CACertificate.IsUnknown() {
		names = append(names, "ca_certificate")
	}
	return names
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// boolOrEnv returns the setting, else the environment variable, else false.
// ok is false when the environment variable is not a boolean.
func boolOrEnv(v types.Bool, env string) (value, ok bool) {
	if !v.IsNull() {
		return v.ValueBool(), true
	}
	raw := os.Getenv(env)
	if raw == "" {
		return false, true
	}
	b, err := strconv.ParseBool(raw)
	return b, err == nil
}

// requestLogger forwards the client's request log to tflog. The client
// hands over no body and no header; the token and header values are masked
// all the same, in case an error text ever quotes one.
func requestLogger(secrets []string) func(context.Context, authentik.RequestInfo) {
	return func(ctx context.Context, r authentik.RequestInfo) {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
		ctx = tflog.MaskMessageStrings(ctx, secrets...)
		logRequest(ctx, r)
	}
}

func logRequest(ctx context.Context, r authentik.RequestInfo) {
	fields := map[string]any{
		"method":      r.Method,
		"path":        r.Path,
		"status":      r.Status,
		"duration_ms": r.Duration.Milliseconds(),
	}
	if r.Err != nil {
		fields["error"] = r.Err.Error()
	}
	tflog.Debug(ctx, "authentik API request", fields)
}
