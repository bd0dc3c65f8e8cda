#!/usr/bin/env bash
# Install the Debian packages Dongne needs for development, tests and CI.
#
# Idempotent and fast: when every package is already installed this only runs
# a few dpkg-query look-ups and exits (no apt-get update).
# Works as root, or through sudo for a non-root user.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

PKGS=(
  postgresql-15            # local dev/test database server (scripts/pg_local.sh)
  postgresql-15-postgis-3  # PostGIS extension
  gdal-bin                 # GDAL (GeoDjango), ogr2ogr
  binutils                 # ctypes.util.find_library fallback (objdump)
  libproj-dev              # PROJ
  gettext                  # compilemessages
  chromium                 # browser for Playwright end-to-end tests
  fonts-nanum              # Korean fonts for screenshots / rendering
)

# python3-venv: Debian's own python3 needs it to create virtualenvs with pip;
# another python3 (pyenv, /usr/local) that can already do it does not.
py="$(command -v python3 || true)"
if [ -z "$py" ]; then
  PKGS+=(python3 python3-venv)
elif [ "$(readlink -f "$py")" = "$(readlink -f /usr/bin/python3 2>/dev/null || echo /nonexistent)" ]; then
  PKGS+=(python3-venv)
elif ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  PKGS+=(python3-venv)
fi

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "system_packages: not a Debian/Ubuntu system; install these yourself: ${PKGS[*]}" >&2
  for bin in /usr/lib/postgresql/15/bin/postgres gdalinfo msgfmt; do
    if ! command -v "$bin" >/dev/null 2>&1; then
      echo "system_packages: missing $bin" >&2
      exit 1
    fi
  done
  exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo env DEBIAN_FRONTEND=noninteractive)
else
  echo "system_packages: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "system packages: installing ${missing[*]}"
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

still=()
for p in "${missing[@]}"; do
  is_installed "$p" || still+=("$p")
done
if [ "${#still[@]}" -ne 0 ]; then
  echo "system_packages: failed to install: ${still[*]}" >&2
  exit 1
fi
echo "system packages: done"
