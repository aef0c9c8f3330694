#!/usr/bin/env bash
# Installs the Debian 12 packages zbb builds and tests with; does nothing when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  libboost-dev
  libsoci-dev libsqlite3-dev sqlite3
  # PostgreSQL: SOCI's backend links libpq; the tests and run-postgres.sh start a server of their own.
  libpq-dev postgresql
  libgrpc++-dev libabsl-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libssl-dev
  libcli11-dev libfmt-dev libspdlog-dev libcsv-dev libutf8proc-dev
  catch2 nlohmann-json3-dev libjemalloc-dev
  libcpp-httplib-dev prometheus-cpp-dev libxlsxwriter-dev
  # What the tests of the HTTP side and the console use: curl and jq, a certificate made with
  # openssl, the Prometheus client's text parser, openpyxl to read exported workbooks back, and
  # Debian's chromium with CJK fonts driven by playwright-core (from npm, into the build
  # directory).
  curl jq openssl python3-prometheus-client python3-openpyxl chromium fonts-noto-cjk nodejs
)
# npm comes with Debian's nodejs package only as the package npm; a machine may have its own.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
