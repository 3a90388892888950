#!/usr/bin/env bash
# check-examples.sh — every example is formatted and valid for the provider
# built from this tree: `terraform fmt -check`, then `terraform validate` in a
# copy of each example directory, through dev_overrides (no init, offline).
# Snippets without a terraform block get one naming this provider's source.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { printf 'check-examples: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/dev.sh
source scripts/lib/dev.sh

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
tf="$(bash scripts/ensure-terraform.sh)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/authentik-examples.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

TF_CLI_CONFIG_FILE=/dev/null "$tf" fmt -check -recursive -diff examples/

go build -o "$tmp/plugins/terraform-provider-authentik" .
use_dev_overrides "$tmp/plugins" "$tmp/terraformrc"

n=0
while IFS= read -r dir; do
  work="$tmp/work/$n"
  mkdir -p "$work"
  cp "$dir"/*.tf "$work/"
  if ! grep -q 'required_providers' "$work"/*.tf; then
    printf 'terraform {\n  required_providers {\n    authentik = { source = "authentik-iac/authentik" }\n  }\n}\n' >"$work/zz_providers.tf"
  fi
  if ! out="$(cd "$work" && "$tf" validate -no-color 2>&1)"; then
    printf 'check-examples: %s is not valid:\n%s\n' "$dir" "$out" >&2
    exit 1
  fi
  echo "valid: $dir"
  n=$((n + 1))
done < <(find examples -name '*.tf' -printf '%h\n' | sort -u)
echo "check-examples: $n example directories formatted and valid"
