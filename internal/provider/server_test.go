package provider

import (
	"context"
	"errors"
	"testing"
	"time"
)

type ctxKey struct{}

// During the call the context behaves like the request's (values,
// cancellation, deadline); after it, it holds nothing of the request.
func TestReleased_contextLifecycle(t *testing.T) {
	parent, cancel := context.WithTimeout(context.WithValue(context.Background(), ctxKey{}, "v"), time.Hour)
	defer cancel()
	var kept, child context.Context
	var stopChild context.CancelFunc
	_, err := released(parent, 0, func(ctx context.Context, _ int) (int, error) {
		kept = ctx
		if ctx.Value(ctxKey{}) != "v" {
			t.Error("value of the request's context not visible")
		}
		if _, ok := ctx.Deadline(); !ok {
			t.Error("deadline not visible")
		}
		// What the framework does with it: derive a cancellable child.
		child, stopChild = context.WithCancel(ctx)
		return 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stopChild()
	if kept.Value(ctxKey{}) != nil {
		t.Error("released context still answers the request's values")
	}
	if !errors.Is(kept.Err(), context.Canceled) {
		t.Errorf("released context Err = %v, want Canceled", kept.Err())
	}
	if child.Value(ctxKey{}) != nil {
		t.Error("a child made during the call still reaches the request's values")
	}
}

// Cancelling the request (Ctrl-C) reaches contexts the framework derived
// during the call.
func TestReleased_cancellationPropagates(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	_, _ = released(parent, 0, func(ctx context.Context, _ int) (int, error) {
		child, stop := context.WithCancel(ctx)
		defer stop()
		go func() {
			<-child.Done()
			close(done)
		}()
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("cancelling the request did not reach the derived context")
		}
		return 0, nil
	})
}
