"""Time and peak memory of the train-train eNTK (SGD formula) for a tiny RoBERTa: ours against the reference's scheme,
a per-example autograd loop, and the FLOP lower bound, in one run; and ours against the lower bound at MiniLM size.

Model: RoBERTa MLM, 2 layers, hidden 64 (then 256), vocabulary 100; N = 64 examples of T = 32 tokens, C = 2 label
words, f = label-word logits at the [MASK], all parameters. `--minilm`: a MiniLM-sized RoBERTa MLM instead (6 layers,
hidden 384, 12 heads, intermediate 1536, vocabulary 30522 tied to the decoder, P ≈ 22.7 M; random token ids), same
N, T, C, where only ours and the lower bound run: the reference's scheme and the loop need the whole [N, C, P]
Jacobian (11.6 GB in float32) or hours. Methods:
- ours: `compute_kernel` (vmap over examples of jacrev of the one-example function, one Gram matmul);
- reference B: the LM-Kernel-FT scheme with train and eval batch B (1 and 16): `jacrev` of the *batched* forward per
  training batch, then for every X batch `vmap(vmap(jvp))` pushing each of those gradients through X's forward
  (their `compute_kernel_outer`/`compute_kernel_inner`, in torch.func instead of functorch); timed once;
- loop: one `torch.autograd.grad` per example and output, then one Gram matmul;
- lower bound: one batched forward of the N examples, C batched backward passes of the summed outputs (the FLOPs of
  all per-example gradients) and the Gram matmul of a random [N·C, P] matrix, in chunks of 2**20 columns (the same
  FLOPs without an 11.6 GB matrix at MiniLM size); its FLOPs are counted (torch.utils.flop_counter) and printed, and
  at MiniLM size also the bound without the word embeddings (ours differentiates only the vocabulary rows the batch
  touches, so it can beat the dense Gram).
Every method runs in its own process: peak memory is the growth of the process's peak RSS over the model and data,
the warm-up included (at MiniLM size the warm-up on 16 examples can be the larger computation).
All kernels are checked against ours (max relative difference printed). For ours, the per-example Jacobians computed
per training example are counted (1 when the training Jacobian fits in `max_memory`, more when rows are recomputed).
Run: python benchmarks/bench_entk.py [--repeats 3] [--threads 1] [--hidden 64 256] [--minilm] [--max-memory GiB]
"""
import argparse, json, resource, statistics, subprocess, sys, tempfile, time, warnings
import torch
from torch.func import functional_call, jacrev, jvp, vmap
from torch.utils.flop_counter import FlopCounterMode
from transformers import RobertaConfig, RobertaForMaskedLM
from safetensors.torch import save_file, load_file
from latentlm_nb import entk
from latentlm_nb.entk import EntkModel, compute_kernel

N, T, C, MASK, MINILM, WIDTH = 64, 32, 2, 4, 384, 2**20  # MINILM: the hidden size that stands for the MiniLM model
METHODS = ('ours', 'reference B=1', 'reference B=16', 'loop', 'lower bound')

def config(hidden):
    if hidden == MINILM: return dict(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                                     intermediate_size=1536, max_position_embeddings=514)
    return dict(vocab_size=100, hidden_size=hidden, num_hidden_layers=2, num_attention_heads=4,
                intermediate_size=4 * hidden, max_position_embeddings=T + 4)

def setup(hidden):
    torch.manual_seed(0)
    cfg = config(hidden)
    mlm = RobertaForMaskedLM(RobertaConfig(**cfg, hidden_dropout_prob=0., attention_probs_dropout_prob=0.)).eval()
    model = EntkModel(mlm, 'prompt', label_word_ids=[10, 11], mask_token_id=MASK).eval()
    ids = torch.randint(5, cfg['vocab_size'], (N, T), generator=torch.Generator().manual_seed(0))
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

def gradients(model, data):
    "The lower bound's forward and C backward passes."
    params = list(model.parameters())
    for p in params: p.requires_grad_(True)
    out = model(data['input_ids'], data['attention_mask'])
    for c in range(C): torch.autograd.grad(out[:, c].sum(), params, retain_graph=c < C - 1)

def lower_bound(model, data, A, P):
    "Forward and backward passes, then the Gram of a random [n·C, P] matrix, 2**20 columns (one chunk `A`) at a time."
    gradients(model, data)
    n = len(data['input_ids'])
    out = torch.zeros(n * C, n * C)
    for s in range(0, P, WIDTH): x = A[:n * C, :min(WIDTH, P - s)]; out.addmm_(x, x.T)
    return out.reshape(n, C, n, C)

def flops(model, data, P):
    "FLOPs of the lower bound: forward + C backward passes (counted), and the Gram 2·(N·C)²·P."
    with FlopCounterMode(display=False) as counter: gradients(model, data)
    return counter.get_total_flops(), 2 * (N * C)**2 * P

def counting(jacobian_parts):
    "`entk.jacobian_parts` that counts the examples whose Jacobians it computes, in `counting.rows`."
    def parts(*args, **kwargs):
        jacobians = jacobian_parts(*args, **kwargs)
        def count(input_ids, attention_mask): counting.rows += len(input_ids); return jacobians(input_ids, attention_mask)
        return count
    return parts
counting.rows = 0

def child(method, hidden, repeats, threads, path, max_memory):
    torch.set_num_threads(threads)
    warnings.simplefilter('ignore')
    model, data = setup(hidden)
    P = sum(p.numel() for p in model.parameters())
    A = torch.randn(N * C, min(WIDTH, P)) if method == 'lower bound' else None
    entk.jacobian_parts = counting(entk.jacobian_parts)
    options = {} if max_memory is None else dict(max_memory=max_memory)
    run = {'ours': lambda d: compute_kernel(model, d, progress=False, **options),
           'reference B=1': lambda d: reference(model, d, 1), 'reference B=16': lambda d: reference(model, d, 16),
           'loop': lambda d: loop(model, d), 'lower bound': lambda d: lower_bound(model, d, A, P)}[method]
    warm = {k: v[:16] for k, v in data.items()}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the warm-up's peak counts too: it may be the larger
    run(warm)  # warm-up on 16 examples
    times, counting.rows = [], 0
    for _ in range(1 if method.startswith('reference') else repeats):  # the reference's scheme is slow: one timed run
        t = time.perf_counter(); kernel = run(data); times.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    if method != 'lower bound': save_file({'kernel': kernel.double().contiguous()}, path)
    result = dict(seconds=statistics.median(times), peak_mib=peak / 1024, P=P, jacobians=counting.rows / len(times) / N)
    if method == 'lower bound':
        result.update(zip(('fwd_bwd_flops', 'gram_flops'), flops(model, data, P)), times=times,
                      embedding=model.mlm.get_input_embeddings().weight.numel())
    print(json.dumps(result))

def report_bound(r, seconds):
    "The lower bound's FLOPs and ours against it; with the word embeddings left out where the model has a large table."
    fwd, gram, P, E = r['fwd_bwd_flops'], r['gram_flops'], r['P'], r['embedding']
    print(f"FLOP lower bound: forward + {C} backward passes {fwd / 1e9:.1f} GFLOP + Gram 2·(N·C)²·P = {gram / 1e9:.1f} "
          f"GFLOP = {(fwd + gram) / 1e9:.1f} GFLOP, timed {r['seconds']:.2f} s "
          f"({(fwd + gram) / r['seconds'] / 1e9:.1f} GFLOP/s); ours / lower bound = {seconds / r['seconds']:.2f}x")
    if E * 10 > P:  # the Gram of the non-embedding columns only, at the same rate
        bound = r['seconds'] * (fwd + gram * (P - E) / P) / (fwd + gram)
        print(f"without the {E:,} word-embedding parameters (P = {P - E:,}): Gram {gram * (P - E) / P / 1e9:.1f} GFLOP, "
              f"bound ≈ {bound:.2f} s at the same rate; ours / that bound = {seconds / bound:.2f}x")

def main(repeats=3, threads=1, hiddens=(64, 256), minilm=False, max_memory=None):
    print(f"torch {torch.__version__}, {threads} thread(s); RoBERTa, N={N}, T={T}, C={C}; median of {repeats} runs "
          f"(reference: 1) after a warm-up on 16 examples")
    for hidden in ([MINILM] if minilm else hiddens):
        results = {}
        with tempfile.TemporaryDirectory() as tmp:
            for method in (('ours', 'lower bound') if minilm else METHODS):
                path = f"{tmp}/{method.replace(' ', '_').replace('=', '')}.safetensors"
                memory = [] if max_memory is None else ['--max-memory', str(max_memory)]
                out = subprocess.run([sys.executable, __file__, '--child', method, '--hidden', str(hidden), '--repeats', str(repeats),
                                      '--threads', str(threads), '--path', path, *memory], capture_output=True, text=True)
                if out.returncode: raise RuntimeError(f"{method} failed:\n{out.stderr[-2000:]}")
                results[method] = json.loads(out.stdout.strip().splitlines()[-1])
                if method != 'lower bound': results[method]['kernel'] = load_file(path)['kernel']
        ours = results['ours']
        name = 'MiniLM size (6 layers, hidden 384, vocabulary 30522)' if minilm else f'hidden {hidden} (2 layers)'
        print(f"\n{name}: P = {ours['P']:,} parameters; ours computes {ours['jacobians']:.2f} Jacobians per example"
              f"{'' if max_memory is None else f' (max_memory={max_memory} GiB)'}")
        print(f"{'method':>16} {'seconds':>9} {'peak MiB':>9} {'time / ours':>12} {'max rel. diff to ours':>22}")
        for method, r in results.items():
            diff = ((r['kernel'] - ours['kernel']).abs().max() / ours['kernel'].abs().max()).item() if 'kernel' in r else float('nan')
            print(f"{method:>16} {r['seconds']:9.3f} {r['peak_mib']:9.1f} {r['seconds'] / ours['seconds']:12.2f} {diff:22.1e}")
        lb = results['lower bound']['seconds']
        print(f"lower bound runs (s): {', '.join(f'{t:.2f}' for t in results['lower bound']['times'])}")
        report_bound(results['lower bound'], ours['seconds'])
        if minilm: continue
        print(f"ratios: reference B=1 / ours = {results['reference B=1']['seconds'] / ours['seconds']:.1f}x, "
              f"reference B=16 / ours = {results['reference B=16']['seconds'] / ours['seconds']:.1f}x (goal >= 30x), "
              f"loop / ours = {results['loop']['seconds'] / ours['seconds']:.1f}x, ours / lower bound = {ours['seconds'] / lb:.2f}x (goal <= 2x)")

if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--hidden', type=int, nargs='+', default=[64, 256])
    parser.add_argument('--minilm', action='store_true', help='ours and the lower bound at MiniLM size only')
    parser.add_argument('--max-memory', type=float, help="compute_kernel's max_memory in GiB (default: its default)")
    parser.add_argument('--child'); parser.add_argument('--path')
    args = parser.parse_args()
    if args.child: child(args.child, args.hidden[0], args.repeats, args.threads, args.path, args.max_memory)
    else: main(args.repeats, args.threads, args.hidden, args.minilm, args.max_memory)
