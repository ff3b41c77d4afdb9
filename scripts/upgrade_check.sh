#!/usr/bin/env bash
# The upgrade check: a new virtual environment with the newest versions that settings.ini's ranges allow (the lock,
# constraints.txt, is not used), a list of what differs from the lock, then the tests (scripts/test.sh), all on a
# fresh clone of the committed tree.
# A failure here and a pass with the lock means an upstream release broke the lab: fix the code, then bash scripts/lock.sh.
#   bash scripts/upgrade_check.sh
# TORCH (default "torch<3", settings.ini's range) is what pip installs first, TORCH_INDEX an index URL for it (the weekly
# workflow uses PyTorch's CPU index, so that the newest torch is a CPU build); the eager upgrade of the package that
# follows moves it to a newer release where the indexes offer one. Run by .github/workflows/upgrade.yaml every week.
set -uo pipefail
cd "$(dirname "$0")/.."
env_dir=$(mktemp -d); trap 'rm -rf "$env_dir"' EXIT
git clone -q . "$env_dir/clone" && cd "$env_dir/clone" || exit 1   # the committed tree, with no results cached in runs/
python3 -m venv "$env_dir/venv" && . "$env_dir/venv/bin/activate" || exit 1
start=$SECONDS
pip install -q "${TORCH:-torch<3}" ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} || { echo "upgrade check: torch did not install"; exit 1; }
pip install -q --upgrade --upgrade-strategy eager -e ".[dev]" || { echo "upgrade check: the newest allowed versions did not install"; exit 1; }
echo "upgrade check: installed in $((SECONDS - start)) s"
pip freeze --all --exclude-editable | python -c "
import re, sys
norm = lambda n: re.sub(r'[-_.]+', '-', n).lower()
pin = lambda line: (norm(line.split('==')[0]), line.split('==')[1].strip()) if '==' in line and not line.startswith('#') else None
lock = dict(filter(None, map(pin, open('constraints.txt'))))
now = dict(filter(None, map(pin, sys.stdin)))
tools = {'pip', 'setuptools', 'wheel'}
gpu = sorted(n for n in now if n not in lock and n.startswith(('nvidia-', 'cuda-', 'triton')))  # a GPU build of torch brings them
rows = [f'  {n}: lock {lock.get(n, \"-\")}, now {v}' for n, v in sorted(now.items())
        if n not in tools and n not in gpu and lock.get(n) != v.split('+')[0]]
rows += [f'  {n}: lock {v}, now not installed' for n, v in sorted(lock.items()) if n not in now and n not in tools]
print(f'upgrade check: {len(rows)} package(s) differ from constraints.txt', *rows, sep='\n')
if gpu: print(f'  (and {len(gpu)} CUDA runtime packages of a GPU build of torch: {gpu[0]} … {gpu[-1]})')"
bash scripts/test.sh
