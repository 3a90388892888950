package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server returns the provider's protocol 6 server: the
// framework's, with each per-resource request's context released when the
// request ends.
//
// Why: terraform-plugin-framework v1.19 keeps the cancel function of every
// request's context until StopProvider (proto6server.registerContext), and
// through it the whole context with its loggers, about 48 kB per request.
// Over a 1,000-resource plan that held ~48 MB live and doubled the
// provider's peak RSS (BENCHMARKS.md). Handing the framework a context that
// lets go of its parent when the request returns leaves it holding only a
// few small structs per request.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &authentikProvider{version: version}
		return &releasingServer{
			ProviderServer: providerserver.NewProtocol6(p)(),
			shortcuts:      newShortcuts(context.Background(), p),
		}
	}
}

// releasingServer wraps the hot, per-resource RPCs; the rest pass through.
// It also answers the plans of unchanged and created resources and the
// upgrades of current states itself (shortcuts).
type releasingServer struct {
	tfprotov6.ProviderServer
	shortcuts *shortcuts
}

func (s *releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return released(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s *releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if resp, ok := s.shortcuts.upgrade(req); ok {
		return resp, nil
	}
	return released(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s *releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return released(ctx, req, s.ProviderServer.ReadResource)
}

func (s *releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if resp, ok := s.shortcuts.plan(req); ok {
		return resp, nil
	}
	return released(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s *releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return released(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s *releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return released(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s *releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return released(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s *releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return released(ctx, req, s.ProviderServer.ReadDataSource)
}

// released runs call with a context that forgets ctx once call returns.
func released[Req, Resp any](ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	d := &releasableContext{}
	d.parent.Store(&ctx)
	defer d.parent.Store(&doneContext)
	return call(d, req)
}

// doneContext is what a released context answers with: cancelled, no values.
var doneContext = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// releasableContext delegates to its parent until released. The standard
// library still links cancellation through it (Value finds the parent's
// cancelCtx), so Ctrl-C and deadlines work as before.
type releasableContext struct {
	parent atomic.Pointer[context.Context]
}

func (d *releasableContext) get() context.Context                    { return *d.parent.Load() }
func (d *releasableContext) Deadline() (deadline time.Time, ok bool) { return d.get().Deadline() }
func (d *releasableContext) Done() <-chan struct{}                   { return d.get().Done() }
func (d *releasableContext) Err() error                              { return d.get().Err() }
func (d *releasableContext) Value(key any) any                       { return d.get().Value(key) }
