#!/usr/bin/env bash
# bench.sh — what `make bench` runs: Terraform at scale against the fake
# authentik with an injected round-trip latency (issue 7), side by side with
# the official provider (issue 17).
#
# Kinds of N resources (BENCH_KINDS), run side by side, phase by phase:
#   data      terraform_data (built into Terraform: no plugin, no API) — baseline
#   noop      authentik_bench_noop: this provider, no API call — the
#             framework's own per-resource cost
#   shape     authentik_bench_duo_shape: the Duo stage's schema and config
#             validators, no API call — what Terraform and the framework cost
#             for a resource of that shape
#   shape_noflows, shape_notimeouts, shape_lean: the shape without `flows`,
#             without `timeouts`, and without both; shape_official: only the
#             official provider's attributes (none of these in the default kinds)
#   duo       authentik_stage_authenticator_duo
#   official  the official provider's authentik_stage_authenticator_duo, from
#             the same configuration template (see scripts/lib/official.sh;
#             without its build inputs it is left out, with a note)
#   <kind>_device, for <kind> in totp static webauthn duo sms email
#             authentik_<kind>_device: authentik's API cannot create most of
#             them, so the fake seeds N enrolled devices of the kind and
#             "create" is an apply with import blocks (no official
#             counterpart)
#   <stage>_stage, official_<stage>_stage, for <stage> in totp static
#             webauthn sms email validate
#             authentik_stage_authenticator_<stage>, ours and the official
#             provider's, from one configuration template per stage (not in
#             the default kinds; e.g. BENCH_KINDS="data static_stage
#             official_static_stage")
#   <stage>_stage_shape
#             authentik_bench_<stage>_stage_shape: that stage's schema and
#             config validators with no API call, from the same template —
#             the floor any provider with that schema stands on (not in the
#             default kinds)
#   <stage>_stage_wait, shape_wait
#             the stage's shape (the Duo shape) again, but each create, read,
#             update and delete waits BENCH_LATENCY before it answers, as one
#             request would (AUTHENTIK_BENCH_SHAPE_WAIT): the floor of a
#             provider with that schema that makes one request per call. Ours
#             against it is what our own code costs; it against the shape is
#             what the round trips cost (not in the default kinds)
# The bench resources exist only in the bench build (`go build -tags bench`),
# which this script makes.
#
# Phases: create (apply on an empty state), plan (refresh every resource;
# must be empty), update (apply after changing friendly_name, the TOTP
# device's name), destroy.
#
# A run is the four phases of every kind, kinds interleaved within each phase
# (… duo, official, …). The benchmark makes BENCH_RUNS runs per N, each kind
# that calls authentik against its own fresh fake, and reports the median and
# the spread (min–max) of the runs, and ratios paired within a run (ours /
# official, variant / shape, kind / data), since the machine is noisy.
#
# For each command it records the wall time, the API requests by method and
# the TCP connections opened (counted by that kind's fake), the most
# connections open at once, how many provider processes Terraform started,
# their peak RSS, the CPU time of Terraform and of the provider processes, and
# after create and update the state file's bytes per instance and the
# sensitive paths per instance. The latency floor is baseline + R × latency /
# parallelism, where R is the number of requests a phase cannot do without (N
# for create and plan, 2N for update and destroy: Terraform refreshes before
# it writes).
#
# Settings (environment):
#   BENCH_N="10 100 1000"  BENCH_LATENCY=20ms  BENCH_PARALLELISM=10
#   BENCH_KINDS="data noop shape duo official totp_device"  BENCH_RUNS=3
#   BENCH_PROFILE=1 (profile duo and noop at the largest N in a separate,
#   untimed pass; 0 skips it)
#   BENCH_OUT=dir (default: a new temp dir; results are kept there)
#   BENCH_OFFICIAL*, PEER_GIT, CLIENT_GIT: see scripts/lib/official.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

ns="${BENCH_N:-10 100 1000}"
latency="${BENCH_LATENCY:-20ms}"
par="${BENCH_PARALLELISM:-10}"
kinds="${BENCH_KINDS:-data noop shape duo official totp_device}"
profile="${BENCH_PROFILE:-1}"
runs="${BENCH_RUNS:-3}"
out="${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/authentik-bench.XXXXXX")}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

die() { printf 'bench: FAILED: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/dev.sh
source "$repo/scripts/lib/dev.sh"
# shellcheck source=lib/official.sh
source "$repo/scripts/lib/official.sh"
stage_kinds="totp_stage static_stage webauthn_stage sms_stage email_stage validate_stage"
device_kinds="totp_device static_device webauthn_device duo_device sms_device email_device"
[[ " $kinds " == *" data "* ]] || die "BENCH_KINDS must include data (the baseline)"
for kind in $kinds; do
  case $kind in data | noop | shape | shape_noflows | shape_notimeouts | shape_lean | shape_official | shape_wait | duo | official) ;;
    *_device) [[ " $device_kinds " == *" $kind "* ]] || die "unknown kind in BENCH_KINDS: $kind (devices: $device_kinds)" ;;
    *_stage) [[ " $stage_kinds " == *" ${kind#official_} "* ]] || die "unknown kind in BENCH_KINDS: $kind (stages: $stage_kinds)" ;;
    *_stage_shape | *_stage_wait) [[ " $stage_kinds " == *" ${kind%_*} "* ]] || die "unknown kind in BENCH_KINDS: $kind (stages: $stage_kinds)" ;;
    *) die "unknown kind in BENCH_KINDS: $kind" ;;
  esac
done
[[ "$par" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PARALLELISM must be a positive integer"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ -z "${BENCH_PLAN_RUNS:-}" ]] || die "BENCH_PLAN_RUNS is gone: every phase now runs BENCH_RUNS times"

# latency in seconds, from a Go duration such as 20ms, 0.5s or 0.
lat_s="$(awk -v d="$latency" 'BEGIN {
  if (d ~ /^[0-9.]+ms$/) { sub(/ms$/, "", d); print d / 1000 }
  else if (d ~ /^[0-9.]+us$/) { sub(/us$/, "", d); print d / 1000000 }
  else if (d ~ /^[0-9.]+s$/) { sub(/s$/, "", d); print d + 0 }
  else if (d == "0") print 0
  else print "bad" }')"
[[ "$lat_s" != bad ]] || die "BENCH_LATENCY=$latency: use a Go duration such as 20ms"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_ACC TF_ACC_TERRAFORM_VERSION TF_LOG TF_LOG_PROVIDER AUTHENTIK_INSECURE
unset AUTHENTIK_PROVIDER_CPUPROFILE AUTHENTIK_PROVIDER_MEMPROFILE GOGC GOMEMLIMIT
tf="$(bash scripts/ensure-terraform.sh)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/authentik-bench-run.XXXXXX")"
declare -A fake_pids=() fake_urls=() fake_tokens=()
fake_pid="" # the fake start_fake started last, before start_kind_fake files it
stop_fakes() {
  local pid
  for pid in "${fake_pids[@]}" $fake_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  fake_pids=() fake_urls=() fake_tokens=() fake_pid=""
}
cleanup() { stop_fakes; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$out/log"

echo "bench: building the provider (bench build) and the fake authentik; checking the bench build"
mkdir -p "$tmp/bin" "$tmp/plugins" "$tmp/plugins-official"
go build -tags bench -o "$tmp/bin/terraform-provider-authentik" .
go build -o "$tmp/bin/fakeauthentik" ./internal/fakeauthentik/cmd/fakeauthentik
# The bench resources take the Duo stage's schema at run time and the
# micro-benchmarks reach into its code: a change there must stop the
# benchmark here, not skew it.
go vet -tags bench ./... || die "the bench build does not vet"
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tf" TF_ACC_PROVIDER_NAMESPACE=authentik-iac TF_CLI_CONFIG_FILE=/dev/null \
  AUTHENTIK_URL='' AUTHENTIK_TOKEN='' go test -tags bench -count=1 -run 'Bench' ./internal/provider/ >"$out/log/bench-tests.log" 2>&1 ||
  die "the bench resources' tests fail (log: $out/log/bench-tests.log)"

official_bin=""
if [[ " $kinds " =~ \ official(_[a-z_]+)?\  ]]; then
  official_bin="$(official_provider "$out/log")"
  if [[ -z "$official_bin" ]]; then
    kinds="$(tr ' ' '\n' <<<"$kinds" | grep -v '^official' | paste -sd ' ')"
  fi
fi

# Terraform starts each provider through a wrapper (dev_overrides points at
# its directory) that records each process's peak RSS and CPU time in
# $BENCH_RSS_DIR: with GNU time when it works here; else our provider appends
# its VmHWM when AUTHENTIK_PROVIDER_PEAKRSS_FILE is set (bench build only),
# and the official provider's RSS is not measured.
gnu_time=0
if /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
  gnu_time=1
  rss_method="GNU time (%M)"
else
  rss_method="VmHWM at exit (GNU time not found; apt-get install time); the official provider's is not measured"
fi
wrap() { # wrap BINARY WRAPPER [ours]
  if [[ $gnu_time == 1 ]]; then
    printf '#!/bin/sh\nexec /usr/bin/time -f "%%M %%U %%S" -o "${BENCH_RSS_DIR:-/tmp}/time.$$" "%s" "$@"\n' "$1" >"$2"
  elif [[ ${3:-} == ours ]]; then
    printf '#!/bin/sh\nAUTHENTIK_PROVIDER_PEAKRSS_FILE="${BENCH_RSS_DIR:-/tmp}/hwm" exec "%s" "$@"\n' "$1" >"$2"
  else
    printf '#!/bin/sh\nexec "%s" "$@"\n' "$1" >"$2"
  fi
  chmod +x "$2"
}
wrap "$tmp/bin/terraform-provider-authentik" "$tmp/plugins/terraform-provider-authentik" ours
overrides=()
if [[ -n "$official_bin" ]]; then
  wrap "$official_bin" "$tmp/plugins-official/terraform-provider-authentik"
  overrides=("registry.terraform.io/goauthentik/authentik=$tmp/plugins-official")
fi
use_dev_overrides "$tmp/plugins" "$tmp/terraformrc" "${overrides[@]}"

calls_api() { [[ $1 == duo || $1 == official* || $1 == *_stage || $1 == *_device ]]; }

# start_kind_fake KIND N starts a fresh fake authentik for KIND.
start_kind_fake() {
  local kind=$1 n=$2 dir="$tmp/fake/$1" seed=()
  rm -rf "$dir"
  mkdir -p "$dir"
  [[ $kind != *_device ]] || seed=(-seed-devices "${kind%_device}=$n")
  start_fake "$tmp/bin/fakeauthentik" "$dir" -latency "$latency" -stats "$dir/stats" "${seed[@]}"
  fake_pids[$kind]=$fake_pid fake_urls[$kind]=$AUTHENTIK_URL fake_tokens[$kind]=$AUTHENTIK_TOKEN
  unset AUTHENTIK_URL AUTHENTIK_TOKEN
}

# stats KIND prints the cumulative counters of KIND's fake ("connections 3",
# "peak_open 2", "requests GET 10") and starts a new peak window.
stats() {
  local f="$tmp/fake/$1/stats"
  calls_api "$1" || return 0
  rm -f "$f"
  kill -USR1 "${fake_pids[$1]}"
  for _ in $(seq 1 200); do [[ -s "$f" ]] && break; sleep 0.01; done
  [[ -s "$f" ]] || die "the fake of $1 wrote no stats"
  cat "$f"
}

# stage_config STAGE TYPE N VERSION prints the configuration of N stages of
# one kind: the attributes both providers name alike, what each stage needs
# to be valid, and one attribute the update changes (friendly_name, or the
# validation stage's last_auth_threshold, which has no friendly name).
stage_config() {
  local stage=$1 type=$2 n=$3 v=$4 extra
  case $stage in
    totp_stage) extra="digits = \"6\"" ;;
    static_stage) extra="token_count = 6" ;;
    webauthn_stage) extra="user_verification = \"preferred\"" ;;
    sms_stage) extra="from_number = \"+15555550100\"
  account_sid = \"ACBENCH\${count.index}\"
  auth = \"bench-secret\"" ;;
    email_stage) extra="use_global_settings = true" ;;
    validate_stage) extra="device_classes = [\"totp\"]
  not_configured_action = \"skip\"
  last_auth_threshold = \"hours=$v\"" ;;
  esac
  echo "resource \"$type\" \"r\" {
  count = $n
  name = \"bench-$stage-\${count.index}\"
  $extra"
  [[ $stage == validate_stage ]] || echo "  friendly_name = \"v$v\""
  echo "}"
}

# config KIND N VERSION writes the configuration of one kind; VERSION 1 is
# the created state, 2 the update. The Duo stage, its shapes and the official
# provider's Duo stage share one template (the same attribute names; the
# official provider has no _wo attributes). count, not for_each over a local
# set: Terraform 1.11 re-evaluates such a local for every instance, which
# made terraform_data alone 2.6x slower at N=1000.
config() {
  local kind=$1 n=$2 v=$3 dir="$tmp/work/$1" source=authentik-iac/authentik type="" stage=${1#official_}
  mkdir -p "$dir"
  [[ $kind != official* ]] || source=goauthentik/authentik
  case $kind in
    duo | official) type=authentik_stage_authenticator_duo ;;
    *_stage) type=authentik_stage_authenticator_${stage%_stage} ;;
    # A stage's shape and its waiting twin are one resource type.
    *_stage_shape | *_stage_wait) stage=${kind%_*} type=authentik_bench_${kind%_*}_shape ;;
    shape_wait) type=authentik_bench_duo_shape ;;
    shape*) type=authentik_bench_duo_$kind ;;
  esac
  {
    [[ $kind == data ]] || printf 'terraform {\n  required_providers {\n    authentik = { source = "%s" }\n  }\n}\n' "$source"
    case $kind in
      data) echo "resource \"terraform_data\" \"r\" {
  count = $n
  input = { name = \"bench-\${count.index}\", friendly_name = \"v$v\" }
}" ;;
      noop) echo "resource \"authentik_bench_noop\" \"r\" {
  count         = $n
  name          = \"bench-\${count.index}\"
  friendly_name = \"v$v\"
}" ;;
      duo | official | shape*) echo "resource \"$type\" \"r\" {
  count         = $n
  name          = \"bench-duo-\${count.index}\"
  client_id     = \"DIBENCH\${count.index}\"
  client_secret = \"bench-secret\"
  api_hostname  = \"api-bench.duosecurity.com\"
  friendly_name = \"v$v\"
}" ;;
      *_stage | *_stage_shape | *_stage_wait) stage_config "$stage" "$type" "$n" "$v" ;;
      # The fake seeded devices 1..N named bench-<kind>-1..N.
      *_device) echo "resource \"authentik_$kind\" \"r\" {
  count = $n
  name  = \"bench-${kind%_device}-\${count.index + 1}$([[ $v == 1 ]] || echo "-v$v")\"
}
import {
  for_each = range($n)
  to       = authentik_$kind.r[each.value]
  id       = tostring(each.value + 1)
}" ;;
    esac
  } >"$dir/main.tf"
}

# phase_args PHASE sets cmd to the terraform arguments of a phase.
phase_args() {
  case $1 in
    create | update) cmd=(apply -auto-approve) ;;
    plan) cmd=(plan -detailed-exitcode) ;;
    destroy) cmd=(destroy -auto-approve) ;;
  esac
  cmd+=(-input=false -no-color -parallelism="$par")
}

# kind_env KIND sets env to the variables one kind's terraform runs with:
# the URL of its fake, or, for kinds that never call authentik, an address
# where nothing listens (the provider needs a URL; a call would fail loudly);
# the *_wait kinds' shapes wait the fake's latency in each call instead.
kind_env() {
  if calls_api "$1"; then
    env=(AUTHENTIK_URL="${fake_urls[$1]}" AUTHENTIK_TOKEN="${fake_tokens[$1]}")
  else
    env=(AUTHENTIK_URL=http://127.0.0.1:9 AUTHENTIK_TOKEN=no-api-calls)
  fi
  [[ $1 != *_wait ]] || env+=(AUTHENTIK_BENCH_SHAPE_WAIT="$latency")
}

results="$out/results.tsv"
printf 'n\tkind\tphase\trun\twall_s\trequests\tconns\tpeak_open\tprocs\trss_kib\tcpu_all_s\tcpu_provider_s\tstate_bytes_per_instance\tsensitive_paths\n' >"$results"
failed=0
run_seq=0

# run KIND N PHASE RUN: one terraform command, timed, with the fake's
# counters and the provider's peak RSS around it.
run() {
  local kind=$1 n=$2 phase=$3 r=$4 dir="$tmp/work/$1" rc=0
  run_seq=$((run_seq + 1))
  local rssdir="$tmp/rss/$run_seq" log="$out/log/$n.$kind.$phase.$r.log"
  mkdir -p "$rssdir"
  phase_args "$phase"
  kind_env "$kind"
  local before after t0 t1 timer=()
  before="$(stats "$kind")"
  [[ $gnu_time == 0 ]] || timer=(/usr/bin/time -f '%U %S' -o "$rssdir/terraform.cpu")
  t0=$EPOCHREALTIME
  (cd "$dir" && env "${env[@]}" BENCH_RSS_DIR="$rssdir" timeout 900 "${timer[@]}" "$tf" "${cmd[@]}" >"$log" 2>&1) || rc=$?
  t1=$EPOCHREALTIME
  after="$(stats "$kind")"
  if [[ $rc -ne 0 ]]; then
    printf 'bench: %s %s N=%s run %s exited %s (log: %s)\n' "$kind" "$phase" "$n" "$r" "$rc" "$log" >&2
    failed=1
  fi
  local reqs="" conns=- peak=- procs rss cpu_all=- cpu_prov=- state_b=- sens=-
  if calls_api "$kind"; then
    reqs="$(awk 'NR==FNR && $1=="requests" {b[$2]=$3; next} $1=="requests" && $3-b[$2] > 0 {printf "%s%s %d", sep, $2, $3-b[$2]; sep=", "}' \
      <(echo "$before") <(echo "$after"))"
    conns="$(awk 'NR==FNR && $1=="connections" {b=$2; next} $1=="connections" {print $2-b}' <(echo "$before") <(echo "$after"))"
    peak="$(awk '$1=="peak_open" {print $2}' <<<"$after")"
  fi
  procs="$(find "$rssdir" -name 'time.*' | wc -l)"
  rss="$(find "$rssdir" -name 'time.*' -exec tail -n1 {} \; | awk '$1 ~ /^[0-9]+$/ && $1 > m {m=$1} END {print m+0}')"
  # CPU seconds (user + system): Terraform with every provider process it
  # waited for, and the provider processes alone.
  if [[ -s "$rssdir/terraform.cpu" ]]; then
    cpu_all="$(tail -n1 "$rssdir/terraform.cpu" | awk '{printf "%.2f", $1 + $2}')"
    cpu_prov="$(find "$rssdir" -name 'time.*' -exec tail -n1 {} \; | awk '{c += $2 + $3} END {printf "%.2f", c}')"
  fi
  if [[ -f "$rssdir/hwm" ]]; then
    procs="$(wc -l <"$rssdir/hwm")"
    rss="$(awk '$2 > m {m=$2} END {print m+0}' "$rssdir/hwm")"
  fi
  # What Terraform rewrites after every applied resource: the state file, per
  # instance, and the sensitive paths it records for each instance.
  if [[ ($phase == create || $phase == update) && -s "$dir/terraform.tfstate" ]]; then
    state_b=$(($(stat -c %s "$dir/terraform.tfstate") / n))
    if command -v jq >/dev/null 2>&1; then
      sens="$(jq '[.resources[].instances[].sensitive_attributes | length] | max // 0' "$dir/terraform.tfstate")"
    fi
  fi
  local wall
  wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$kind" "$phase" "$r" "$wall" \
    "${reqs:--}" "$conns" "$peak" "$procs" "$rss" "$cpu_all" "$cpu_prov" "$state_b" "$sens" >>"$results"
  printf '  %-5s run %-2s %-19s %-8s %7.2fs  %s\n' "$n" "$r" "$kind" "$phase" "$wall" "${reqs:-no requests}"
}

echo "bench: N=[$ns] latency=$latency parallelism=$par runs=$runs kinds=[$kinds]; results in $out"
for n in $ns; do
  for r in $(seq 1 "$runs"); do
    # A fresh fake for each kind that calls authentik, and fresh state.
    for kind in $kinds; do ! calls_api "$kind" || start_kind_fake "$kind" "$n"; done
    rm -rf "$tmp/work" "$tmp/rss"
    for phase in create plan update destroy; do
      for kind in $kinds; do
        case $phase in create) config "$kind" "$n" 1 ;; update) config "$kind" "$n" 2 ;; esac
        run "$kind" "$n" "$phase" "$r"
      done
    done
    stop_fakes
  done
done

# The profile pass: the same phases for duo and noop at the largest N, with
# the provider writing CPU and allocation profiles (untimed: profiling slows
# it down).
if [[ "$profile" == 1 ]]; then
  n="$(tr ' ' '\n' <<<"$ns" | sort -n | tail -1)"
  prof="$out/profiles"
  mkdir -p "$prof"
  rm -f "$prof"/*.pprof "$prof"/*.txt # pprof would merge an earlier run's files
  echo "bench: profiling duo and noop at N=$n"
  start_kind_fake duo "$n"
  rm -rf "$tmp/work"
  for kind in noop duo; do
    kind_env "$kind"
    for phase in create plan update destroy; do
      case $phase in create) config "$kind" "$n" 1 ;; update) config "$kind" "$n" 2 ;; esac
      phase_args "$phase"
      (cd "$tmp/work/$kind" && env "${env[@]}" \
        AUTHENTIK_PROVIDER_CPUPROFILE="$prof/cpu.$kind.$phase.%p.pprof" \
        AUTHENTIK_PROVIDER_MEMPROFILE="$prof/mem.$kind.$phase.%p.pprof" BENCH_RSS_DIR="$tmp" \
        timeout 900 "$tf" "${cmd[@]}" >"$out/log/profile.$kind.$phase.log" 2>&1) || die "profile run $kind $phase failed"
    done
    # Profiles of processes that did no work (schema-only) are tiny; pprof
    # merges them all.
    go tool pprof -top -nodecount=30 "$tmp/bin/terraform-provider-authentik" "$prof"/cpu."$kind".*.pprof \
      >"$prof/cpu.$kind.top.txt" 2>/dev/null || true
    go tool pprof -top -cum -nodecount=40 "$tmp/bin/terraform-provider-authentik" "$prof"/cpu."$kind".*.pprof \
      >"$prof/cpu.$kind.cum.txt" 2>/dev/null || true
    go tool pprof -top -sample_index=alloc_space -nodecount=30 "$tmp/bin/terraform-provider-authentik" "$prof"/mem."$kind".*.pprof \
      >"$prof/alloc.$kind.top.txt" 2>/dev/null || true
  done
  cp "$tmp/bin/terraform-provider-authentik" "$prof/terraform-provider-authentik.bin"
  stop_fakes
fi

echo
awk -v lat="$lat_s" -v par="$par" -v runs="$runs" -v latency="$latency" -v rss_method="$rss_method" \
  -f scripts/lib/bench-report.awk "$results" | tee "$out/results.md"
echo
echo "bench: raw results $results, terraform logs $out/log/$([[ $profile == 1 ]] && echo ", profiles $out/profiles/")"
[[ $failed == 0 ]] || die "some runs failed (see above)"
