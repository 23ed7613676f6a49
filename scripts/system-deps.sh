#!/usr/bin/env bash
# Installs the Debian packages the portal needs, when missing and when we can (root or sudo).
#   scripts/system-deps.sh run    -> what serving the portal needs (WeasyPrint's libraries, gettext)
#   scripts/system-deps.sh test   -> plus Chromium and poppler-utils for the browser and PDF tests
#   scripts/system-deps.sh bench  -> plus wrk for the throughput pass of `make bench`
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext)
case "${1:-run}" in
  test) want+=(chromium poppler-utils) ;;
  bench) want+=(wrk) ;;
esac
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages: ${missing[*]}" >&2
  exit 1
fi
