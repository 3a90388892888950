package fakeauthentik

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type page struct {
	Pagination struct {
		Next, Previous, Count, Current, TotalPages, StartIndex, EndIndex int
	} `json:"-"`
	Raw          map[string]json.RawMessage
	Results      []map[string]any
	Autocomplete bool
}

func list(t *testing.T, s *Server, query string) (page, resp) {
	t.Helper()
	r := do(t, s, "GET", duoPath+query, s.AdminToken(), "")
	var p page
	if r.status != 200 {
		return p, r
	}
	if err := json.Unmarshal([]byte(r.body), &p.Raw); err != nil {
		t.Fatal(err)
	}
	var pg map[string]int
	_ = json.Unmarshal(p.Raw["pagination"], &pg)
	p.Pagination.Next, p.Pagination.Previous, p.Pagination.Count = pg["next"], pg["previous"], pg["count"]
	p.Pagination.Current, p.Pagination.TotalPages = pg["current"], pg["total_pages"]
	p.Pagination.StartIndex, p.Pagination.EndIndex = pg["start_index"], pg["end_index"]
	_ = json.Unmarshal(p.Raw["results"], &p.Results)
	_, p.Autocomplete = p.Raw["autocomplete"]
	return p, r
}

func names(p page) string {
	var n []string
	for _, r := range p.Results {
		n = append(n, r["name"].(string))
	}
	return strings.Join(n, ",")
}

func TestEmptyListBody(t *testing.T) {
	want := map[Version]string{
		V2024_10: `{"pagination":{"next":0,"previous":0,"count":0,"current":1,"total_pages":1,"start_index":0,"end_index":0},"results":[]}`,
		V2025_12: `{"pagination":{"next":0,"previous":0,"count":0,"current":1,"total_pages":1,"start_index":0,"end_index":0},"results":[],"autocomplete":{}}`,
	}
	want[V2025_10] = want[V2025_12]
	want[V2026_2] = want[V2025_12]
	for _, v := range Versions {
		s := startFake(t, v)
		expect(t, do(t, s, "GET", duoPath, s.AdminToken(), ""), 200, want[v])
		expect(t, do(t, s, "GET", duoPath+"?page=2", s.AdminToken(), ""), 404, `{"detail":"Invalid page."}`)
	}
}

func TestPaginationPerVersion(t *testing.T) {
	cases := []struct {
		v                 Version
		query             string
		count, pages, got int
		next              int
	}{
		{V2024_10, "", 25, 1, 25, 0},
		{V2025_10, "", 25, 1, 25, 0},
		{V2025_10, "?page_size=10&page=3", 25, 3, 5, 0},
		{V2025_12, "", 25, 2, 20, 2},
		{V2026_2, "", 25, 2, 20, 2},
		{V2025_12, "?page=2", 25, 2, 5, 0},
		{V2025_12, "?page_size=0", 25, 2, 20, 2},
		{V2025_12, "?page_size=-3", 25, 2, 20, 2},
		{V2025_12, "?page_size=abc", 25, 2, 20, 2},
		{V2025_12, "?page_size=10&page=3", 25, 3, 5, 0},
		{V2024_10, "?page_size=10&page=last", 25, 3, 5, 0},
	}
	for _, c := range cases {
		t.Run(string(c.v)+c.query, func(t *testing.T) {
			s := startFake(t, c.v)
			for i := 0; i < c.count; i++ {
				s.PutDuoStage(DuoStage{Name: fmt.Sprintf("p%02d", i), ClientID: "c", ClientSecret: "s", APIHostname: "h"})
			}
			p, r := list(t, s, c.query)
			if r.status != 200 {
				t.Fatalf("%d %.200s", r.status, r.body)
			}
			if p.Pagination.Count != c.count || p.Pagination.TotalPages != c.pages || len(p.Results) != c.got || p.Pagination.Next != c.next {
				t.Fatalf("%s, %d results", p.Raw["pagination"], len(p.Results))
			}
			if p.Autocomplete != (c.v != V2024_10) {
				t.Fatalf("autocomplete present=%v", p.Autocomplete)
			}
		})
	}
}

func TestPageSizeCap(t *testing.T) {
	for _, c := range []struct {
		v    Version
		want int
	}{{V2024_10, 105}, {V2025_10, 105}, {V2025_12, 100}, {V2026_2, 100}} {
		s := startFake(t, c.v)
		for i := 0; i < 105; i++ {
			s.PutDuoStage(DuoStage{Name: fmt.Sprintf("bulk-%03d", i)})
		}
		p, _ := list(t, s, "?page_size=1000")
		if len(p.Results) != c.want {
			t.Errorf("%s: %d results, want %d", c.v, len(p.Results), c.want)
		}
	}
}

func TestFiltersAndOrdering(t *testing.T) {
	s := startFake(t, V2024_10)
	flow, _ := s.FlowBySlug("default-authenticator-totp-setup")
	s.PutDuoStage(DuoStage{Name: "smoke-duo-p2", ClientID: "DIPAGE", APIHostname: "h2"})
	s.PutDuoStage(DuoStage{Name: "smoke-duo-p1", ClientID: "DIPAGE", APIHostname: "h1", ConfigureFlow: &flow.PK})
	s.PutDuoStage(DuoStage{Name: "smoke-duo-p3", ClientID: "DIPAGE", APIHostname: "h3"})
	s.PutDuoStage(DuoStage{Name: "smoke-duo-full", ClientID: "other", APIHostname: "h4"})
	cases := []struct{ query, want string }{
		{"?name=smoke-duo-full", "smoke-duo-full"},
		{"?name=smoke-duo", ""},
		{"?name=SMOKE-DUO-FULL", ""},
		{"?client_id=DIPAGE", "smoke-duo-p1,smoke-duo-p2,smoke-duo-p3"},
		{"?client_id=DIPAGE&page_size=2", "smoke-duo-p1,smoke-duo-p2"},
		{"?client_id=DIPAGE&page_size=2&page=2", "smoke-duo-p3"},
		{"?client_id=DIPAGE&ordering=-name", "smoke-duo-p3,smoke-duo-p2,smoke-duo-p1"},
		{"?search=DUO-P", "smoke-duo-p1,smoke-duo-p2,smoke-duo-p3"},
		{"?configure_flow=" + flow.PK, "smoke-duo-p1"},
		{"?api_hostname=h2", "smoke-duo-p2"},
		{"?ordering=bogus", "smoke-duo-full,smoke-duo-p1,smoke-duo-p2,smoke-duo-p3"},
	}
	for _, c := range cases {
		p, r := list(t, s, c.query)
		if r.status != 200 || names(p) != c.want {
			t.Errorf("%s: got %q (%d %.200s), want %q", c.query, names(p), r.status, r.body, c.want)
		}
	}
	p, _ := list(t, s, "?client_id=DIPAGE&page_size=2")
	if raw := string(p.Raw["pagination"]); raw != `{"next":2,"previous":0,"count":3,"current":1,"total_pages":2,"start_index":1,"end_index":2}` {
		t.Errorf("page 1: %s", raw)
	}
	p, _ = list(t, s, "?client_id=DIPAGE&page_size=2&page=2")
	if raw := string(p.Raw["pagination"]); raw != `{"next":0,"previous":1,"count":3,"current":2,"total_pages":2,"start_index":3,"end_index":3}` {
		t.Errorf("page 2: %s", raw)
	}
	for _, q := range []string{"?client_id=DIPAGE&page_size=2&page=3", "?client_id=DIPAGE&page=0", "?page=x"} {
		expect(t, do(t, s, "GET", duoPath+q, s.AdminToken(), ""), 404, `{"detail":"Invalid page."}`)
	}
}
