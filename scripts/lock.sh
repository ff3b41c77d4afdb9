#!/usr/bin/env bash
# Regenerate constraints.txt, the lock: the exact versions of every runtime and development dependency
# (settings.ini's requirements and dev_requirements, resolved together by uv for Python 3.11 on Linux x86-64),
# with torch pinned to the CPU build's version. README's two commands install through it (pip install -c constraints.txt).
#   bash scripts/lock.sh            # needs uv (pip install uv); resolves against PyPI, plus the folders in PIP_FIND_LINKS
#                                   # (where this lab's machines keep the torch CPU wheel) or else PyTorch's CPU index
# torch is written as torch==X.Y.Z, without the +cpu tag, so that a GPU build of the same version satisfies the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
torch_version=2.13.0
links=()
for d in ${PIP_FIND_LINKS:-}; do links+=(--find-links "$d"); done     # where this machine keeps the CPU wheel
[ ${#links[@]} -gt 0 ] || links=(--extra-index-url https://download.pytorch.org/whl/cpu --index-strategy unsafe-best-match)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "torch==$torch_version" > "$tmp/torch.txt"
uv pip compile pyproject.toml --extra dev --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
  "${links[@]}" -c "$tmp/torch.txt" --no-header --no-annotate --quiet -o "$tmp/lock.txt"
{
  echo "# The lock: exact versions of everything the tests run with (runtime and dev requirements, resolved together)."
  echo "# Regenerate with: bash scripts/lock.sh   (uv pip compile of settings.ini's requirements, Python 3.11, Linux x86-64)"
  echo "# Install through it: pip install torch==$torch_version && pip install -e \".[dev]\" -c constraints.txt"
  sed -E "s/^torch==$torch_version\+[a-z0-9.]+$/torch==$torch_version/" "$tmp/lock.txt"
} > constraints.txt
grep -q "^torch==$torch_version$" constraints.txt || { echo "lock.sh: torch==$torch_version is not in the lock"; exit 1; }
echo "constraints.txt: $(grep -c '^[^#].*==' constraints.txt) packages"
