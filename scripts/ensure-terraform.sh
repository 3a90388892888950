#!/usr/bin/env bash
# ensure-terraform.sh — print the absolute path of a usable terraform (>= 1.11).
#
# Looks, in order, at $TF_ACC_TERRAFORM_PATH, `terraform` on PATH and
# $(go env GOPATH)/bin/terraform. If none is usable, builds terraform
# v1.13.3 from its Go module (the only download this machine allows is the
# Go module proxy) into $(go env GOPATH)/bin/terraform.
#
# Only the path goes to stdout; progress goes to stderr. Exits non-zero with
# a one-line reason when nothing usable can be found or built.
#
# Options:
#   --force-build   skip detection and always build.
# Environment:
#   TERRAFORM_INSTALL_DIR   where to put a built binary
#                           (default: $(go env GOPATH)/bin).
#
# Terraform is BUSL-1.1 licensed: its source is only ever unpacked into a
# temporary directory here and never copied into this repository.
set -euo pipefail

readonly TF_BUILD_VERSION="1.13.3"
readonly MIN_MAJOR=1 MIN_MINOR=11
# Remote-state backends whose nested modules are not in the module zip.
readonly DROPPED_BACKENDS=(azure consul cos gcs kubernetes oci oss pg s3)

CLI_NAME=terraform CLI_LABEL=terraform
# shellcheck source=lib/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli.sh"

start_ensure "${TERRAFORM_INSTALL_DIR:-}" "$TF_BUILD_VERSION" "about 2 minutes" "$@"
src="$(module_source "github.com/hashicorp/terraform@v$TF_BUILD_VERSION" "$workdir")"

initgo="$src/internal/backend/init/init.go"
[[ -f "$initgo" ]] || die "unexpected terraform layout: $initgo missing"
# Remove both the import line and the map entry of each dropped backend,
# e.g. `backendS3 "…/remote-state/s3"` and `"s3": func() … backendS3.New() },`.
sed -E -i '/[[:space:]]backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)[[:space:]."]/d' "$initgo"
if grep -Eq 'remote-state/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)"' "$initgo"; then
  die "could not patch $initgo (layout changed?)"
fi

edit_args=()
for b in "${DROPPED_BACKENDS[@]}"; do
  m="github.com/hashicorp/terraform/internal/backend/remote-state/$b"
  edit_args+=("-dropreplace=$m" "-droprequire=$m")
done
edit_args+=("-dropreplace=github.com/hashicorp/terraform/internal/legacy"
            "-droprequire=github.com/hashicorp/terraform/internal/legacy")
(cd "$src" && go mod edit "${edit_args[@]}") || die "go mod edit failed"

log "building terraform v$TF_BUILD_VERSION (remote-state backends removed; local, http, inmem, remote and cloud kept)"
build_install "$src" . "$TF_BUILD_VERSION" "-s -w -X github.com/hashicorp/terraform/version.dev=no"
