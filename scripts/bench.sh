#!/usr/bin/env bash
# bench.sh — what `make bench` runs: Terraform at scale against the fake
# authentik with an injected round-trip latency (issue 7).
#
# For each N it runs four kinds of N resources side by side, phase by phase:
#   data  terraform_data (built into Terraform: no plugin, no API) — baseline
#   noop  authentik_bench_noop (this provider binary, no API call) — the
#         framework's own per-resource cost (AUTHENTIK_PROVIDER_BENCH=1)
#   shape authentik_bench_duo_shape: the Duo stage's schema, validators and
#         model code without authentik — what Terraform and the framework
#         cost for a resource of that shape
#   duo   authentik_stage_authenticator_duo
#   totp  authentik_totp_device: authentik's API cannot create them, so the
#         fake seeds N enrolled devices (-seed-totp N) and "create" is an
#         apply with import blocks
# and the phases
#   create   terraform apply (empty state)
#   plan     terraform plan (refresh of every resource; must be empty)
#   update   terraform apply after changing one attribute of every resource
#            (friendly_name; the TOTP device's name): refresh, then writes
#   destroy  terraform destroy: refresh, then deletes
#
# For each run it records the wall time, the API requests by method and the
# TCP connections opened (counted by the fake), the most connections open at
# once, how many provider processes Terraform started and their peak RSS.
# The latency floor is baseline + R × latency / parallelism, where R is the
# number of requests the phase cannot do without (N for create and plan, 2N
# for update and destroy: Terraform refreshes before it writes).
#
# Settings (environment):
#   BENCH_N="10 100 1000"  BENCH_LATENCY=20ms  BENCH_PARALLELISM=10
#   BENCH_KINDS="data noop shape duo totp"  BENCH_PROFILE=1 (profile duo and noop
#   at the largest N in a separate, untimed pass; 0 skips it)
#   BENCH_PLAN_RUNS=3 (plans change nothing, so each kind's plan runs this
#   many times, interleaved, and the table shows the median run)
#   BENCH_OUT=dir (default: a new temp dir; results are kept there)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

ns="${BENCH_N:-10 100 1000}"
latency="${BENCH_LATENCY:-20ms}"
par="${BENCH_PARALLELISM:-10}"
kinds="${BENCH_KINDS:-data noop shape duo totp}"
profile="${BENCH_PROFILE:-1}"
plan_runs="${BENCH_PLAN_RUNS:-3}"
out="${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/authentik-bench.XXXXXX")}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

die() { printf 'bench: FAILED: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/dev.sh
source "$repo/scripts/lib/dev.sh"
[[ " $kinds " == *" data "* ]] || die "BENCH_KINDS must include data (the baseline)"
[[ "$par" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PARALLELISM must be a positive integer"
[[ "$plan_runs" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PLAN_RUNS must be a positive integer"

# latency in seconds, from a Go duration such as 20ms, 0.5s or 0.
lat_s="$(awk -v d="$latency" 'BEGIN {
  if (d ~ /^[0-9.]+ms$/) { sub(/ms$/, "", d); print d / 1000 }
  else if (d ~ /^[0-9.]+us$/) { sub(/us$/, "", d); print d / 1000000 }
  else if (d ~ /^[0-9.]+s$/) { sub(/s$/, "", d); print d + 0 }
  else if (d == "0") print 0
  else print "bad" }')"
[[ "$lat_s" != bad ]] || die "BENCH_LATENCY=$latency: use a Go duration such as 20ms"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_ACC TF_ACC_TERRAFORM_VERSION TF_LOG TF_LOG_PROVIDER
unset AUTHENTIK_PROVIDER_CPUPROFILE AUTHENTIK_PROVIDER_MEMPROFILE GOGC GOMEMLIMIT
tf="$(bash scripts/ensure-terraform.sh)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/authentik-bench-run.XXXXXX")"
fake_pid=""
stop_fake() {
  if [[ -n "$fake_pid" ]] && kill -0 "$fake_pid" 2>/dev/null; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  fake_pid=""
}
cleanup() { stop_fake; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "bench: building the provider and the fake authentik"
mkdir -p "$tmp/bin" "$tmp/plugins"
go build -o "$tmp/bin/terraform-provider-authentik" .
go build -o "$tmp/bin/fakeauthentik" ./internal/fakeauthentik/cmd/fakeauthentik

# Terraform starts the provider through this wrapper (dev_overrides points at
# its directory), which records each process's peak RSS in $BENCH_RSS_DIR:
# with GNU time when it works here, else from /proc/self/status VmHWM, which
# the provider appends when AUTHENTIK_PROVIDER_PEAKRSS_FILE is set.
gnu_time=0
if /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
  gnu_time=1
  rss_method="GNU time (%M)"
  cat >"$tmp/plugins/terraform-provider-authentik" <<WRAP
#!/bin/sh
exec /usr/bin/time -f '%M %U %S' -o "\${BENCH_RSS_DIR:-/tmp}/time.\$\$" "$tmp/bin/terraform-provider-authentik" "\$@"
WRAP
else
  rss_method="VmHWM at exit (GNU time not found; apt-get install time)"
  cat >"$tmp/plugins/terraform-provider-authentik" <<WRAP
#!/bin/sh
AUTHENTIK_PROVIDER_PEAKRSS_FILE="\${BENCH_RSS_DIR:-/tmp}/hwm" exec "$tmp/bin/terraform-provider-authentik" "\$@"
WRAP
fi
chmod +x "$tmp/plugins/terraform-provider-authentik"
use_dev_overrides "$tmp/plugins" "$tmp/terraformrc"
export AUTHENTIK_PROVIDER_BENCH=1

start_bench_fake() { # N
  rm -f "$tmp/stats"
  start_fake "$tmp/bin/fakeauthentik" "$tmp" -latency "$latency" -seed-totp "$1" -stats "$tmp/stats"
}

# stats prints the fake's cumulative counters ("connections 3", "peak_open 2",
# "requests GET 10") and starts a new peak window.
stats() {
  rm -f "$tmp/stats"
  kill -USR1 "$fake_pid"
  for _ in $(seq 1 200); do [[ -s "$tmp/stats" ]] && break; sleep 0.01; done
  [[ -s "$tmp/stats" ]] || die "the fake wrote no stats"
  cat "$tmp/stats"
}

# config KIND N VERSION writes the configuration of one kind; VERSION 1 is
# the created state, 2 the update. count, not for_each over a local set:
# Terraform 1.11 re-evaluates such a local for every instance, which made
# terraform_data alone 2.6x slower at N=1000.
config() {
  local kind=$1 n=$2 v=$3 dir="$tmp/work/$1"
  mkdir -p "$dir"
  {
    [[ $kind == data ]] || printf 'terraform {\n  required_providers {\n    authentik = { source = "authentik-iac/authentik" }\n  }\n}\n'
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
      duo | shape) echo "resource \"$([[ $kind == duo ]] && echo authentik_stage_authenticator_duo || echo authentik_bench_duo_shape)\" \"r\" {
  count         = $n
  name          = \"bench-duo-\${count.index}\"
  client_id     = \"DIBENCH\${count.index}\"
  client_secret = \"bench-secret\"
  api_hostname  = \"api-bench.duosecurity.com\"
  friendly_name = \"v$v\"
}" ;;
      # The fake seeded devices 1..N named bench-totp-1..N.
      totp) echo "resource \"authentik_totp_device\" \"r\" {
  count = $n
  name  = \"bench-totp-\${count.index + 1}$([[ $v == 1 ]] || echo "-v$v")\"
}
import {
  for_each = range($n)
  to       = authentik_totp_device.r[each.value]
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

results="$out/results.tsv"
printf 'n\tkind\tphase\twall_s\trequests\tconns\tpeak_open\tprocs\trss_kib\tcpu_s\tprovider_cpu_s\n' >"$results"
failed=0
run_seq=0

# run KIND N PHASE: one terraform command, timed, with the fake's counters
# and the provider's peak RSS around it.
run() {
  local kind=$1 n=$2 phase=$3 dir="$tmp/work/$1" rc=0
  run_seq=$((run_seq + 1))
  local rssdir="$tmp/rss/$run_seq.$n.$kind.$phase" # one per run: repeated plans must not add up
  mkdir -p "$rssdir"
  phase_args "$phase"
  set -- "${cmd[@]}"
  local before after t0 t1
  before="$(stats)"
  t0=$EPOCHREALTIME
  local timer=()
  [[ $gnu_time == 0 ]] || timer=(/usr/bin/time -f '%U %S' -o "$rssdir/terraform.cpu")
  (cd "$dir" && BENCH_RSS_DIR="$rssdir" timeout 900 "${timer[@]}" "$tf" "$@" >"$out/log/$n.$kind.$phase.log" 2>&1) || rc=$?
  t1=$EPOCHREALTIME
  after="$(stats)"
  if [[ $rc -ne 0 ]]; then
    printf 'bench: %s %s N=%s exited %s (log: %s)\n' "$kind" "$phase" "$n" "$rc" "$out/log/$n.$kind.$phase.log" >&2
    failed=1
  fi
  local reqs conns peak procs rss cpu_all=- cpu_prov=-
  reqs="$(awk 'NR==FNR && $1=="requests" {b[$2]=$3; next} $1=="requests" && $3-b[$2] > 0 {printf "%s%s %d", sep, $2, $3-b[$2]; sep=", "}' \
    <(echo "$before") <(echo "$after"))"
  conns="$(awk 'NR==FNR && $1=="connections" {b=$2; next} $1=="connections" {print $2-b}' <(echo "$before") <(echo "$after"))"
  peak="$(awk '$1=="peak_open" {print $2}' <<<"$after")"
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
  printf '%s\t%s\t%s\t%.3f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$kind" "$phase" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
    "${reqs:--}" "$conns" "$peak" "$procs" "$rss" "$cpu_all" "$cpu_prov" >>"$results"
  printf '  %-5s %-5s %-8s %7.2fs  %s\n' "$n" "$kind" "$phase" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" "${reqs:-no requests}"
}

mkdir -p "$out/log"
echo "bench: N=[$ns] latency=$latency parallelism=$par kinds=[$kinds]; results in $out"
for n in $ns; do
  start_bench_fake "$n"
  rm -rf "$tmp/work"
  for phase in create plan update destroy; do
    # A plan changes nothing, so it is repeated (kinds interleaved) and the
    # table keeps each kind's median run; the other phases run once.
    repeats=1
    [[ $phase != plan ]] || repeats=$plan_runs
    for _ in $(seq 1 "$repeats"); do
      for kind in $kinds; do
        case $phase in create) config "$kind" "$n" 1 ;; update) config "$kind" "$n" 2 ;; esac
        run "$kind" "$n" "$phase"
      done
    done
  done
  stop_fake
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
  start_bench_fake "$n"
  rm -rf "$tmp/work"
  for kind in noop duo; do
    for phase in create plan update destroy; do
      case $phase in create) config "$kind" "$n" 1 ;; update) config "$kind" "$n" 2 ;; esac
      phase_args "$phase"
      (cd "$tmp/work/$kind" &&
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
  stop_fake
fi

# The table: ratios against the terraform_data and noop runs of the same N
# and phase, and against the latency floor.
echo
echo "## Results: latency $latency, parallelism $par, plan the median of $plan_runs runs, peak RSS by $rss_method"
echo
awk -F'\t' -v lat="$lat_s" -v par="$par" '
  NR == 1 { next }
  {
    k = $1 SUBSEP $2 SUBSEP $3
    if (!(k in count)) order[++nkeys] = k
    run[k, ++count[k]] = $0
  }
  END {
    # One row per N, kind and phase: the run with the median wall time.
    for (i = 1; i <= nkeys; i++) {
      k = order[i]; c = count[k]
      for (a = 1; a <= c; a++) { split(run[k, a], f, "\t"); ws[a] = f[4] + 0; idx[a] = a }
      for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (ws[idx[b]] < ws[idx[a]]) { t = idx[a]; idx[a] = idx[b]; idx[b] = t }
      rows[++nrows] = run[k, idx[int((c + 1) / 2)]]
      split(rows[nrows], f, "\t"); wall[f[1], f[2], f[3]] = f[4]
      runs[nrows] = c
    }
    printf "| N | kind | phase | wall s | x data | x noop | floor s | x floor | x shape floor | requests | conns opened | peak open | procs | peak RSS MiB | CPU s all | CPU s provider |\n"
    printf "|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= nrows; i++) {
      split(rows[i], f, "\t")
      n = f[1]; kind = f[2]; phase = f[3]; w = f[4]
      base = wall[n, "data", phase]; noop = wall[n, "noop", phase]
      xd = base > 0 ? sprintf("%.2f", w / base) : "-"
      xn = noop > 0 ? sprintf("%.2f", w / noop) : "-"
      fl = "-"; xf = "-"; xs = "-"
      r = (phase == "update" || phase == "destroy") ? 2 * n : n
      if (kind != "data" && kind != "noop" && kind != "shape" && base > 0) {
        floor = base + r * lat / par
        fl = sprintf("%.2f", floor); xf = sprintf("%.2f", w / floor)
      }
      # The Duo stage against the same floor built on its no-API twin.
      shape = wall[n, "shape", phase]
      if (kind == "duo" && shape > 0) xs = sprintf("%.2f", w / (shape + r * lat / par))
      rss = f[9] > 0 ? sprintf("%.1f", f[9] / 1024) : "-"
      printf "| %s | %s | %s | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, kind, phase, w, xd, xn, fl, xf, xs, f[5], f[6], f[7], f[8], rss, f[10], (kind == "data" ? "-" : f[11])
    }
  }' "$results" | tee "$out/results.md"
echo
echo "bench: raw results $results, terraform logs $out/log/$([[ $profile == 1 ]] && echo ", profiles $out/profiles/")"
[[ $failed == 0 ]] || die "some runs failed (see above)"
