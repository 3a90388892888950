#!/usr/bin/env bash
# testacc-real.sh — what `make testacc-real` runs: `make testacc` against each
# local real authentik of ../shared/realauthentik (see README, "Tests against
# a real authentik") in turn, then both summary lines together. A server
# that is not up is reported and counts as a failure.
#
# Environment: AK_API_TOKEN (default realauthentik-local-api-token, the
# token setup.sh gives akadmin), REAL_AUTHENTIK_URLS (default
# "http://127.0.0.1:9000 http://127.0.0.1:9001": 2024.10.5, then 2025.12.4),
# AK_SETUP (default ../shared/realauthentik/setup.sh: creates the fixtures of
# scripts/lib/realauthentik-fixtures.py on the kit's servers first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

token="${AK_API_TOKEN:-realauthentik-local-api-token}"
setup="${AK_SETUP:-../shared/realauthentik/setup.sh}"
read -r -a urls <<<"${REAL_AUTHENTIK_URLS:-http://127.0.0.1:9000 http://127.0.0.1:9001}"
summaries=() rc=0
for url in "${urls[@]}"; do
  ready="$(curl -s -o /dev/null -m 10 -w '%{http_code}' "$url/-/health/ready/" || true)"
  if [[ "$ready" != 200 ]]; then
    summaries+=("testacc ($url): not up (health/ready answered ${ready:-nothing}); start it with ../shared/realauthentik/setup.sh start")
    rc=1
    continue
  fi
  # The tests look up WebAuthn device types every MDS import has; the
  # 2025.12.4 kit cannot import them, so create them (nothing changes where
  # they exist).
  case "$url" in
    *:9000) version=2024.10.5 ;;
    *:9001) version=2025.12.4 ;;
    *) version="" ;;
  esac
  if [[ -n "$version" && -x "$setup" ]]; then
    created="$(AK_VERSION="$version" "$setup" shell <scripts/lib/realauthentik-fixtures.py 2>/dev/null | grep '^FIXTURE ' | cut -d' ' -f2- || true)"
    echo "==> fixtures on $url (authentik $version): WebAuthn device types created: ${created:-none (could not run setup.sh shell)}"
  fi
  out="$(mktemp "${TMPDIR:-/tmp}/testacc-real.XXXXXX")"
  AUTHENTIK_URL="$url" AUTHENTIK_TOKEN="$token" bash scripts/testacc.sh 2>&1 | tee "$out" || rc=1
  summaries+=("$(grep -E '^testacc \(' "$out" | tail -n 1 || echo "testacc ($url): no summary (see above)")")
  rm -f "$out"
done
echo
echo "==> real authentik servers"
printf '%s\n' "${summaries[@]}"
exit "$rc"
