# shellcheck shell=bash
# Shared by demo.sh, bench.sh and check-examples.sh: run terraform against
# the provider built from this tree, and start the fake authentik. The
# caller defines die().

# use_dev_overrides PLUGIN_DIR RC_FILE [ADDRESS=DIR...] -> writes a CLI
# configuration whose dev_overrides point terraform at PLUGIN_DIR for this
# provider (and at each DIR for another provider ADDRESS, as bench.sh does
# for the official provider), and exports it. With dev_overrides no
# `terraform init` is needed (init would try the registry).
use_dev_overrides() {
  local dir="$1" rc="$2" pair
  shift 2
  {
    printf 'provider_installation {\n  dev_overrides {\n'
    printf '    "registry.terraform.io/authentik-iac/authentik" = "%s"\n' "$dir"
    for pair in "$@"; do printf '    "%s" = "%s"\n' "${pair%%=*}" "${pair#*=}"; done
    printf '  }\n  direct {}\n}\n'
  } >"$rc"
  export TF_CLI_CONFIG_FILE="$rc"
}

# start_fake BINARY OUTDIR [FLAGS...] -> starts the fake authentik on a free
# local port, waits for the URL and token it prints, exports AUTHENTIK_URL
# and AUTHENTIK_TOKEN, and leaves its pid in fake_pid.
start_fake() {
  local bin="$1" out="$2" url="" token=""
  shift 2
  # Created here, not by the background job's redirection: that runs in the
  # child, and on a loaded machine the first read below can come before it
  # (sed then fails, and set -e ended a two-hour `make bench`).
  : >"$out/fake.out"
  : >"$out/fake.err"
  "$bin" -listen 127.0.0.1:0 "$@" >>"$out/fake.out" 2>>"$out/fake.err" &
  fake_pid=$!
  for _ in $(seq 1 100); do
    url="$(sed -n 's/^FAKE_AUTHENTIK_URL=//p' "$out/fake.out")"
    token="$(sed -n 's/^FAKE_AUTHENTIK_TOKEN=//p' "$out/fake.out")"
    [[ -n "$url" && -n "$token" ]] && break
    kill -0 "$fake_pid" 2>/dev/null || die "the fake authentik exited early: $(tr '\n' ' ' <"$out/fake.err")"
    sleep 0.1
  done
  [[ -n "$url" && -n "$token" ]] || die "the fake authentik did not print FAKE_AUTHENTIK_URL/FAKE_AUTHENTIK_TOKEN within 10s"
  export AUTHENTIK_URL="$url" AUTHENTIK_TOKEN="$token"
  unset AUTHENTIK_INSECURE
}
