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

start_ensure "${TOFU_INSTALL_DIR:-}" "$TOFU_BUILD_VERSION" "about 4 minutes" "$@"
src="$(module_source "github.com/opentofu/opentofu@v$TOFU_BUILD_VERSION" "$workdir")"
log "building OpenTofu v$TOFU_BUILD_VERSION"
build_install "$src" ./cmd/tofu "$TOFU_BUILD_VERSION" "-s -w"
