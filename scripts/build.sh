#!/usr/bin/env bash
# Installs what is missing, then configures and builds zbb into build/ (or $ZBB_BUILD_DIR);
# ZBB_BUILD_BENCH=OFF leaves the benchmarks out; ZBB_BUILD_TYPE=RelWithDebInfo (or Debug) keeps
# debug information, left out by default because it doubles the compile time.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
build_dir="${ZBB_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${ZBB_BUILD_TYPE:-Release}" \
  -DZBB_BUILD_BENCH="${ZBB_BUILD_BENCH:-ON}"
cmake --build "$build_dir" -j "$(nproc)"
