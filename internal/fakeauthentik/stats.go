package fakeauthentik

import (
	"net"
	"net/http"
	"sort"
)

// Stats counts what a benchmark wants to know about the traffic: the TCP
// connections clients opened and the requests received, by method.
type Stats struct {
	ConnectionsOpened int64 // since the server started
	ConnectionsOpen   int64 // open now
	// PeakConnectionsOpen is the most connections open at once since the
	// server started or ResetPeakConnections.
	PeakConnectionsOpen int64
	Requests            map[string]int // by HTTP method, since start or ResetRequests
}

// countConnections chains a ConnState hook that counts connections.
// httptest.Server wraps it in its own hook, so its connection tracking (and
// Close) behave exactly as before.
func (s *Server) countConnections() {
	s.ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.conns.Add(1)
			n := s.open.Add(1)
			for {
				p := s.peakOpen.Load()
				if n <= p || s.peakOpen.CompareAndSwap(p, n) {
					break
				}
			}
		case http.StateClosed, http.StateHijacked:
			s.open.Add(-1)
		}
	}
}

// Stats returns the connection and request counts.
func (s *Server) Stats() Stats {
	st := Stats{
		ConnectionsOpened:   s.conns.Load(),
		ConnectionsOpen:     s.open.Load(),
		PeakConnectionsOpen: s.peakOpen.Load(),
		Requests:            map[string]int{},
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	for _, r := range s.requests {
		st.Requests[r.Method]++
	}
	return st
}

// ResetPeakConnections starts a new peak window at the current open count.
func (s *Server) ResetPeakConnections() { s.peakOpen.Store(s.open.Load()) }

// Methods returns the methods in st.Requests, sorted.
func (st Stats) Methods() []string {
	ms := make([]string, 0, len(st.Requests))
	for m := range st.Requests {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	return ms
}
