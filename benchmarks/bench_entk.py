"""Time and peak memory of the train-train eNTK (SGD formula) for a tiny RoBERTa: ours against the reference's scheme,
a per-example autograd loop, and the FLOP lower bound, in one run.

Model: RoBERTa MLM, 2 layers, hidden 64 (then 256), vocabulary 100; N = 64 examples of T = 32 tokens, C = 2 label
words, f = label-word logits at the [MASK], all parameters. Methods:
- ours: `compute_kernel` (vmap over examples of jacrev of the one-example function, one Gram matmul);
- reference B: the LM-Kernel-FT scheme with train and eval batch B (1 and 16): `jacrev` of the *batched* forward per
  training batch, then for every X batch `vmap(vmap(jvp))` pushing each of those gradients through X's forward
  (their `compute_kernel_outer`/`compute_kernel_inner`, in torch.func instead of functorch); timed once;
- loop: one `torch.autograd.grad` per example and output, then one Gram matmul;
- lower bound: one batched forward of the N examples, C batched backward passes of the summed outputs (the FLOPs of
  all per-example gradients) and the Gram matmul of an [N·C, P] matrix.
Every method runs in its own process: peak memory is the growth of the process's peak RSS during one computation.
All kernels are checked against ours (max relative difference printed).
Run: python benchmarks/bench_entk.py [--repeats 3] [--threads 1] [--hidden 64 256]
"""
import argparse, json, resource, statistics, subprocess, sys, tempfile, time, warnings
import torch
from torch.func import functional_call, jacrev, jvp, vmap
from transformers import RobertaConfig, RobertaForMaskedLM
from safetensors.torch import save_file, load_file
from latentlm_nb.entk import EntkModel, compute_kernel

N, T, C, VOCAB, MASK = 64, 32, 2, 100, 4
METHODS = ('ours', 'reference B=1', 'reference B=16', 'loop', 'lower bound')

def setup(hidden):
    torch.manual_seed(0)
    mlm = RobertaForMaskedLM(RobertaConfig(vocab_size=VOCAB, hidden_size=hidden, num_hidden_layers=2, num_attention_heads=4,
                                           intermediate_size=4 * hidden, max_position_embeddings=T + 4, hidden_dropout_prob=0.,
                                           attention_probs_dropout_prob=0.)).eval()
    model = EntkModel(mlm, 'prompt', label_word_ids=[10, 11], mask_token_id=MASK).eval()
    ids = torch.randint(5, VOCAB, (N, T), generator=torch.Generator().manual_seed(0))
    ids[:, T // 2] = MASK
    return model, {'input_ids': ids, 'attention_mask': torch.ones_like(ids)}

def flat(J, names): return torch.cat([J[n].flatten(2) for n in names], 2)

def gram(J): return (J.flatten(0, 1) @ J.flatten(0, 1).T).reshape(len(J), C, len(J), C)

def reference(model, data, batch):
    "LM-Kernel-FT's scheme: jacrev of the batched forward per training batch, then vmap(vmap(jvp)) of those gradients through every X batch."
    params = {n: p.detach() for n, p in model.named_parameters()}
    f = lambda p, ids, mask: functional_call(model, p, (ids, mask))
    n, rows = len(data['input_ids']), []
    with torch.no_grad():
        for s in range(0, n, batch):
            outer = jacrev(f)(params, data['input_ids'][s:s + batch], data['attention_mask'][s:s + batch])  # [B, C, *shape]
            blocks = []
            for t in range(0, n, batch):
                ids, mask = data['input_ids'][t:t + batch], data['attention_mask'][t:t + batch]
                ntk_slice = lambda tangents: jvp(lambda p: f(p, ids, mask), (params,), (tangents,))[1]
                blocks.append(vmap(vmap(ntk_slice))(outer))  # [B, C, B', C]
            rows.append(torch.cat(blocks, 2))
    return torch.cat(rows)

def loop(model, data):
    params = list(model.parameters())
    for p in params: p.requires_grad_(True)
    rows = []
    for ids, mask in zip(data['input_ids'], data['attention_mask']):
        out = model(ids[None], mask[None])[0]
        rows.append(torch.stack([torch.cat([g.flatten() for g in torch.autograd.grad(o, params, retain_graph=True)]) for o in out]))
    return gram(torch.stack(rows))

def lower_bound(model, data, A):
    params = list(model.parameters())
    for p in params: p.requires_grad_(True)
    out = model(data['input_ids'], data['attention_mask'])
    for c in range(C): torch.autograd.grad(out[:, c].sum(), params, retain_graph=c < C - 1)
    n = len(data['input_ids'])
    return (A[:n * C] @ A[:n * C].T).reshape(n, C, n, C)

def child(method, hidden, repeats, threads, path):
    torch.set_num_threads(threads)
    warnings.simplefilter('ignore')
    model, data = setup(hidden)
    P = sum(p.numel() for p in model.parameters())
    A = torch.randn(N * C, P) if method == 'lower bound' else None
    run = {'ours': lambda d: compute_kernel(model, d, progress=False),
           'reference B=1': lambda d: reference(model, d, 1), 'reference B=16': lambda d: reference(model, d, 16),
           'loop': lambda d: loop(model, d), 'lower bound': lambda d: lower_bound(model, d, A)}[method]
    warm = {k: v[:16] for k, v in data.items()}
    run(warm)  # warm-up on 16 examples
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(1 if method.startswith('reference') else repeats):  # the reference's scheme is slow: one timed run
        t = time.perf_counter(); kernel = run(data); times.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    if method != 'lower bound': save_file({'kernel': kernel.double().contiguous()}, path)
    print(json.dumps(dict(seconds=statistics.median(times), peak_mib=peak / 1024, P=P)))

def main(repeats=3, threads=1, hiddens=(64, 256)):
    print(f"torch {torch.__version__}, {threads} thread(s); RoBERTa 2 layers, N={N}, T={T}, C={C}; median of {repeats} runs (reference: 1) after a warm-up on 16 examples")
    for hidden in hiddens:
        results = {}
        with tempfile.TemporaryDirectory() as tmp:
            for method in METHODS:
                path = f"{tmp}/{method.replace(' ', '_').replace('=', '')}.safetensors"
                out = subprocess.run([sys.executable, __file__, '--child', method, '--hidden', str(hidden), '--repeats', str(repeats),
                                      '--threads', str(threads), '--path', path], capture_output=True, text=True)
                if out.returncode: raise RuntimeError(f"{method} failed:\n{out.stderr[-2000:]}")
                results[method] = json.loads(out.stdout.strip().splitlines()[-1])
                if method != 'lower bound': results[method]['kernel'] = load_file(path)['kernel']
        ours = results['ours']
        print(f"\nhidden {hidden}: P = {ours['P']:,} parameters")
        print(f"{'method':>16} {'seconds':>9} {'peak MiB':>9} {'time / ours':>12} {'max rel. diff to ours':>22}")
        for method, r in results.items():
            diff = ((r['kernel'] - ours['kernel']).abs().max() / ours['kernel'].abs().max()).item() if 'kernel' in r else float('nan')
            print(f"{method:>16} {r['seconds']:9.3f} {r['peak_mib']:9.1f} {r['seconds'] / ours['seconds']:12.2f} {diff:22.1e}")
        lb = results['lower bound']['seconds']
        print(f"ratios: reference B=1 / ours = {results['reference B=1']['seconds'] / ours['seconds']:.1f}x, "
              f"reference B=16 / ours = {results['reference B=16']['seconds'] / ours['seconds']:.1f}x (goal >= 30x), "
              f"loop / ours = {results['loop']['seconds'] / ours['seconds']:.1f}x, ours / lower bound = {ours['seconds'] / lb:.2f}x (goal <= 2x)")

if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--hidden', type=int, nargs='+', default=[64, 256])
    parser.add_argument('--child'); parser.add_argument('--path')
    args = parser.parse_args()
    if args.child: child(args.child, args.hidden[0], args.repeats, args.threads, args.path)
    else: main(args.repeats, args.threads, args.hidden)
