# shellcheck shell=bash
# Used by bench.sh: find or build the official provider
# (goauthentik/terraform-provider-authentik, SDKv2), which `make bench` runs
# beside this one. Its build needs inputs that only some machines have (a
# build script and bare git copies of the provider and of goauthentik's
# generated client, which the Go module proxy does not serve); without them
# the benchmark prints a note and runs without it.
#
# Settings (environment):
#   BENCH_OFFICIAL=0             never use it
#   BENCH_OFFICIAL_BIN=path      use this binary, build nothing
#   OFFICIAL_BUILD_SH=path       the build script (default below); PEER_GIT,
#   PEER_GIT, CLIENT_GIT         CLIENT_GIT, PEER_REF, CLIENT_REF are its inputs
#   BENCH_OFFICIAL_CACHE=dir     where the build is kept between runs
#                                (default ~/.cache/authentik-bench/official-provider)
#   BENCH_OFFICIAL_REBUILD=1     build again even when the cached build matches

# official_provider LOGDIR -> prints the official provider binary's path, or
# nothing after printing a note on stderr saying why there is none.
official_provider() {
  local logdir="$1" note='bench: official provider:'
  if [[ "${BENCH_OFFICIAL:-1}" == 0 ]]; then
    printf '%s skipped (BENCH_OFFICIAL=0)\n' "$note" >&2
    return 0
  fi
  if [[ -n "${BENCH_OFFICIAL_BIN:-}" ]]; then
    [[ -x "$BENCH_OFFICIAL_BIN" ]] || die "BENCH_OFFICIAL_BIN=$BENCH_OFFICIAL_BIN is not an executable"
    printf '%s using %s\n' "$note" "$BENCH_OFFICIAL_BIN" >&2
    printf '%s\n' "$BENCH_OFFICIAL_BIN"
    return 0
  fi
  local build_sh="${OFFICIAL_BUILD_SH:-/work/shared/official-provider/build.sh}"
  local peer_git="${PEER_GIT:-/work/.mirror/goauthentik+terraform-provider-authentik/repo}"
  local client_git="${CLIENT_GIT:-/work/.mirror/goauthentik+client-go/repo}"
  local missing=() what
  [[ -f "$build_sh" ]] || missing+=("build script OFFICIAL_BUILD_SH=$build_sh")
  [[ -d "$peer_git" ]] || missing+=("git copy of goauthentik/terraform-provider-authentik PEER_GIT=$peer_git")
  [[ -d "$client_git" ]] || missing+=("git copy of goauthentik/client-go CLIENT_GIT=$client_git")
  if ((${#missing[@]} > 0)); then
    printf '%s NOT measured: its build inputs are missing on this machine:\n' "$note" >&2
    for what in "${missing[@]}"; do printf '    %s\n' "$what" >&2; done
    printf '    (set them, or BENCH_OFFICIAL_BIN to a built binary; continuing without it)\n' >&2
    return 0
  fi
  local cache="${BENCH_OFFICIAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/authentik-bench/official-provider}"
  local bin="$cache/bin/terraform-provider-authentik" stamp
  # The cached build is reused while the script and its inputs are the same.
  stamp="$({
    sha256sum "$build_sh" | cut -d' ' -f1
    printf '%s\n' "$peer_git" "$client_git" "${PEER_REF:-}" "${CLIENT_REF:-}" "$(go env GOVERSION)"
    git --git-dir="$peer_git" rev-parse HEAD 2>/dev/null || true
    git --git-dir="$client_git" rev-parse HEAD 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1)"
  if [[ "${BENCH_OFFICIAL_REBUILD:-0}" != 1 && -x "$bin" && "$(cat "$cache/stamp" 2>/dev/null)" == "$stamp" ]]; then
    printf '%s using the cached build %s (%s)\n' "$note" "$bin" "$(sed -n 's/^peer repo commit: *//p' "$cache/build-info.txt" | cut -c1-60)" >&2
    printf '%s\n' "$bin"
    return 0
  fi
  printf '%s building with %s (about 70 s; log %s/official-build.log)\n' "$note" "$build_sh" "$logdir" >&2
  mkdir -p "$cache"
  rm -f "$cache/stamp"
  if ! PEER_WORK="$cache" PEER_GIT="$peer_git" CLIENT_GIT="$client_git" bash "$build_sh" >"$logdir/official-build.log" 2>&1 || [[ ! -x "$bin" ]]; then
    printf '%s NOT measured: its build failed (last lines of %s/official-build.log):\n' "$note" "$logdir" >&2
    tail -n 5 "$logdir/official-build.log" | sed 's/^/    /' >&2
    return 0
  fi
  grep -q '^h1 match: *yes' "$cache/build-info.txt" ||
    printf '%s warning: the client snapshot is not byte-identical to the pinned module (see %s/build-info.txt)\n' "$note" "$cache" >&2
  printf '%s\n' "$stamp" >"$cache/stamp"
  printf '%s\n' "$bin"
}
