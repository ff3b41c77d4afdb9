"""Overhead per sweep run: `latentlm_nb.sweep` against a shell loop of `papermill` commands and a papermill loop in one process.

Every scheme runs the same trivial notebook (a parameters cell and one line), so the time per run is overhead: kernel
start, papermill's reading and writing of the notebook, and for the sweep also the grid check, the worker process and
the store's bookkeeping. Goal: at most 3 s per run. Each time is the fastest of `rounds` rounds.
Run: python benchmarks/bench_sweep.py [--runs 8] [--rounds 2]
"""
import argparse, subprocess, sys, tempfile, time
from pathlib import Path
import nbformat, papermill
from latentlm_nb.sweep import sweep

def trivial_notebook(folder):
    nb = nbformat.v4.new_notebook(metadata={'kernelspec': {'name': 'python3', 'display_name': 'python3', 'language': 'python'}})
    nb.cells = [nbformat.v4.new_code_cell('seed: int = 0  # RNG seed', metadata={'tags': ['parameters']}), nbformat.v4.new_code_cell('x = seed + 1')]
    path = Path(folder) / 'trivial.ipynb'
    nbformat.write(nb, path)
    return path

def timed(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t

def main(runs=8, rounds=2):
    folder = Path(tempfile.mkdtemp())
    nb = trivial_notebook(folder)
    seeds = list(range(runs))
    schemes = {
        'sweep, 1 worker': lambda r: sweep(nb, {'seed': seeds}, out=folder / f'sweep1-{r}', workers=1, progress=False),
        'sweep, 2 workers': lambda r: sweep(nb, {'seed': seeds}, out=folder / f'sweep2-{r}', workers=2, progress=False),
        'shell loop of papermill': lambda r: [subprocess.run(['papermill', '-k', 'python3', '--no-progress-bar', str(nb), str(folder / f'cli-{r}-{s}.ipynb'), '-p', 'seed', str(s)],
                                                              check=True, capture_output=True) for s in seeds],
        'papermill in one process': lambda r: [papermill.execute_notebook(str(nb), str(folder / f'api-{r}-{s}.ipynb'), parameters={'seed': s}, kernel_name='python3',
                                                                          progress_bar=False) for s in seeds],
    }
    best = {name: min(timed(lambda: f(r)) for r in range(rounds)) / runs for name, f in schemes.items()}
    print(f"{runs} runs of a trivial notebook, fastest of {rounds} rounds; seconds per run:")
    for name, t in best.items(): print(f"  {name:26s} {t:6.2f} s")
    ours, loop = best['sweep, 1 worker'], best['shell loop of papermill']
    print(f"  sweep (1 worker) / shell loop = {ours / loop:.2f}x; sweep (1 worker) / papermill in one process = {ours / best['papermill in one process']:.2f}x")
    print(f"  overhead per run: {ours:.2f} s with 1 worker, {best['sweep, 2 workers']:.2f} s with 2 (goal <= 3 s)")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', type=int, default=8); ap.add_argument('--rounds', type=int, default=2)
    main(**vars(ap.parse_args()))
