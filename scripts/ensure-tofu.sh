#!/usr/bin/env bash
# ensure-tofu.sh — print the absolute path of a usable OpenTofu (>= 1.11).
#
# Looks, in order, at $TF_ACC_TERRAFORM_PATH (only if it is a tofu binary),
# `tofu` on PATH and $(go env GOPATH)/bin/tofu. If none is usable, builds
# OpenTofu v1.12.6 from its Go module (no patches needed) into
# $(go env GOPATH)/bin/tofu. This takes about 4 minutes cold.
#
# Only the path goes to stdout; progress goes to stderr. Exits non-zero with
# a one-line reason when nothing usable can be found or built.
#
# Options:
#   --force-build   skip detection and always build.
# Environment:
#   TOFU_INSTALL_DIR   where to put a built binary (default: $(go env GOPATH)/bin).
set -euo pipefail

readonly TOFU_BUILD_VERSION="1.12.6"
readonly MIN_MAJOR=1 MIN_MINOR=11

CLI_NAME=tofu CLI_LABEL=OpenTofu
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
install_dir="${TOFU_INSTALL_DIR:-$gopath_bin}"

if (( ! force_build )); then
  find_installed "$gopath_bin" "$install_dir" && exit 0
  log "no OpenTofu >= $MIN_MAJOR.$MIN_MINOR found; building v$TOFU_BUILD_VERSION from the Go module proxy (about 4 minutes)"
fi

# ---- build ------------------------------------------------------------------
workdir="$(mktemp -d "${TMPDIR:-/tmp}/ensure-tofu.XXXXXX")"
cleanup() { chmod -R u+w "$workdir" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

src="$(module_source "github.com/opentofu/opentofu@v$TOFU_BUILD_VERSION" "$workdir")"

mkdir -p "$install_dir"
out="$workdir/tofu-bin"
log "building OpenTofu v$TOFU_BUILD_VERSION"
start=$SECONDS
if ! (cd "$src" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" go build -trimpath \
        -ldflags "-s -w" -o "$out" ./cmd/tofu >&2); then
  die "go build of OpenTofu v$TOFU_BUILD_VERSION failed (see output above)"
fi
install -m 0755 "$out" "$install_dir/tofu"
log "built $install_dir/tofu in $((SECONDS - start))s"

usable "$install_dir/tofu" || die "built OpenTofu at $install_dir/tofu does not run"
abspath "$install_dir/tofu"
