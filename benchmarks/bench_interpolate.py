"""Cost of a 26-point interpolation path (ours: functional_call into one reused weight set) against 26 single evaluations and the reference's scheme.

The reference (Mode-Connectivity-PLM) builds each point by copying the model and loading the interpolated state dict
into the copy. Both schemes evaluate the same classifier (a BERT with hidden 256, 4 layers, ~3.3M parameters) on the
same 128 sequences of 32 tokens; the baseline is `points` plain evaluations of the model run back to back, and
each time is the fastest of `rounds` interleaved runs (on a shared machine, interference only adds time). Peak memory is measured in a fresh
process per scheme, as the rise of the resident set's high-water mark over what the process holds before the run
(model and both endpoints), with glibc told to return large blocks to the system so freed memory is not counted
twice. Goals: path time <= 1.1x 26 single evaluations; path peak memory < 3x one model's parameters.
Run: python benchmarks/bench_interpolate.py [--rounds 5] [--points 26]
"""
import argparse, copy, json, os, subprocess, sys, time, warnings
import torch
from latentlm_nb.data import symbol_tokenizer
from latentlm_nb.models import build_mlm
from latentlm_nb.tuning import MLMClassifier
from latentlm_nb.interpolate import endpoints, evaluate_path, interpolate, path_alphas

def setup(n=128, length=32, hidden=256):
    "The classifier, its two endpoints and the evaluation data."
    tok = symbol_tokenizer(10)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        mlm = build_mlm('tiny', tok, seed=0, hidden_size=hidden, num_hidden_layers=4, num_attention_heads=4, intermediate_size=4 * hidden)
        first, second = (MLMClassifier(mlm, 'full', seed=s).eval() for s in (1, 2))
    with torch.no_grad():
        for p in second.parameters(): p.add_(0.01 * torch.randn_like(p))
    g = torch.Generator().manual_seed(0)
    data = {'test': {'input_ids': torch.randint(5, 15, (n, length), generator=g), 'labels': torch.randint(0, 2, (n,), generator=g)}}
    return first, second, data

@torch.no_grad()
def single(model, data, batch_size=32):
    "One plain evaluation: loss and accuracy of `model` with its own weights."
    x, y = data['test']['input_ids'], data['test']['labels']
    loss, right = 0., 0
    for i in range(0, len(x), batch_size):
        logits = model(x[i:i + batch_size])
        loss += torch.nn.functional.cross_entropy(logits, y[i:i + batch_size], reduction='sum').item(); right += (logits.argmax(-1) == y[i:i + batch_size]).sum().item()
    return loss / len(x), right / len(x)

def ours(model, pair, data, points):
    return evaluate_path(model, pair, data, alphas=path_alphas(points), batch_size=32, progress=False)

def reference(model, pair, data, points):
    "The reference's scheme: per point, a copy of the model with the interpolated state dict loaded."
    out = []
    for alpha in path_alphas(points):
        point = copy.deepcopy(model)
        point.load_state_dict(interpolate(*pair, alpha))
        out.append(single(point, data))
        del point
    return out

def rss(field):
    for line in open('/proc/self/status'):
        if line.startswith(field): return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")

def child(scheme, points):
    "Run one scheme once in this (fresh) process; print the rise of peak RSS and the parameter bytes."
    first, second, data = setup()
    pair = endpoints(first, second)
    single(first, data)  # warm-up: the kernels' own buffers are not the path's
    with open('/proc/self/clear_refs', 'w') as f: f.write('5')  # reset the high-water mark
    before = rss('VmRSS:')
    {'single': lambda: single(first, data), 'ours': lambda: ours(first, pair, data, points), 'reference': lambda: reference(first, pair, data, points)}[scheme]()
    print(json.dumps({'peak_rise': rss('VmHWM:') - before, 'param_bytes': sum(p.numel() * p.element_size() for p in first.parameters())}))

def main(rounds=5, points=26):
    torch.manual_seed(0)
    first, second, data = setup()
    pair = endpoints(first, second)
    n_params = sum(p.numel() for p in first.parameters())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {n_params:,} parameters, 128 sequences of 32 tokens, {points} points")
    path = ours(first, pair, data, points)
    test = path.table.query('split == "test"')
    ref_first, ref_last = single(first, data), single(second, data)
    assert abs(test.loss.iloc[0] - ref_first[0]) < 1e-5 and abs(test.loss.iloc[-1] - ref_last[0]) < 1e-5, "path endpoints disagree with the models"
    times = {f'{points} single evaluations': [], 'ours (path)': [], 'reference (path)': []}
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(points): single(first, data)
        times[f'{points} single evaluations'].append(time.perf_counter() - t)
        t = time.perf_counter(); ours(first, pair, data, points); times['ours (path)'].append(time.perf_counter() - t)
        t = time.perf_counter(); reference(first, pair, data, points); times['reference (path)'].append(time.perf_counter() - t)
    best = {k: min(v) for k, v in times.items()}
    for k, v in best.items(): print(f"  {k:20s} {v:8.3f} s")
    singles = best[f'{points} single evaluations']
    print(f"  ours / ({points} x single) = {best['ours (path)'] / singles:.3f}x (goal <= 1.1x); "
          f"reference / ({points} x single) = {best['reference (path)'] / singles:.3f}x; ours / reference = {best['ours (path)'] / best['reference (path)']:.3f}x")
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536', MALLOC_TRIM_THRESHOLD_='65536')
    memory = {}
    for scheme in ('single', 'ours', 'reference'):
        out = subprocess.run([sys.executable, __file__, '--child', scheme, '--points', str(points)], env=env, capture_output=True, text=True, check=True)
        memory[scheme] = json.loads(out.stdout.strip().splitlines()[-1])
    params = memory['ours']['param_bytes']
    print(f"peak memory rise over model + endpoints ({params / 2**20:.1f} MiB of parameters):")
    for scheme, m in memory.items(): print(f"  {scheme:20s} {m['peak_rise'] / 2**20:8.1f} MiB = {m['peak_rise'] / params:.2f}x parameters")
    print(f"  ours {memory['ours']['peak_rise'] / params:.2f}x parameters (goal < 3x); reference {memory['reference']['peak_rise'] / params:.2f}x")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rounds', type=int, default=5); ap.add_argument('--points', type=int, default=26)
    ap.add_argument('--child', choices=('single', 'ours', 'reference'))
    args = ap.parse_args()
    if args.child: child(args.child, args.points)
    else: main(args.rounds, args.points)
