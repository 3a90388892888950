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

log() { printf 'ensure-terraform: %s\n' "$*" >&2; }
die() { printf 'ensure-terraform: error: %s\n' "$*" >&2; exit 1; }

force_build=0
case "${1:-}" in
  --force-build) force_build=1 ;;
  "") ;;
  *) die "unknown argument: $1 (usage: $0 [--force-build])" ;;
esac

command -v go >/dev/null 2>&1 || die "go is not on PATH"

# usable PATH -> 0 if PATH is an executable terraform >= MIN_MAJOR.MIN_MINOR.
usable() {
  local bin="$1" out ver major minor
  [[ -n "$bin" && -f "$bin" && -x "$bin" ]] || return 1
  out="$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$bin" version -json 2>/dev/null)" || return 1
  # OpenTofu answers the same JSON; it needs other settings (see ensure-tofu.sh).
  if TF_CLI_CONFIG_FILE=/dev/null "$bin" version 2>/dev/null | head -n1 | grep -q '^OpenTofu'; then
    log "ignoring $bin: it is OpenTofu (use scripts/ensure-tofu.sh / make testacc-tofu)"
    return 1
  fi
  ver="$(printf '%s\n' "$out" | sed -n 's/.*"terraform_version"[[:space:]]*:[[:space:]]*"\([0-9][0-9.]*\).*/\1/p' | head -n1)"
  [[ -n "$ver" ]] || return 1
  IFS=. read -r major minor _ <<<"$ver"
  if (( major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR) )); then
    log "using terraform $ver at $bin"
    return 0
  fi
  log "ignoring terraform $ver at $bin (need >= $MIN_MAJOR.$MIN_MINOR)"
  return 1
}

abspath() {
  local p="$1"
  if [[ "$p" != /* ]]; then p="$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"; fi
  printf '%s\n' "$p"
}

gopath_bin="$(go env GOPATH | cut -d: -f1)/bin"
install_dir="${TERRAFORM_INSTALL_DIR:-$gopath_bin}"

if (( ! force_build )); then
  candidates=()
  [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]] && candidates+=("$TF_ACC_TERRAFORM_PATH")
  if on_path="$(command -v terraform 2>/dev/null)"; then candidates+=("$on_path"); fi
  candidates+=("$gopath_bin/terraform")
  [[ "$install_dir" != "$gopath_bin" ]] && candidates+=("$install_dir/terraform")
  for c in "${candidates[@]}"; do
    if usable "$c"; then abspath "$c"; exit 0; fi
  done
  log "no terraform >= $MIN_MAJOR.$MIN_MINOR found; building v$TF_BUILD_VERSION from the Go module proxy (about 2 minutes)"
fi

# ---- build ------------------------------------------------------------------
workdir="$(mktemp -d "${TMPDIR:-/tmp}/ensure-terraform.XXXXXX")"
cleanup() { chmod -R u+w "$workdir" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

mod="github.com/hashicorp/terraform@v$TF_BUILD_VERSION"
log "downloading $mod"
json="$(cd "$workdir" && go mod download -json "$mod" 2>&1)" \
  || die "go mod download $mod failed: $(printf '%s' "$json" | tr '\n' ' ' | cut -c1-300)"
moddir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' | head -n1)"
[[ -n "$moddir" && -d "$moddir" ]] || die "could not find the module directory of $mod in 'go mod download' output"

src="$workdir/terraform"
cp -R "$moddir" "$src"
chmod -R u+w "$src"

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
