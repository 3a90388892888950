package fakeauthentik

import (
	"testing"
)

// The stage transcripts (testdata/real/stages-*.txt, made by
// testdata/real/record-stages.sh) replay like the original ones: every call
// against a fake in the matching mode, status, media type, Allow and body
// compared (fidelity_test.go).

// stageNotModelled lists the calls the fake answers differently on purpose.
// The keys are call numbers, the same in both transcripts. An entry that
// starts to match is an error, so the list stays exact.
var stageNotModelled = map[int]string{
	1: "cache_count counts the flow plans the real server has cached by then",
	2: "the fake seeds 11 WebAuthn device types, not a whole MDS import (197 on 2024.10.5)",
}

var stageFidelityCases = []struct {
	name, file string
	v          Version
	calls      int
}{
	{"2024.10.5", "stages-2024.10.5.txt", V2024_10, 219},
	{"2025.12.4", "stages-2025.12.4.txt", V2025_12, 219},
}

func TestStageFidelity(t *testing.T) {
	for _, c := range stageFidelityCases {
		t.Run(c.name, func(t *testing.T) {
			tr := parseTranscript(t, "testdata/real/"+c.file)
			if len(tr.calls) != c.calls {
				t.Fatalf("%s: %d calls, want %d", c.file, len(tr.calls), c.calls)
			}
			rp := &replay{t: t, s: startFake(t, c.v), tr: tr, ids: map[string]string{}}
			score := rp.score(stageNotModelled, "stageNotModelled")
			t.Logf("stage fidelity %s: %d/%d", c.name, score, len(tr.calls))
			rp.checkOwnAnswers()
		})
	}
}

// TestStageTranscriptsMatchTheirSchema checks the real answers against their
// own version's trimmed schema, as TestRealAnswersMatchTheirSchema does for
// the first transcripts: the response validation that guards the fake must
// accept what the real server says.
func TestStageTranscriptsMatchTheirSchema(t *testing.T) {
	for _, c := range stageFidelityCases {
		tr := parseTranscript(t, "testdata/real/"+c.file)
		for _, call := range tr.calls {
			if call.bodyKind != "json" {
				continue
			}
			if vs := realAnswer(t, c.v, call); len(vs) > 0 {
				t.Errorf("%s [%d] %s %s: %q", c.name, call.n, call.method, call.target, vs)
			}
		}
	}
}
