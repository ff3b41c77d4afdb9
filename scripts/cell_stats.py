"""The module notebooks' rhythm, counted: export cells, median lines per export cell (directives not counted), export
cells defining three or more names, and the library's lines over 120 characters.
Run from the repository root: python scripts/cell_stats.py
"""
import glob, json, re, statistics

sizes, multi = [], 0
for path in sorted(glob.glob('nbs/[0-9]*.ipynb')):
    for cell in json.load(open(path))['cells']:
        src = ''.join(cell['source'])
        if cell['cell_type'] != 'code' or not re.search(r'^#\|\s*export', src, re.M): continue
        sizes.append(sum(not line.startswith('#|') for line in src.splitlines()))
        multi += len(re.findall(r'^(def |class |@|[A-Z_]+ *=)', src, re.M)) >= 3
lines = [line.rstrip('\n') for path in glob.glob('latentlm_nb/*.py') if not path.endswith('_modidx.py') for line in open(path)]
long = sum(len(line) > 120 for line in lines)
print(f"export cells {len(sizes)}, median lines {statistics.median(sizes)}, cells with >= 3 definitions {multi}, "
      f"library lines > 120 characters: {long}/{len(lines)} = {100 * long / len(lines):.1f}%")
