package fakeauthentik

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The fake's own cost per request (routing, OpenAPI validation of request
// and answer, the store, the log), called in-process with no latency, so
// scripts/bench.sh can show the fake is not what it measures. Run with
//
//	go test ./internal/fakeauthentik -run '^$' -bench . -benchmem

func benchServe(b *testing.B, s *Server, method, path, body string) {
	b.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+s.AdminToken())
	r.Header.Set("Accept", "application/json")
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code >= 300 {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
	}
}

func BenchmarkFakeGetDuoStage(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	st := s.PutDuoStage(DuoStage{Name: "bench", ClientID: "DI", ClientSecret: "x", APIHostname: "api-bench.duosecurity.com"})
	b.ReportAllocs()
	for b.Loop() {
		benchServe(b, s, http.MethodGet, "/api/v3/stages/authenticator/duo/"+st.PK+"/", "")
		s.ResetRequests() // keep the log from growing across iterations
	}
}

func BenchmarkFakeCreateDuoStage(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		benchServe(b, s, http.MethodPost, "/api/v3/stages/authenticator/duo/",
			fmt.Sprintf(`{"name":"bench-%d","client_id":"DI","client_secret":"x","api_hostname":"api-bench.duosecurity.com"}`, i))
		s.ResetRequests()
	}
}

func BenchmarkFakePatchDuoStage(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	st := s.PutDuoStage(DuoStage{Name: "bench", ClientID: "DI", ClientSecret: "x", APIHostname: "api-bench.duosecurity.com"})
	b.ReportAllocs()
	for b.Loop() {
		benchServe(b, s, http.MethodPatch, "/api/v3/stages/authenticator/duo/"+st.PK+"/", `{"friendly_name":"v2"}`)
		s.ResetRequests()
	}
}
