// Command testsummary reads `go test -json` on stdin and says what the run
// proved: how many tests (subtests included) ran, passed, failed and were
// skipped, with the skips grouped by reason. A test names its reason with
// "[skip: <reason>]" in its skip message (internal/provider/fixtures_test.go
// keeps the set small and fixed); other skips are grouped by their message.
// Failed tests are printed with their output.
//
//	go test -json ./internal/provider/ -run TestAcc | go run ./internal/testsummary -label "authentik 2025.12.4"
//
// It exits 1 when a test or a package failed, or when no test ran at all.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// Actions of a go test -json stream this reads: run, output, pass, fail,
// skip, and build-output (compiler messages, Go 1.24 and later).

// Summary is the outcome of one `go test -json` stream.
type Summary struct {
	Passed, Failed, Skipped int
	SkipReasons             map[string]int
	Failures                []string // "Test: output" of each failed test
	PackageFailures         []string // packages that failed outside any test (build errors, panics)
	Other                   []string // lines that were not JSON (build output)
}

// Run is every test that started: passed, failed or skipped.
func (s Summary) Run() int { return s.Passed + s.Failed + s.Skipped }

var reasonRE = regexp.MustCompile(`\[skip: ([^\]]+)\]`)

// locationRE is the "file.go:12: " prefix of a test's log line.
var locationRE = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// Summarize reads a go test -json stream. When progress is not nil, it
// gets one line per finished top-level test as the stream goes.
func Summarize(r io.Reader, progress io.Writer) (Summary, error) {
	s := Summary{SkipReasons: map[string]int{}}
	output := map[string]*strings.Builder{}
	pkgFailed := map[string]bool{}
	pkgHadTestFailure := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			s.Other = append(s.Other, string(line))
			continue
		}
		key := e.Package + " " + e.Test
		if progress != nil && e.Test != "" && !strings.Contains(e.Test, "/") &&
			(e.Action == "pass" || e.Action == "fail" || e.Action == "skip") {
			fmt.Fprintf(progress, "%-4s %s\n", strings.ToUpper(e.Action), e.Test)
		}
		switch e.Action {
		case "build-output":
			s.Other = append(s.Other, strings.TrimRight(e.Output, "\n"))
		case "output":
			if e.Test != "" {
				if output[key] == nil {
					output[key] = &strings.Builder{}
				}
				output[key].WriteString(e.Output)
			}
		case "pass":
			if e.Test != "" {
				s.Passed++
			}
		case "fail":
			if e.Test == "" {
				pkgFailed[e.Package] = true
				continue
			}
			s.Failed++
			pkgHadTestFailure[e.Package] = true
			s.Failures = append(s.Failures, e.Test+":\n"+text(output[key]))
		case "skip":
			if e.Test != "" {
				s.Skipped++
				s.SkipReasons[skipReason(text(output[key]))]++
			}
		}
	}
	for p := range pkgFailed {
		if !pkgHadTestFailure[p] {
			s.PackageFailures = append(s.PackageFailures, p)
		}
	}
	sort.Strings(s.PackageFailures)
	return s, sc.Err()
}

func text(b *strings.Builder) string {
	if b == nil {
		return ""
	}
	return b.String()
}

// skipReason finds a test's reason in its output: the "[skip: …]" marker,
// else the skip message itself (its first line, without the file:line).
func skipReason(out string) string {
	if m := reasonRE.FindStringSubmatch(out); m != nil {
		return m[1]
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "=== ") || strings.HasPrefix(strings.TrimSpace(l), "--- ") || strings.TrimSpace(l) == "" {
			continue
		}
		msg := strings.TrimSpace(locationRE.ReplaceAllString(l, ""))
		if len(msg) > 60 {
			msg = msg[:60] + "…"
		}
		return "other: " + msg
	}
	return "other: no message"
}

// Line is the one-line summary, e.g. "68 run, 63 passed, 0 failed,
// 5 skipped: fault injection 3, request log 2".
func (s Summary) Line() string {
	line := fmt.Sprintf("%d run, %d passed, %d failed, %d skipped", s.Run(), s.Passed, s.Failed, s.Skipped)
	if len(s.SkipReasons) == 0 {
		return line
	}
	reasons := make([]string, 0, len(s.SkipReasons))
	for r := range s.SkipReasons {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if s.SkipReasons[reasons[i]] != s.SkipReasons[reasons[j]] {
			return s.SkipReasons[reasons[i]] > s.SkipReasons[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = fmt.Sprintf("%s %d", r, s.SkipReasons[r])
	}
	return line + ": " + strings.Join(parts, ", ")
}

func main() {
	label := flag.String("label", "", "what the tests ran against, printed with the summary")
	flag.Parse()
	s, err := Summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	for _, l := range s.Other {
		fmt.Println(l)
	}
	for _, f := range s.Failures {
		fmt.Printf("--- FAIL: %s\n", f)
	}
	for _, p := range s.PackageFailures {
		fmt.Printf("FAIL %s (outside any test: build error, panic or timeout; see above)\n", p)
	}
	prefix := "testacc"
	if *label != "" {
		prefix += " (" + *label + ")"
	}
	fmt.Printf("%s: %s\n", prefix, s.Line())
	if s.Failed > 0 || len(s.PackageFailures) > 0 || s.Run() == 0 {
		os.Exit(1)
	}
}
