#!/usr/bin/env bash
# The docs offline: every notebook in nbs/ rendered to HTML in _site/ (index.ipynb is the home page), nbs/figures
# copied beside them, then every page checked (scripts/check_site.py): a title, no error output, every image and
# local link resolving. With --execute the notebooks are run first (IN_TEST=1: experiments at their "ci" scale), so
# their figures appear; without it the pages show the notebooks as committed (no outputs), which is what CI checks.
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
IN_TEST=1 jupyter nbconvert --to html ${execute[@]+"${execute[@]}"} --output-dir "$out" "${notebooks[@]}" 2>&1 | grep -v -e '^\[IPKernelApp\]' -e 'Writing' -e 'Converting' || true
for nb in "${notebooks[@]}"; do [ -f "$out/$(basename "${nb%.ipynb}").html" ] || { echo "FAILED: $nb did not render"; exit 1; }; done
[ -d nbs/figures ] && rm -rf "$out/figures" && cp -r nbs/figures "$out/figures"
python scripts/check_site.py "$out" "${notebooks[@]}"
if [ "$screenshots" = 1 ]; then
  command -v chromium >/dev/null || { echo "FAILED: --screenshots needs chromium (apt-get install chromium)"; exit 1; }
  mkdir -p "$out/screenshots"
  for page in index exp1; do
    [ -f "$out/$page.html" ] || continue
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
      --screenshot="$PWD/$out/screenshots/$page.png" "file://$PWD/$out/$page.html" >/dev/null 2>&1
    echo "screenshot: $out/screenshots/$page.png"
  done
fi
