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

log() { printf 'ensure-tofu: %s\n' "$*" >&2; }
die() { printf 'ensure-tofu: error: %s\n' "$*" >&2; exit 1; }

force_build=0
case "${1:-}" in
  --force-build) force_build=1 ;;
  "") ;;
  *) die "unknown argument: $1 (usage: $0 [--force-build])" ;;
esac

command -v go >/dev/null 2>&1 || die "go is not on PATH"

# usable PATH -> 0 if PATH is an executable OpenTofu >= MIN_MAJOR.MIN_MINOR.
usable() {
  local bin="$1" out ver major minor
  [[ -n "$bin" && -f "$bin" && -x "$bin" ]] || return 1
  # tofu prints CLI-config warnings on stdout, so always give it /dev/null.
  out="$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$bin" version -json 2>/dev/null)" || return 1
  # `tofu version -json` reports {"terraform_version": "1.12.6", ...}; make sure it is tofu.
  TF_CLI_CONFIG_FILE=/dev/null "$bin" version 2>/dev/null | head -n1 | grep -q '^OpenTofu' || return 1
  ver="$(printf '%s\n' "$out" | sed -n 's/.*"terraform_version"[[:space:]]*:[[:space:]]*"\([0-9][0-9.]*\).*/\1/p' | head -n1)"
  [[ -n "$ver" ]] || return 1
  IFS=. read -r major minor _ <<<"$ver"
  if (( major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR) )); then
    log "using OpenTofu $ver at $bin"
    return 0
  fi
  log "ignoring OpenTofu $ver at $bin (need >= $MIN_MAJOR.$MIN_MINOR)"
  return 1
}

abspath() {
  local p="$1"
  if [[ "$p" != /* ]]; then p="$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"; fi
  printf '%s\n' "$p"
}

gopath_bin="$(go env GOPATH | cut -d: -f1)/bin"
install_dir="${TOFU_INSTALL_DIR:-$gopath_bin}"

if (( ! force_build )); then
  candidates=()
  [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]] && candidates+=("$TF_ACC_TERRAFORM_PATH")
  if on_path="$(command -v tofu 2>/dev/null)"; then candidates+=("$on_path"); fi
  candidates+=("$gopath_bin/tofu")
  [[ "$install_dir" != "$gopath_bin" ]] && candidates+=("$install_dir/tofu")
  for c in "${candidates[@]}"; do
    if usable "$c"; then abspath "$c"; exit 0; fi
  done
  log "no OpenTofu >= $MIN_MAJOR.$MIN_MINOR found; building v$TOFU_BUILD_VERSION from the Go module proxy (about 4 minutes)"
fi

# ---- build ------------------------------------------------------------------
workdir="$(mktemp -d "${TMPDIR:-/tmp}/ensure-tofu.XXXXXX")"
cleanup() { chmod -R u+w "$workdir" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

mod="github.com/opentofu/opentofu@v$TOFU_BUILD_VERSION"
log "downloading $mod"
json="$(cd "$workdir" && go mod download -json "$mod" 2>&1)" \
  || die "go mod download $mod failed: $(printf '%s' "$json" | tr '\n' ' ' | cut -c1-300)"
moddir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' | head -n1)"
[[ -n "$moddir" && -d "$moddir" ]] || die "could not find the module directory of $mod in 'go mod download' output"

src="$workdir/opentofu"
cp -R "$moddir" "$src"
chmod -R u+w "$src"

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
