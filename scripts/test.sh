#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds, then runs every
# *.test.ts (compiled) with node's test runner, which prints the closing summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mapfile -t files < <(find dist/src -name '*.test.js' | sort)
exec node --test --test-concurrency="${TEST_CONCURRENCY:-2}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./scripts/summary-reporter.mjs --test-reporter-destination=stdout \
  "${files[@]}"
