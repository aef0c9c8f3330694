#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo: a small county's budget lines driven
# through zero-based review on a fresh SQLite file, printed with their histories.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
build_dir="${ZBB_BUILD_DIR:-build}"
mkdir -p var
"$build_dir/adapters/cli/zbb-demo" --fresh --database var/zbb-demo.db \
  --policy workflows/zero_based_review.textproto
