#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds, then runs every
# *.test.ts (compiled) with node's test runner, ending with a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Test deadlines catch hangs; on a host that runs everything slower they stretch.
TEST_TIME_SCALE="${TEST_TIME_SCALE:-$(node scripts/time-scale.mjs)}"
export TEST_TIME_SCALE
# Longest files first (see the script), two at a time.
exec node scripts/run-tests.mjs dist/src "${TEST_CONCURRENCY:-2}"
