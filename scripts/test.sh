#!/usr/bin/env bash
# The project's checks, run by README's test command and by .ci/run:
# notebooks clean, library in sync with the notebooks, README current, nbdev_test, a papermill smoke run,
# unknown parameters refused by every experiment notebook, README's main command on a fresh clone (at scale ci) and a
# determinism check (two exp1 runs with one seed write identical files), and the offline docs (scripts/docs.sh).
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
# Two notebooks run at once on a 2-core machine: one torch thread each (OMP_NUM_THREADS) keeps them from competing for
# the cores; results never depend on it. Each notebook's start and end carry the seconds since the tests began.
t0=$SECONDS
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} PYTHONUNBUFFERED=1 nbdev_test --n_workers 2 --do_print 2>&1 \
  | while IFS= read -r line; do case $line in "Starting "*|"- Completed "*) line="[$((SECONDS - t0)) s] $line";; esac; echo "$line"; done \
  | tee "$tmp/nbdev_test.log"
status=${PIPESTATUS[0]}
echo "nbdev_test: $((SECONDS - t0)) s"
ran=$(grep -c '\] - Completed ' "$tmp/nbdev_test.log")
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

# 6. unknown parameters are errors in every experiment notebook (papermill itself only logs them)
for nb in nbs/exp*.ipynb; do
  if papermill -k python3 --cwd nbs "$nb" "$tmp/typo.ipynb" -p sead 1 --log-level WARNING --no-progress-bar >"$tmp/typo.log" 2>&1 \
     || ! grep -q "unknown parameter 'sead'" "$tmp/typo.log"; then fail "$nb ran with the unknown parameter -p sead 1"; fi
done
echo "ok: every experiment notebook refuses -p sead 1 by name"

# 7. README's main command works verbatim on a fresh clone (its output folder exists there), at scale ci; so does the
# card's usage `papermill nbs/exp1.ipynb out.ipynb -p seed N` from the repository root; and the same seed gives
# identical results files
git clone -q . "$tmp/clone" || fail "git clone"
main=$(grep -m1 -oE 'papermill nbs/exp1\.ipynb runs/[^ ]+ -p seed [0-9]+' README.md) || fail "README.md has no main command"
(cd "$tmp/clone" && $main -p scale ci --log-level WARNING --no-progress-bar) || fail "README's main command on a fresh clone: $main"
results=$(cd "$tmp/clone" && ls -d runs/exp1/*_ci) || fail "README's main command wrote no results folder"
mv "$tmp/clone/$results" "$tmp/first"
(cd "$tmp/clone" && papermill nbs/exp1.ipynb out.ipynb ${main#* runs/* } -p scale ci --log-level WARNING --no-progress-bar) \
  || fail "papermill nbs/exp1.ipynb out.ipynb from the repository root"
cmp "$tmp/first/results.csv" "$tmp/clone/$results/results.csv" || fail "two exp1 runs with one seed wrote different results"
cmp "$tmp/first/pretraining.csv" "$tmp/clone/$results/pretraining.csv" || fail "two exp1 runs with one seed pretrained differently"
echo "ok: README's main command on a fresh clone ($main, scale ci) and out.ipynb from the root wrote identical results"

# 7b. exp3 on a user's checkpoint and data in the seeds' layouts (issue 17): tiny GPT-2, BART and T5 checkpoints saved
# from configs with word tokenizers over the project's own data files, then PrefixTuning's E2E (with the real-word
# initialisation) and XSUM layouts; each run writes results.csv and generations.csv and checks one against the other
python - "$tmp/tiny" <<'PY' || fail "tiny generation checkpoints"
import sys
from pathlib import Path
from latentlm_nb.real import tiny_checkpoint
files = [*Path('nbs/data/e2e').glob('src1_*.txt'), *Path('nbs/data/xsum').glob('*.source'), *Path('nbs/data/xsum').glob('*.target')]
texts = ['table-to-text:'] + [line.replace('||', ' ') for f in sorted(files) for line in f.read_text().splitlines()]
for family in ('gpt2', 'bart', 't5'): tiny_checkpoint(family, texts, Path(sys.argv[1]) / family)
PY
for run in "gpt2 nbs/data/e2e table-to-text:" "bart nbs/data/xsum" "t5 nbs/data/e2e table-to-text:"; do
  set -- $run
  papermill nbs/exp3.ipynb "$tmp/exp3_$1.ipynb" -p scale ci -p model "$tmp/tiny/$1" -p data "$2" ${3:+-p init_phrase "$3"} \
    -p out_dir "$tmp/exp3_user" --log-level WARNING --no-progress-bar >"$tmp/exp3_$1.log" 2>&1 \
    || { tail -20 "$tmp/exp3_$1.log"; fail "exp3 on a $1 checkpoint and $2"; }
  ls "$tmp"/exp3_user/seed0_ci_$1_*/generations.csv >/dev/null || fail "exp3 on a $1 checkpoint wrote no generations.csv"
done
echo "ok: exp3 on local GPT-2 (E2E, real-word init), BART (XSUM) and T5 (E2E, real-word init) checkpoints wrote results and generations that agree"

# 7c. exp4 and exp5 on a user's checkpoint and data in the seeds' layouts (issue 18): tiny RoBERTa and T5 checkpoints
# saved from configs with word tokenizers over the project's LM-BFF k-shot and GLUE-style files; exp4 with LM-BFF's
# template and mapping dict as LM-Kernel-FT's README writes them, exp5 with adapters (T5, two tasks) and full
# fine-tuning (RoBERTa); each writes its results
python - "$tmp/tiny" <<'PY' || fail "tiny classification checkpoints"
import sys
from pathlib import Path
from latentlm_nb.real import tiny_checkpoint
texts = ['great terrible negative positive'] + [line for f in sorted(Path('nbs/data').glob('[kg]*/*/**/*.tsv'))
                                               for line in f.read_text().splitlines()]
for family in ('roberta', 't5'): tiny_checkpoint(family, texts, Path(sys.argv[1]) / f'{family}-cls')
PY
papermill nbs/exp4.ipynb "$tmp/exp4_user.ipynb" -p scale ci -p model "$tmp/tiny/roberta-cls" -p data nbs/data/k-shot/SST-2 \
  -p template '*cls**sent_0*_It_was*mask*.*sep+*' -y "label_words: {'0': terrible, '1': great}" -p out_dir "$tmp/exp4_user" \
  --log-level WARNING --no-progress-bar >"$tmp/exp4_user.log" 2>&1 || { tail -20 "$tmp/exp4_user.log"; fail "exp4 on a RoBERTa checkpoint and LM-BFF's SST-2 folders"; }
ls "$tmp"/exp4_user/*/results.csv >/dev/null || fail "exp4 on a RoBERTa checkpoint wrote no results.csv"
exp5() {  # checkpoint, method, extra papermill arguments
  papermill nbs/exp5.ipynb "$tmp/exp5_$1.ipynb" -p scale ci -p model "$tmp/tiny/$1" -p data nbs/data/glue/movies \
    -p data2 nbs/data/glue/products -p method "$2" "${@:3}" -p out_dir "$tmp/exp5_user" --log-level WARNING --no-progress-bar \
    >"$tmp/exp5_$1.log" 2>&1 || { tail -20 "$tmp/exp5_$1.log"; fail "exp5 on a $1 checkpoint ($2) and GLUE-style folders"; }
}
exp5 t5-cls adapter -y "label_words: {'0': negative, '1': positive}"
exp5 roberta-cls full
ls "$tmp"/exp5_user/*/reference.csv >/dev/null || fail "exp5 on user checkpoints wrote no reference.csv"
echo "ok: exp4 on a local RoBERTa with LM-BFF's SST-2 k-shot folders, template and mapping; exp5 on a local T5 (adapters) and RoBERTa (full) with two GLUE-style tasks"

# 8. the docs render offline (scripts/docs.sh): every notebook to HTML, each page titled, error-free, images and links resolving
bash scripts/docs.sh | tail -1 || fail "the docs did not render: bash scripts/docs.sh"

echo "tests: $SECONDS s"
echo "$((ran - failed)) passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
