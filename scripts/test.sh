#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest. The benchmarks are left
# out of this build (no test runs them); bench/ scripts build them when they run.
set -euo pipefail
cd "$(dirname "$0")/.."

ZBB_BUILD_BENCH="${ZBB_BUILD_BENCH:-OFF}" bash scripts/build.sh
build_dir="${ZBB_BUILD_DIR:-build}"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
