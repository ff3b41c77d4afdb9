"""Collect finished sweeps into nbs/figures: expN_sweep_results.csv (every run's rows), expN_sweep_summary.csv (mean,
std, count and 95 % half-width over seeds) and expN_sweep.png (mean and 95 % band over seeds).

Usage: python scripts/sweep_figures.py exp1 exp2 ...   (reads runs/sweeps/expN/sweep.db)
Where an experiment has several rows per seed and configuration (exp4's data seeds), they are averaged within the
seed first, so that the interval is over seeds."""
import sys
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt, pandas as pd, seaborn as sns
from latentlm_nb.runs import repo_root, write_atomic
from latentlm_nb.sweep import aggregate, ci95_band, plot_sweep, sweep_results

# experiment: x, y, hue, one panel per value of, the columns naming a configuration when rows are averaged within a
# seed (None: one row per seed and configuration already), what the y axis shows
FIGURES = {'exp1': ('n', 'accuracy', 'method', None, None, 'test accuracy'),
           'exp2': ('n_states', 'accuracy', 'setting', None, None, 'test accuracy'),
           'exp3': ('n_train', 'bleu', 'method', 'task', ['scale', 'task', 'regime', 'n_train', 'method'], 'test BLEU'),
           'exp4': ('k', 'accuracy', 'method', None, ['scale', 'k', 'method'], 'test accuracy'),
           'exp5': ('path', 'error_barrier', 'split', None, None, 'error barrier')}
# the lines drawn (every row stays in the files): the exact posterior is 100 % everywhere, and exp2 keeps one oracle
SHOWN = {'exp1': lambda r: r.method != 'oracle posterior',
         'exp2': lambda r: ~r.setting.str.contains('oracle') | (r.setting == 'vanilla: oracle head')}

def within_seed(results, keys):
    "The float columns averaged within each seed and configuration `keys` (exp4's data seeds, exp3's draws)."
    if keys is None: return results
    floats = [c for c in results if pd.api.types.is_float_dtype(results[c])]
    return results.groupby(['seed', *keys], dropna=False)[floats].mean().reset_index()

def collect(name):
    x, y, hue, panel, keys, label = FIGURES[name]
    out = repo_root() / 'nbs' / 'figures'
    results = sweep_results(repo_root() / 'runs' / 'sweeps' / name)
    if results.empty: raise SystemExit(f"{name}: no completed runs in runs/sweeps/{name}")
    results = results.drop(columns='run')
    write_atomic(out / f'{name}_sweep_results.csv', lambda tmp: results.to_csv(tmp, index=False))
    seeds = within_seed(results, keys)
    write_atomic(out / f'{name}_sweep_summary.csv', lambda tmp: aggregate(seeds).to_csv(tmp, index=False))
    seeds = seeds[SHOWN[name](seeds)] if name in SHOWN else seeds
    panels = sorted(seeds[panel].unique()) if panel else [None]
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 4.5), squeeze=False)
    for ax, value in zip(axes[0], panels):
        data = seeds if value is None else seeds[seeds[panel] == value]
        if name == 'exp5': sns.pointplot(data, x=x, y=y, hue=hue, order=sorted(data[x].unique()), errorbar=ci95_band, dodge=.4,
                                       linestyle='none', ax=ax)
        else: plot_sweep(data, x, y, hue, ax=ax)
        if name == 'exp3': ax.set(xscale='log')
        ax.set(ylabel=label, title=(f'{value}: ' if value is not None else '') + f'mean ± 95 % CI over {data.seed.nunique()} seeds')
        ax.legend(fontsize=7, bbox_to_anchor=(1.02, 1), loc='upper left') if ax is axes[0][-1] else ax.legend().remove()
    if name == 'exp5': axes[0][0].tick_params(axis='x', labelrotation=20)
    write_atomic(out / f'{name}_sweep.png', lambda tmp: fig.savefig(tmp, dpi=110, bbox_inches='tight', format='png'))
    print(f"{name}: {results.seed.nunique()} seeds, {len(results)} rows -> {out}/{name}_sweep_*.csv, {name}_sweep.png")

if __name__ == '__main__':
    if not sys.argv[1:] or set(sys.argv[1:]) - set(FIGURES): raise SystemExit(f"usage: sweep_figures.py {' '.join(FIGURES)}")
    for name in sys.argv[1:]: collect(name)
