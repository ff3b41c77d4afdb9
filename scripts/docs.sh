#!/usr/bin/env bash
# The docs offline: every notebook in nbs/ rendered to HTML in _site/ (index.ipynb is the home page), nbs/figures
# copied beside them, then every page checked (scripts/check_site.py): a title, no error output, every image and
# local link resolving. With --execute the notebooks are run first (IN_TEST=1: experiments at their "ci" scale), so
# their figures appear (stderr streams, such as progress bars, are left off the pages); without it the pages show the
# notebooks as committed (no outputs), which is what CI checks.
# With Debian's chromium installed, --screenshots also writes _site/screenshots/{index,exp1}.png.
# The published site is built by nbdev_docs (Quarto) in .github/workflows/deploy.yaml; Quarto is not available offline.
# Usage: bash scripts/docs.sh [--execute] [--screenshots] [NOTEBOOK ...]   (default: every nbs/*.ipynb)
set -euo pipefail
cd "$(dirname "$0")/.."
execute=() screenshots=0 notebooks=()
for a in "$@"; do
  case "$a" in
    --execute) execute=(--execute --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=1800) ;;
    --screenshots) screenshots=1 ;;
    *) notebooks+=("$a") ;;
  esac
done
[ ${#notebooks[@]} -gt 0 ] || notebooks=(nbs/*.ipynb)
out=_site
mkdir -p "$out"
for nb in "${notebooks[@]}"; do rm -f "$out/$(basename "${nb%.ipynb}").html"; done
sources=("${notebooks[@]}")
if [ ${#execute[@]} -gt 0 ]; then  # run into _site/executed/, dropping stderr streams (progress bars, warnings) from the pages
  IN_TEST=1 jupyter nbconvert --to notebook "${execute[@]}" --output-dir "$out/executed" "${notebooks[@]}" 2>&1 | grep -v -e '^\[IPKernelApp\]' -e 'Writing' -e 'Converting' || true
  sources=() && for nb in "${notebooks[@]}"; do sources+=("$out/executed/$(basename "$nb")"); done
  python - "${sources[@]}" <<'PY'
import sys, nbformat
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == 'code': cell.outputs = [o for o in cell.outputs if not (o.output_type == 'stream' and o.name == 'stderr')]
    nbformat.write(nb, path)
PY
fi
jupyter nbconvert --to html --output-dir "$out" "${sources[@]}" 2>&1 | grep -v -e 'Writing' -e 'Converting' -e 'Alternative text' || true
for nb in "${notebooks[@]}"; do [ -f "$out/$(basename "${nb%.ipynb}").html" ] || { echo "FAILED: $nb did not render"; exit 1; }; done
[ -d nbs/figures ] && rm -rf "$out/figures" && cp -r nbs/figures "$out/figures"
python scripts/check_site.py "$out" "${notebooks[@]}"
if [ "$screenshots" = 1 ]; then
  command -v chromium >/dev/null || { echo "FAILED: --screenshots needs chromium (apt-get install chromium)"; exit 1; }
  mkdir -p "$out/screenshots"
  for page in index exp1; do
    [ -f "$out/$page.html" ] || continue
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,4800 \
      --screenshot="$PWD/$out/screenshots/$page.png" "file://$PWD/$out/$page.html" >/dev/null 2>&1
    echo "screenshot: $out/screenshots/$page.png"
  done
fi
