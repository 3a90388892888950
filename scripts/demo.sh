#!/usr/bin/env bash
# demo.sh — what `make demo` runs: a five-minute tour of the provider that
# needs no authentik and no network.
#
#   1. builds the provider and the fake authentik server into a temp dir,
#   2. starts the fake on a free local port,
#   3. points terraform at the freshly built provider (dev_overrides, no init),
#   4. applies examples/demo, shows that a second plan is empty, destroys,
#   5. cleans everything up, whatever happens.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

# Colour only on a terminal; plain text in CI logs and pipes.
if [[ -t 1 ]]; then
  bold=$'\033[1m' green=$'\033[32m' reset=$'\033[0m' color_flag=()
else
  bold="" green="" reset="" color_flag=(-no-color)
fi
banner() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }
# shellcheck source=lib/dev.sh
source "$repo/scripts/lib/dev.sh"
die() { printf '\ndemo: FAILED: %s\n' "$*" >&2; exit 1; }

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_ACC TF_ACC_TERRAFORM_VERSION

tf="$(bash scripts/ensure-terraform.sh)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/authentik-demo.XXXXXX")"
fake_pid=""
cleanup() {
  if [[ -n "$fake_pid" ]] && kill -0 "$fake_pid" 2>/dev/null; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run terraform, hiding the "development overrides are in effect" warning
# (and the blank line after it) that every command prints in this mode. With
# colour it is a box between ╷ and ╵; with -no-color it is plain text ending
# in "...published releases.". Anything else is printed untouched.
# Returns terraform's exit code.
terraform_quiet() {
  local rc=0
  "$tf" "$1" "${color_flag[@]}" "${@:2}" 2>&1 | awk '
    function flush() { printf "%s", buf; buf = ""; mode = ""; n = 0 }
    mode == "box" {
      buf = buf $0 "\n"
      if (index($0, "╵")) {
        if (index(buf, "development overrides are in effect")) { buf = ""; mode = ""; skipblank = 1 } else { flush() }
      }
      next
    }
    mode == "plain" {
      buf = buf $0 "\n"; n++
      if ($0 ~ /releases\.$/) { buf = ""; mode = ""; n = 0; skipblank = 1 } else if (n > 15) { flush() }
      next
    }
    index($0, "╷") { buf = $0 "\n"; mode = "box"; next }
    /^Warning: Provider development overrides are in effect/ { buf = $0 "\n"; mode = "plain"; n = 0; next }
    skipblank && $0 == "" { skipblank = 0; next }
    { skipblank = 0; print; fflush() }
    END { if (buf != "") printf "%s", buf }
  ' || rc=$?
  return "$rc"
}

banner "Building terraform-provider-authentik and the fake authentik server"
mkdir -p "$tmp/plugins" "$tmp/work"
go build -ldflags "-X main.version=0.0.0-demo" -o "$tmp/plugins/terraform-provider-authentik" .
go build -o "$tmp/fakeauthentik" ./internal/fakeauthentik/cmd/fakeauthentik
echo "provider: $tmp/plugins/terraform-provider-authentik"
echo "terraform: $tf ($(TF_CLI_CONFIG_FILE=/dev/null "$tf" version | head -n1))"

banner "Starting a fake authentik (an in-memory stand-in for the real API)"
start_fake "$tmp/fakeauthentik" "$tmp"
echo "AUTHENTIK_URL=$AUTHENTIK_URL"
echo "AUTHENTIK_TOKEN=(set, ${#AUTHENTIK_TOKEN} characters)"

use_dev_overrides "$tmp/plugins" "$tmp/terraformrc"
cp -R examples/demo/. "$tmp/work/"
cd "$tmp/work"
echo "(terraform uses the provider just built through dev_overrides in $TF_CLI_CONFIG_FILE; no 'terraform init')"

banner "terraform apply: create the resources in examples/demo/main.tf"
terraform_quiet apply -auto-approve -input=false || die "terraform apply failed"

banner "terraform plan again: a correct provider reports no changes"
plan_rc=0
terraform_quiet plan -detailed-exitcode -input=false || plan_rc=$?
case "$plan_rc" in
  0) printf '\n%sOK: the second plan is empty (exit 0): what was applied reads back identically.%s\n' "$green" "$reset" ;;
  2) die "the second plan is NOT empty (exit 2): the provider reads back something different from what it applied (a drift bug)" ;;
  *) die "terraform plan failed (exit $plan_rc)" ;;
esac

banner "Someone edits the stage by hand in authentik (a PATCH to its API, as the admin UI does)"
stage_id="$("$tf" output -raw duo_stage_id)"
curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $AUTHENTIK_TOKEN" -H 'Content-Type: application/json' \
  --data '{"api_hostname":"api-edited-by-hand.duosecurity.com"}' "$AUTHENTIK_URL/api/v3/stages/authenticator/duo/$stage_id/" \
  || die "could not edit the stage through the fake's API"
echo "api_hostname is now api-edited-by-hand.duosecurity.com in authentik"

banner "terraform plan: the drift shows as one in-place update"
plan_rc=0
terraform_quiet plan -detailed-exitcode -input=false || plan_rc=$?
[[ "$plan_rc" == 2 ]] || die "the plan did not show the hand edit (exit $plan_rc, want 2)"

banner "terraform apply: one PATCH puts the configuration back"
terraform_quiet apply -auto-approve -input=false || die "terraform apply failed"
plan_rc=0
terraform_quiet plan -detailed-exitcode -input=false >/dev/null || plan_rc=$?
[[ "$plan_rc" == 0 ]] || die "the plan after the repair is not empty (exit $plan_rc)"
printf '\n%sOK: drift detected, repaired with one update, and the next plan is empty again.%s\n' "$green" "$reset"

banner "terraform destroy: remove everything again"
terraform_quiet destroy -auto-approve -input=false || die "terraform destroy failed"

cd "$repo"
banner "Done. The fake authentik is stopped and the temp files are removed."
cat <<'NEXT'
Where to go next:
  - README.md                 how to install and configure the provider
  - examples/                 a configuration for every resource and data source
  - docs/                     the generated reference (what the Terraform Registry shows)
  - make test                 unit + acceptance tests against the fake (offline)
  - make testacc              the same acceptance tests against a real authentik
NEXT
