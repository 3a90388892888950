# shellcheck shell=bash
# Shared by ensure-terraform.sh and ensure-tofu.sh: find a usable Terraform or
# OpenTofu binary, or fetch a Go module to build one from. Source it after
# setting CLI_NAME (terraform or tofu) and CLI_LABEL (Terraform or OpenTofu).
# Requires: MIN_MAJOR, MIN_MINOR.
#
# A script runs start_ensure, prepares the source (module_source, patches),
# then build_install.

log() { printf 'ensure-%s: %s\n' "$CLI_NAME" "$*" >&2; }
die() { printf 'ensure-%s: error: %s\n' "$CLI_NAME" "$*" >&2; exit 1; }

# is_tofu BIN -> 0 if BIN is OpenTofu. Both CLIs answer `version -json` alike.
# No pipe: with pipefail, `| head | grep -q` can fail at random when the
# reader closes before the CLI has written everything (SIGPIPE).
is_tofu() {
  local out
  out="$(TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null)" || return 1
  [[ "$out" == OpenTofu* ]]
}

# usable BIN -> 0 if BIN is an executable of this flavour >= MIN_MAJOR.MIN_MINOR.
usable() {
  local bin="$1" out ver major minor
  [[ -n "$bin" && -f "$bin" && -x "$bin" ]] || return 1
  # tofu prints CLI-config warnings on stdout, so always give it /dev/null.
  out="$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$bin" version -json 2>/dev/null)" || return 1
  if is_tofu "$bin"; then
    [[ "$CLI_NAME" == tofu ]] || { log "ignoring $bin: it is OpenTofu (use scripts/ensure-tofu.sh)"; return 1; }
  else
    [[ "$CLI_NAME" == terraform ]] || return 1
  fi
  ver="$(printf '%s\n' "$out" | sed -n 's/.*"terraform_version"[[:space:]]*:[[:space:]]*"\([0-9][0-9.]*\).*/\1/p' | head -n1)"
  [[ -n "$ver" ]] || return 1
  IFS=. read -r major minor _ <<<"$ver"
  if (( major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR) )); then
    log "using $CLI_LABEL $ver at $bin"
    return 0
  fi
  log "ignoring $CLI_LABEL $ver at $bin (need >= $MIN_MAJOR.$MIN_MINOR)"
  return 1
}

abspath() {
  local p="$1"
  if [[ "$p" != /* ]]; then p="$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"; fi
  printf '%s\n' "$p"
}

# find_installed GOPATH_BIN INSTALL_DIR -> prints the first usable binary
# among $TF_ACC_TERRAFORM_PATH, the one on PATH and the install dirs.
find_installed() {
  local gopath_bin="$1" install_dir="$2" on_path c
  local candidates=()
  [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]] && candidates+=("$TF_ACC_TERRAFORM_PATH")
  if on_path="$(command -v "$CLI_NAME" 2>/dev/null)"; then candidates+=("$on_path"); fi
  candidates+=("$gopath_bin/$CLI_NAME")
  [[ "$install_dir" != "$gopath_bin" ]] && candidates+=("$install_dir/$CLI_NAME")
  for c in "${candidates[@]}"; do
    if usable "$c"; then abspath "$c"; return 0; fi
  done
  return 1
}

# module_source MODULE@VERSION WORKDIR -> prints a writable copy of the
# module's source under WORKDIR, fetched through the Go module proxy.
module_source() {
  local mod="$1" workdir="$2" json moddir src
  log "downloading $mod"
  json="$(cd "$workdir" && go mod download -json "$mod" 2>&1)" \
    || die "go mod download $mod failed: $(printf '%s' "$json" | tr '\n' ' ' | cut -c1-300)"
  moddir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  [[ -n "$moddir" && -d "$moddir" ]] || die "could not find the module directory of $mod in 'go mod download' output"
  src="$workdir/src"
  cp -R "$moddir" "$src"
  chmod -R u+w "$src"
  printf '%s\n' "$src"
}

# start_ensure INSTALL_DIR VERSION DURATION [--force-build] -> unless
# --force-build, prints a usable installed binary and exits 0. Otherwise
# (nothing usable, or forced) sets install_dir (INSTALL_DIR, or
# $(go env GOPATH)/bin when empty) and workdir, a temporary directory removed
# at exit, for the build of VERSION.
start_ensure() {
  local setting="$1" version="$2" duration="$3" force_build=0 gopath_bin
  shift 3
  case "${1:-}" in
    --force-build) force_build=1 ;;
    "") ;;
    *) die "unknown argument: $1 (usage: $0 [--force-build])" ;;
  esac
  command -v go >/dev/null 2>&1 || die "go is not on PATH"
  gopath_bin="$(go env GOPATH | cut -d: -f1)/bin"
  install_dir="${setting:-$gopath_bin}"
  if (( ! force_build )); then
    find_installed "$gopath_bin" "$install_dir" && exit 0
    log "no $CLI_LABEL >= $MIN_MAJOR.$MIN_MINOR found; building v$version from the Go module proxy ($duration)"
  fi
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/ensure-$CLI_NAME.XXXXXX")"
  trap 'chmod -R u+w "$workdir" 2>/dev/null || true; rm -rf "$workdir"' EXIT
}

# build_install SRC PACKAGE VERSION LDFLAGS -> builds PACKAGE of the module
# copy SRC, installs it as $install_dir/$CLI_NAME and prints that path.
build_install() {
  local src="$1" pkg="$2" version="$3" ldflags="$4" out="$workdir/$CLI_NAME-bin" start=$SECONDS
  mkdir -p "$install_dir"
  if ! (cd "$src" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" go build -trimpath \
          -ldflags "$ldflags" -o "$out" "$pkg" >&2); then
    die "go build of $CLI_LABEL v$version failed (see output above)"
  fi
  install -m 0755 "$out" "$install_dir/$CLI_NAME"
  log "built $install_dir/$CLI_NAME in $((SECONDS - start))s"
  usable "$install_dir/$CLI_NAME" || die "built $CLI_LABEL at $install_dir/$CLI_NAME does not run"
  abspath "$install_dir/$CLI_NAME"
}
