#!/usr/bin/env bash
# Provenance: run every notebook in full (not smoke) mode, one at a time, and store its outputs in the notebook.
#
#   bash tools/run_all_full.sh [NOTEBOOK_REGEX]      e.g. bash tools/run_all_full.sh '^(53_dpo|54_grpo)'
#
# Each notebook: FTCOURSE_SMOKE=0 nbdev-test --save (outputs stored only when the whole notebook passes) with the
# `slow` cells included and no cell timeout; never --verbose (it would print every cell's source into the log).
# Add `gpu` to FLAGS on a CUDA machine: FLAGS="slow gpu" bash tools/run_all_full.sh
# Wall times go to runs/full_runs.log (one line a notebook: start, seconds, status, machine) and to the terminal.
# DRY_RUN=1 prints the commands and runs nothing. A failing notebook is logged and the next one runs; the script exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
PATTERN="${1:-^[0-9][0-9]_.*\.ipynb$}"
FLAGS="${FLAGS:-slow}"
BIN="${BIN:-.venv/bin}"
LOG=runs/full_runs.log
mkdir -p runs
export HF_HUB_OFFLINE="${HF_HUB_OFFLINE:-1}" FTCOURSE_SMOKE=0
machine="$(nproc)-core $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs)"
command -v nvidia-smi >/dev/null 2>&1 && machine="$machine; $(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)"
failed=0
for nb in $(ls nbs | grep -E "$PATTERN" | sort); do
  if [ -n "${DRY_RUN:-}" ]; then echo "cd nbs && ../$BIN/nbdev-test $nb --save --n-workers 1 --flags \"$FLAGS\" --cell-timeout 0 --timing"; continue; fi
  start=$(date -u +%Y-%m-%dT%H:%M:%SZ); t0=$(date +%s)
  echo "== $nb (started $start)"
  ( cd nbs && "../$BIN/nbdev-test" "$nb" --save --n-workers 1 --flags "$FLAGS" --cell-timeout 0 --timing )
  rc=$?; secs=$(( $(date +%s) - t0 ))
  status=$([ $rc = 0 ] && echo "passed, outputs saved" || echo "FAILED (rc $rc), outputs not saved")
  printf '%s\t%s\t%6d s\t%s\t%s\n' "$start" "$nb" "$secs" "$status" "$machine" | tee -a "$LOG"
  [ $rc = 0 ] || failed=1
done
exit $failed
