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

force_build=0
case "${1:-}" in
  --force-build) force_build=1 ;;
  "") ;;
  *) die "unknown argument: $1 (usage: $0 [--force-build])" ;;
esac

command -v go >/dev/null 2>&1 || die "go is not on PATH"

gopath_bin="$(go env GOPATH | cut -d: -f1)/bin"
install_dir="${TERRAFORM_INSTALL_DIR:-$gopath_bin}"

if (( ! force_build )); then
  find_installed "$gopath_bin" "$install_dir" && exit 0
  log "no terraform >= $MIN_MAJOR.$MIN_MINOR found; building v$TF_BUILD_VERSION from the Go module proxy (about 2 minutes)"
fi

# ---- build ------------------------------------------------------------------
workdir="$(mktemp -d "${TMPDIR:-/tmp}/ensure-terraform.XXXXXX")"
cleanup() { chmod -R u+w "$workdir" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

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

mkdir -p "$install_dir"
out="$workdir/terraform-bin"
log "building terraform v$TF_BUILD_VERSION (remote-state backends removed; local, http, inmem, remote and cloud kept)"
start=$SECONDS
if ! (cd "$src" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" go build -trimpath \
        -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" \
        -o "$out" . >&2); then
  die "go build of terraform v$TF_BUILD_VERSION failed (see output above)"
fi
install -m 0755 "$out" "$install_dir/terraform"
log "built $install_dir/terraform in $((SECONDS - start))s"

usable "$install_dir/terraform" || die "built terraform at $install_dir/terraform does not run"
abspath "$install_dir/terraform"
