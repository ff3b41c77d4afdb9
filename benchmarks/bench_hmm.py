"""latentlm_nb.hmm against hmmlearn on the same HMM, in one run.

Prints sampling tokens/s (H=30, V=10, 1,000 x 1,024 tokens; goal >= 100x) and forward-backward
posteriors (10,000 x 128, H=30; goal >= 20x), with their agreement errors.
Run: python benchmarks/bench_hmm.py [--quick]
"""
import argparse, statistics, time
import numpy as np, torch
from hmmlearn.hmm import CategoricalHMM
from latentlm_nb.hmm import HMM

def best_of(f, repeats):
    "Median wall time of `repeats` calls after one warm-up call, and the last result."
    out = f(); times = []
    for _ in range(repeats):
        t = time.perf_counter(); out = f(); times.append(time.perf_counter() - t)
    return statistics.median(times), out

def transition_freqs(hidden, H):
    counts = np.zeros((H, H)); np.add.at(counts, (hidden[:, :-1].ravel(), hidden[:, 1:].ravel()), 1)
    return counts / counts.sum(1, keepdims=True)

def main(quick=False):
    scale = 10 if quick else 1
    world = HMM.random(30, n_symbols=10, seed=0)
    ref = CategoricalHMM(n_components=30, n_features=10)
    ref.startprob_, ref.transmat_, ref.emissionprob_ = (m.numpy() for m in (world.start, world.trans, world.emit))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; hmmlearn on one core (pure Python per-step sampling, C forward-backward)")

    n, T = 1000 // scale, 1024
    ours_s, (tokens, hidden) = best_of(lambda: world.sample(n, T, seed=0), 3)
    t = time.perf_counter()
    draws = [ref.sample(T, random_state=i) for i in range(n)]
    ref_s = time.perf_counter() - t
    ref_hidden = np.stack([d[1] for d in draws])
    err_ours = np.abs(transition_freqs(hidden.numpy(), 30) - ref.transmat_).max()
    err_ref = np.abs(transition_freqs(ref_hidden, 30) - ref.transmat_).max()
    print(f"sampling {n} x {T}: ours {n * T / ours_s:,.0f} tokens/s, hmmlearn {n * T / ref_s:,.0f} tokens/s, "
          f"ratio {ref_s / ours_s:.1f}x (goal >= 100x); max |empirical - true| transition frequency: ours {err_ours:.2e}, hmmlearn {err_ref:.2e}")

    n, T = 10000 // scale, 128
    x = world.sample(n, T, seed=1)[0]
    ours_s, fb = best_of(lambda: world.forward_backward(x), 3)
    X, lengths = x.reshape(-1, 1).numpy(), [T] * n
    t = time.perf_counter(); ref_post = ref.predict_proba(X, lengths); ref_s = time.perf_counter() - t
    post_err = np.abs(fb.posterior.reshape(-1, 30).numpy() - ref_post).max()
    ll_err = abs(fb.log_likelihood.sum().item() - ref.score(X, lengths)) / abs(ref.score(X, lengths))
    print(f"forward-backward posteriors {n} x {T}, H=30: ours {ours_s:.3f} s, hmmlearn {ref_s:.3f} s, "
          f"ratio {ref_s / ours_s:.1f}x (goal >= 20x); max |posterior diff| {post_err:.1e}, relative log-likelihood diff {ll_err:.1e}")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quick', action='store_true', help='a tenth of the sizes, for a smoke run')
    main(**vars(ap.parse_args()))
