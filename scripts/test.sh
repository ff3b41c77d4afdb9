#!/usr/bin/env bash
# The project's checks, run by README's test command and by .ci/run:
# notebooks clean, library in sync with the notebooks, README current, nbdev_test, a papermill smoke run,
# a determinism check (two exp1 runs with one seed write identical files) and the offline docs (scripts/docs.sh).
# Ends with "N passed, M failed", N and M counted from nbdev_test's own per-notebook output.
set -uo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAILED: $*"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# 1-2. the notebooks are the source: cleaning and exporting must change nothing
before=$(git status --porcelain)
nbdev_clean || fail "nbdev_clean"
[ "$(git status --porcelain)" = "$before" ] || { git status --porcelain; fail "notebooks are not clean: run nbdev_clean and commit"; }
nbdev_export || fail "nbdev_export"
[ "$(git status --porcelain)" = "$before" ] || { git status --porcelain; fail "library out of sync with nbs/: run nbdev_export and commit"; }

# 3. README.md is generated from nbs/index.ipynb
jupyter nbconvert --to markdown --output-dir "$tmp" --output README nbs/index.ipynb >/dev/null 2>&1 || fail "nbconvert README"
cmp -s "$tmp/README.md" README.md || fail "README.md is stale: jupyter nbconvert --to markdown --output-dir . --output README nbs/index.ipynb"
echo "ok: notebooks clean, library in sync, README current"

# 4. every notebook's tests
nbdev_test --n_workers 2 --do_print --timing 2>&1 | tee "$tmp/nbdev_test.log"
status=${PIPESTATUS[0]}
ran=$(grep -c '^- Completed ' "$tmp/nbdev_test.log")
failed=$(sed -n '/Tests Failed On The Following Notebooks/,$p' "$tmp/nbdev_test.log" | grep -c $'^\t.*\\.ipynb$')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# 5. papermill smoke run: a non-default parameter must reach the notebook
papermill --help-notebook nbs/exp0_theory.ipynb >/dev/null || fail "papermill --help-notebook"
papermill -k python3 --cwd nbs nbs/exp0_theory.ipynb "$tmp/smoke.ipynb" -p seed 7 -p scale ci -p out_dir "$tmp/smoke" \
  --log-level WARNING --no-progress-bar || fail "papermill smoke run"
python -c "
import pandas as pd, sys
df = pd.read_csv('$tmp/smoke/oracles_seed7_ci.csv')
assert (df.seed == 7).all() and (df.scale == 'ci').all(), 'papermill parameters did not take effect'
print('ok: papermill smoke run used seed 7 at scale ci')" || fail "papermill parameters did not take effect"
if papermill -k python3 --cwd nbs nbs/exp0_theory.ipynb "$tmp/bad.ipynb" -p seed three --log-level WARNING --no-progress-bar >"$tmp/bad.log" 2>&1 \
   || ! grep -q "seed='three' is str, expected int" "$tmp/bad.log"; then fail "a mistyped papermill parameter was not rejected by name"; fi
echo "ok: papermill rejects -p seed three by name"

# 6. determinism: the same seed gives identical results files
for run in a b; do
  papermill -k python3 --cwd nbs nbs/exp1.ipynb "$tmp/exp1_$run.ipynb" -p seed 1 -p scale ci -p out_dir "$tmp/exp1_$run" \
    --log-level WARNING --no-progress-bar || fail "exp1 at scale ci"
done
cmp "$tmp/exp1_a/seed1_ci/results.csv" "$tmp/exp1_b/seed1_ci/results.csv" || fail "two exp1 runs with seed 1 wrote different results"
cmp "$tmp/exp1_a/seed1_ci/pretraining.csv" "$tmp/exp1_b/seed1_ci/pretraining.csv" || fail "two exp1 runs with seed 1 pretrained differently"
echo "ok: two exp1 runs with seed 1 wrote identical results files"

# 7. the docs render offline (scripts/docs.sh): every notebook to HTML, each page titled, error-free, images and links resolving
bash scripts/docs.sh | tail -1 || fail "the docs did not render: bash scripts/docs.sh"

echo "$((ran - failed)) passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
