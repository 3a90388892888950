#!/usr/bin/env bash
# check-release-binary.sh — what `make release-binary-check` (and .ci/run)
# runs: build the provider for this platform the way .goreleaser.yml does
# (its env, flags and ldflags, read from the file) and fail if the binary
# carries anything of the benchmark build (`-tags bench`):
#
#   1. `strings` finds none of the bench resource type names, the
#      environment variables of the bench switch and the profiling hooks, or
#      the profiler itself (Go keeps function names even with -s -w);
#   2. `terraform providers schema -json`, run through dev_overrides with
#      AUTHENTIK_PROVIDER_BENCH=1 and the profiling variables set, lists no
#      bench resource, and no profile is written.
#
# Both checks are first run on a bench build, which must fail them: a check
# that finds nothing there proves nothing here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

die() { printf 'release-binary-check: FAILED: %s\n' "$*" >&2; exit 1; }
say() { printf 'release-binary-check: %s\n' "$*"; }
# shellcheck source=lib/dev.sh
source "$repo/scripts/lib/dev.sh"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_LOG TF_LOG_PROVIDER
tmp="$(mktemp -d "${TMPDIR:-/tmp}/release-binary-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# goreleaser_list KEY prints the items of the list KEY of the first build in
# .goreleaser.yml, unquoted, one a line. The file is plain enough for awk;
# a missing list fails here rather than building something else.
goreleaser_list() {
  awk -v key="$1" '
    /^builds:/ { inb = 1; next }
    inb && /^[^ #]/ { exit }
    inb && /^  - / && seen_build++ { exit }
    inb && $0 ~ "^  (- |  )" key ":[[:space:]]*$" { inl = 1; next }
    inl && /^ +- / { sub(/^ +- +/, ""); gsub(/^"|"$/, ""); print; next }
    inl && !/^[[:space:]]*(#|$)/ { inl = 0 }
  ' .goreleaser.yml
}

version="0.0.0-releasecheck"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo none)"
mapfile -t genv < <(goreleaser_list env)
mapfile -t flags < <(goreleaser_list flags)
ldflags="$(goreleaser_list ldflags | paste -sd ' ')"
[[ ${#flags[@]} -gt 0 && -n "$ldflags" ]] || die "could not read flags and ldflags of the first build in .goreleaser.yml"
[[ -z "$(goreleaser_list tags)" && " ${flags[*]} " != *" -tags"* ]] ||
  die ".goreleaser.yml builds with Go build tags; the release must be the default build (no 'bench')"
ldflags="${ldflags//\{\{ .Version \}\}/$version}"
ldflags="${ldflags//\{\{ .Commit \}\}/$commit}"
[[ "$ldflags" != *"{{"* ]] || die "ldflags use a template this script does not fill in: $ldflags"

# build DIR [GO BUILD ARGS...] builds the provider into DIR under the name
# goreleaser gives it.
build() {
  local dir=$1
  shift
  mkdir -p "$dir"
  env "${genv[@]}" go build "${flags[@]}" -ldflags "$ldflags" "$@" -o "$dir/terraform-provider-authentik_v$version" .
}

# What the bench build adds: its resource type names, the environment
# variables it reads (taken from its sources, so a new one is covered), and
# the profiler. AUTHENTIK_PROVIDER_BENCH, the switch that once added the bench
# resources to the release build, is read by no build now; it is checked in
# the release binary only.
mapfile -t needles < <({
  printf '%s\n' bench_noop bench_duo_shape runtime/pprof.StartCPUProfile
  grep -ho '"AUTHENTIK_PROVIDER_[A-Z_]*"' profile_bench.go internal/provider/resource_bench_noop.go | tr -d '"'
} | sort -u)

# found BINARY prints each needle that `strings` finds in BINARY.
found() {
  local text="$tmp/strings.txt" n
  if command -v strings >/dev/null 2>&1; then strings -a "$1" >"$text"; else tr -c '[:print:]' '\n' <"$1" >"$text"; fi
  grep -q 'stage_authenticator_duo' "$text" || die "strings finds not even the Duo stage's type name in $1"
  for n in "${needles[@]}"; do
    if grep -qF -- "$n" "$text"; then echo "$n"; fi
  done
}

# bench_resources PLUGIN_DIR prints the bench resources that
# `terraform providers schema -json` lists, with the bench switch and the
# profiling variables set, and fails if any profile was written.
tf="$(bash scripts/ensure-terraform.sh)"
bench_resources() {
  local dir=$1 work="$tmp/work" schema="$tmp/schema.json"
  mkdir -p "$work" "$tmp/prof"
  rm -f "$tmp/prof/"*
  printf 'terraform {\n  required_providers {\n    authentik = { source = "authentik-iac/authentik" }\n  }\n}\n' >"$work/main.tf"
  use_dev_overrides "$dir" "$tmp/terraformrc"
  (cd "$work" && AUTHENTIK_PROVIDER_BENCH=1 AUTHENTIK_PROVIDER_CPUPROFILE="$tmp/prof/cpu.%p" \
    AUTHENTIK_PROVIDER_MEMPROFILE="$tmp/prof/mem.%p" AUTHENTIK_PROVIDER_PEAKRSS_FILE="$tmp/prof/rss" \
    "$tf" providers schema -json >"$schema" 2>"$tmp/schema.err") ||
    die "terraform providers schema failed: $(head -c 600 "$tmp/schema.err")"
  grep -q '"authentik_stage_authenticator_duo"' "$schema" || die "the schema from $dir lists no authentik_stage_authenticator_duo"
  grep -o '"authentik_bench[a-z_]*"' "$schema" | sort -u | tr -d '"' || true
  if compgen -G "$tmp/prof/*" >/dev/null; then echo "profile:$(cd "$tmp/prof" && ls | paste -sd,)"; fi
}

say "building the bench build (the checks must find what it adds)"
build "$tmp/bench" -tags bench
got="$(found "$tmp/bench/terraform-provider-authentik_v$version" | paste -sd ' ')"
[[ "$got" == "$(printf '%s\n' "${needles[@]}" | paste -sd ' ')" ]] ||
  die "in the bench build strings finds only [$got] of [${needles[*]}]: fix the needles"
got="$(bench_resources "$tmp/bench")"
[[ "$got" == *authentik_bench_duo_shape* && "$got" == *profile:* ]] ||
  die "the bench build's schema or profiles are not what the check expects: [$got]"

say "building the release binary as .goreleaser.yml does: ${genv[*]} go build ${flags[*]} -ldflags \"$ldflags\""
build "$tmp/release"
bin="$tmp/release/terraform-provider-authentik_v$version"
mapfile -t needles < <(printf '%s\n' "${needles[@]}" AUTHENTIK_PROVIDER_BENCH | sort -u)
got="$(found "$bin" | paste -sd ' ')"
[[ -z "$got" ]] || die "the release binary contains: $got"
say "strings: none of ${needles[*]}"
got="$(bench_resources "$tmp/release")"
[[ -z "$got" ]] || die "with AUTHENTIK_PROVIDER_BENCH=1 and the profiling variables set the release binary serves or writes: $got"
say "terraform providers schema -json (AUTHENTIK_PROVIDER_BENCH=1): no bench resource; no profile written"
say "ok"
