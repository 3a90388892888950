#!/usr/bin/env bash
# testacc.sh — what `make testacc` runs: the acceptance tests against the real
# authentik named by AUTHENTIK_URL and AUTHENTIK_TOKEN (an admin's API
# token), then what the run proved: tests run, passed, failed and skipped,
# each skip's reason grouped (internal/testsummary). Extra `go test`
# arguments: TESTARGS='-run TestAccDuo'. The raw `go test -json` stream is
# kept in $TESTACC_JSON (default: a temporary file, named at the end).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${AUTHENTIK_URL:-}" || -z "${AUTHENTIK_TOKEN:-}" ]]; then
  echo "testacc: set AUTHENTIK_URL and AUTHENTIK_TOKEN to a real authentik (use 'make test' for the offline fake)" >&2
  exit 1
fi
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/dev/null
unset TF_ACC_TERRAFORM_VERSION  # setting it makes terraform-plugin-testing download terraform

tf="$(bash scripts/ensure-terraform.sh)"
export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tf" TF_ACC_PROVIDER_NAMESPACE=authentik-iac

# The server's release, for the summary line.
label="$AUTHENTIK_URL"
if version="$(curl -fsS -m 10 -H "Authorization: Bearer $AUTHENTIK_TOKEN" "${AUTHENTIK_URL%/}/api/v3/admin/version/" 2>/dev/null)"; then
  version="$(sed -n 's/.*"version_current":"\([^"]*\)".*/\1/p' <<<"$version")"
  [[ -n "$version" ]] && label="authentik $version at $AUTHENTIK_URL"
fi

extra=()
if [[ -n "${TESTARGS:-}" ]]; then read -r -a extra <<<"$TESTARGS"; fi
json="${TESTACC_JSON:-$(mktemp "${TMPDIR:-/tmp}/testacc.XXXXXX.json")}"

echo "==> acceptance tests against $label"
rc=0
go test ./internal/provider/... -run TestAcc -count=1 -timeout 60m -json "${extra[@]}" 2>&1 \
  | tee "$json" | go run ./internal/testsummary -label "$label" || rc=$?
echo "go test -json output: $json"
exit "$rc"
