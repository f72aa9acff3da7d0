#!/usr/bin/env bash
# Runs the same loads against JormunDB, Dynalite 4.0.0 (installed from npm into a temporary
# directory) and the ceiling (Javalin answering {}), one after the other in one run, and prints
#   workload  jormundb/s  dynalite/s  ratio  ceiling-share
# Extra options go to the harness, e.g. bench/compare.sh --seconds 8 --warmup 15 --connections 16.
set -euo pipefail
cd "$(dirname "$0")/.."
dynalite=$(mktemp -d)
trap 'rm -rf "$dynalite"' EXIT
echo "phase dynalite: npm install dynalite@4.0.0 into $dynalite"
(cd "$dynalite" && npm install --silent --no-audit --no-fund dynalite@4.0.0 >/dev/null)
exec bench/run.sh compare --dynalite "$dynalite" "$@"
