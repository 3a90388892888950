package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	const stream = `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"TestB","Output":"    x_test.go:12: [skip: fault injection] needs the fake authentik: lost answers\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"TestC/sub","Output":"    y_test.go:3: [skip: fault injection] needs the fake authentik: 503s\n"}
{"Action":"skip","Package":"p","Test":"TestC/sub"}
{"Action":"output","Package":"p","Test":"TestD","Output":"    provider_test.go:9: Acceptance tests skipped unless env 'TF_ACC' set\n"}
{"Action":"skip","Package":"p","Test":"TestD"}
{"Action":"output","Package":"p","Test":"TestE","Output":"    e_test.go:5: boom\n"}
{"Action":"fail","Package":"p","Test":"TestE"}
{"Action":"pass","Package":"p","Test":"TestC"}
{"Action":"fail","Package":"p"}
not json: a build line
`
	s, err := Summarize(strings.NewReader(stream), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "6 run, 2 passed, 1 failed, 3 skipped: fault injection 2, other: Acceptance tests skipped unless env 'TF_ACC' set 1"
	if got := s.Line(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if len(s.Failures) != 1 || !strings.Contains(s.Failures[0], "boom") {
		t.Errorf("failures: %q", s.Failures)
	}
	if len(s.PackageFailures) != 0 {
		t.Errorf("a package whose test failed is no package failure: %q", s.PackageFailures)
	}
	if len(s.Other) != 1 {
		t.Errorf("other lines: %q", s.Other)
	}
}

func TestSummarize_buildFailure(t *testing.T) {
	s, err := Summarize(strings.NewReader(`{"Action":"fail","Package":"p"}`+"\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.PackageFailures) != 1 || s.Run() != 0 || s.Line() != "0 run, 0 passed, 0 failed, 0 skipped" {
		t.Errorf("got %+v, %s", s, s.Line())
	}
}
