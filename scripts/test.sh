#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds, then runs every
# *.test.ts (compiled) with node's test runner, which prints the closing summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Test deadlines catch hangs; on a host that runs everything slower they stretch.
TEST_TIME_SCALE="${TEST_TIME_SCALE:-$(node scripts/time-scale.mjs)}"
export TEST_TIME_SCALE
# Longest files first, so that no long file starts last (see the script).
mapfile -t files < <(node scripts/test-files.mjs dist/src)
exec node --test --test-concurrency="${TEST_CONCURRENCY:-2}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./scripts/summary-reporter.mjs --test-reporter-destination=stdout \
  "${files[@]}"
