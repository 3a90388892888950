# bench-report.awk — turns bench.sh's results.tsv into the Markdown tables
# that BENCHMARKS.md shows. Variables: lat (seconds), par, runs, latency,
# rss_method.
#
# Every figure is over the BENCH_RUNS runs of one N, kind and phase: the
# median, and the spread as min–max. A ratio between two kinds is taken
# within each run (both ran minutes apart, on the same machine load) and
# then summarised the same way.

BEGIN { FS = "\t"; split("create plan update destroy", phases, " ") }

NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
  n = $col["n"]; k = $col["kind"]; ph = $col["phase"]; r = $col["run"]
  if (!(n in seen_n)) { seen_n[n] = 1; ns[++nn] = n }
  if (!(k in seen_k)) { seen_k[k] = 1; ks[++nk] = k }
  key = n SUBSEP k SUBSEP ph
  c = ++count[key]
  run_of[key, c] = r
  wall[key, r] = $col["wall_s"]
  for (f in col) val[key, c, f] = $(col[f])
}

# stat(key, field, what) -> median, min or max of a numeric field over the
# runs of key; "-" when no run has a number.
function stat(key, field, what,    i, c, a, v) {
  c = 0
  for (i = 1; i <= count[key]; i++) {
    v = val[key, i, field]
    if (v ~ /^[0-9.]+$/) a[++c] = v + 0
  }
  return summarise(a, c, what)
}

function summarise(a, c, what,    i, j, t) {
  if (c == 0) return "-"
  for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
  if (what == "min") return a[1]
  if (what == "max") return a[c]
  return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}

# ratio(n, kind, ref, phase, what, field) -> the per-run ratio kind / ref
# of field (default wall_s), summarised.
function ratio(n, kind, ref, ph, what, field,    key, rkey, i, j, r, c, a, x, y) {
  if (field == "") field = "wall_s"
  key = n SUBSEP kind SUBSEP ph; rkey = n SUBSEP ref SUBSEP ph; c = 0
  for (i = 1; i <= count[key]; i++) {
    r = run_of[key, i]
    for (j = 1; j <= count[rkey]; j++) {
      if (run_of[rkey, j] != r) continue
      x = val[key, i, field]; y = val[rkey, j, field]
      if (x ~ /^[0-9.]+$/ && y ~ /^[0-9.]+$/ && y > 0) a[++c] = x / y
    }
  }
  return summarise(a, c, what)
}

# spread(median, min, max, format) -> "1.23 (1.10–1.30)", or the median alone
# for a single run.
function spread(m, lo, hi, fmt) {
  if (m == "-") return "-"
  if (lo == hi) return sprintf(fmt, m)
  return sprintf(fmt " (" fmt "–" fmt ")", m, lo, hi)
}

function ratio_cell(n, kind, ref, ph, field) {
  return spread(ratio(n, kind, ref, ph, "median", field), ratio(n, kind, ref, ph, "min", field), ratio(n, kind, ref, ph, "max", field), "%.2f")
}

function has(n, kind, ph) { return (n SUBSEP kind SUBSEP ph) in count }

# official_of(kind) -> the official provider's kind that kind of ours runs
# beside ("official" for duo, official_<kind> where the run has one, and
# official_<stage> for <stage>_shape and <stage>_wait), or "".
function official_of(k,    s) {
  if (k == "duo") return "official"
  s = k
  if (sub(/_stage_(shape|wait)$/, "_stage", s) && (("official_" s) in seen_k)) return "official_" s
  if (k != "data" && k !~ /^official/ && (("official_" k) in seen_k)) return "official_" k
  return ""
}

# wait_of(kind) -> the shape with waits that kind of ours runs beside
# (shape_wait for duo, <stage>_wait for <stage>), or "".
function wait_of(k) {
  if (k == "duo") return "shape_wait"
  if (k ~ /_stage$/ && k !~ /^official/) return k "_wait"
  return ""
}

# matrix(title, ref, field) prints kind × phase ratios of field (wall_s,
# cpu_all_s): the Duo stage and its shapes against ref; with ref
# "official", also each other kind of ours against its own counterpart
# official_<kind> where the run has one (the *_stage kinds); with ref
# "wait", each kind of ours against its shape with waits (wait_of).
function matrix(title, ref, field,    i, j, x, n, k, kref, line, rows) {
  rows = ""
  for (i = 1; i <= nn; i++) {
    n = ns[i]
    for (j = 1; j <= nk; j++) {
      k = ks[j]
      if (k == ref) continue
      if (ref == "wait") kref = wait_of(k)
      else kref = k ~ /^shape/ || (k == "duo" && ref != "official") ? ref : ref == "official" ? official_of(k) : ""
      if (!(kref in seen_k)) continue
      line = sprintf("| %s | %s |", n, k)
      for (x = 1; x <= 4; x++) line = line " " (has(n, k, phases[x]) && has(n, kref, phases[x]) ? ratio_cell(n, k, kref, phases[x], field) : "-") " |"
      rows = rows line "\n"
    }
  }
  if (rows == "") return
  printf "\n### %s\n\n| N | kind | create | plan | update | destroy |\n|---:|---|---:|---:|---:|---:|\n%s", title, rows
}

# targets() prints, for each of our kinds with an official counterpart, the
# phases whose median wall-time ratio misses issue 17's targets: create and
# update at most 0.9 of the official provider's, plan and destroy at most 1.0.
function targets(    i, j, x, n, k, kref, ph, r, lim, miss, rows) {
  rows = ""
  for (i = 1; i <= nn; i++) {
    n = ns[i]
    for (j = 1; j <= nk; j++) {
      k = ks[j]
      kref = official_of(k)
      if (!(kref in seen_k)) continue
      miss = ""
      for (x = 1; x <= 4; x++) {
        ph = phases[x]
        if (!has(n, k, ph) || !has(n, kref, ph)) continue
        r = ratio(n, k, kref, ph, "median", "wall_s"); lim = (ph == "create" || ph == "update") ? 0.9 : 1.0
        if (r != "-" && r + 0 > lim) miss = miss (miss == "" ? "" : ", ") sprintf("%s %.3f > %.1f", ph, r, lim)
      }
      rows = rows sprintf("| %s | %s | %s |\n", n, k, miss == "" ? "all met" : miss)
    }
  }
  if (rows == "") return
  printf "\n### Against the targets (median wall time / official: create, update at most 0.9; plan, destroy at most 1.0)\n\n| N | kind | missed |\n|---:|---|---|\n%s", rows
}

END {
  printf "## Results: latency %s, parallelism %s, %s run(s) per N; median (min–max) over the runs; peak RSS by %s\n", latency, par, runs, rss_method
  targets()
  matrix("Ours / official provider, wall time (ratio per run)", "official", "wall_s")
  matrix("Ours / official provider, CPU seconds of Terraform and its providers (ratio per run)", "official", "cpu_all_s")
  matrix("Against the unmodified Duo shape, wall time (ratio per run)", "shape", "wall_s")
  matrix("Against the unmodified Duo shape, CPU seconds of Terraform and its providers (ratio per run)", "shape", "cpu_all_s")
  matrix("Ours / its shape with one round trip per call (*_wait), wall time (ratio per run)", "wait", "wall_s")
  matrix("Ours / its shape with one round trip per call (*_wait), CPU seconds of Terraform and its providers (ratio per run)", "wait", "cpu_all_s")

  printf "\n### Every kind and phase\n\n"
  printf "| N | kind | phase | wall s | x data | floor s | x floor | requests | conns | peak open | procs | peak RSS MiB | CPU s Terraform | CPU s provider | state B/inst | sens. paths |\n"
  printf "|---:|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
  for (i = 1; i <= nn; i++) {
    n = ns[i]
    for (x = 1; x <= 4; x++) {
      ph = phases[x]
      for (j = 1; j <= nk; j++) {
        k = ks[j]; key = n SUBSEP k SUBSEP ph
        if (!(key in count)) continue
        w = stat(key, "wall_s", "median")
        wcell = spread(w, stat(key, "wall_s", "min"), stat(key, "wall_s", "max"), "%.2f")
        xd = k == "data" ? "-" : ratio_cell(n, k, "data", ph)
        fl = "-"; xf = "-"
        if (k == "duo" || k ~ /^official|_stage$|_device$/) {
          base = stat(n SUBSEP "data" SUBSEP ph, "wall_s", "median")
          if (base != "-") {
            req = (ph == "update" || ph == "destroy") ? 2 * n : n
            floor = base + req * lat / par
            fl = sprintf("%.2f", floor); xf = sprintf("%.2f", w / floor)
          }
        }
        rss = stat(key, "rss_kib", "max"); rss = (rss == "-" || rss == 0) ? "-" : sprintf("%.1f", rss / 1024)
        all = stat(key, "cpu_all_s", "median"); prov = stat(key, "cpu_provider_s", "median")
        # Terraform's own CPU: all of it minus the provider processes', per run.
        c = 0; delete a
        for (q = 1; q <= count[key]; q++) {
          if (val[key, q, "cpu_all_s"] ~ /^[0-9.]+$/ && val[key, q, "cpu_provider_s"] ~ /^[0-9.]+$/)
            a[++c] = val[key, q, "cpu_all_s"] - val[key, q, "cpu_provider_s"]
        }
        tfc = summarise(a, c, "median"); tfc = tfc == "-" ? "-" : sprintf("%.2f", tfc)
        prov = (prov == "-" || k == "data") ? "-" : sprintf("%.2f", prov)
        sb = stat(key, "state_bytes_per_instance", "median"); sp = stat(key, "sensitive_paths", "median")
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, k, ph, wcell, xd, fl, xf,
          val[key, 1, "requests"], val[key, 1, "conns"], stat(key, "peak_open", "max"), val[key, 1, "procs"], rss, tfc, prov, sb, sp
      }
    }
  }
}
