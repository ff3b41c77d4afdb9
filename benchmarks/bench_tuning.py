"""Training-step time of our prefix tuning against peft's prefix tuning and full fine-tuning, same model and batch, one run.

Each method trains a fresh wrapper of the same pretrained-size model (GPT-2 demo and BART demo presets, and a T5 of
the BART preset's sizes) on the same batch: forward, backward, AdamW step. Methods are timed in interleaved rounds and
the median step is reported. For BART and T5, peft prefixes only the decoder's self-attention, so ours is timed both
like-for-like (`prefix_kinds=('self',)`) and with the paper's three prefixes.
Run: python benchmarks/bench_tuning.py [--steps 20] [--rounds 5] [--batch 32]
"""
import argparse, statistics, time, warnings
import torch
from latentlm_nb.data import symbol_tokenizer
from latentlm_nb.generation import build_lm
from transformers import T5Config, T5ForConditionalGeneration
from latentlm_nb.gentune import attach
from latentlm_nb.training import make_optimizer

def step_time(tuned, batch, steps):
    "Seconds per optimiser step, averaged over `steps` steps."
    optimizer, _ = make_optimizer(tuned.trainable_parameters(), lr=1e-3)
    tuned.train()
    t = time.perf_counter()
    for _ in range(steps):
        tuned(**batch).loss.backward(); optimizer.step(); optimizer.zero_grad(set_to_none=True)
    return (time.perf_counter() - t) / steps

def t5_like_bart(preset, tok):
    "A T5 of the BART preset's sizes (no T5 preset of a world's symbols exists)."
    c = build_lm('bart', preset, tok, seed=0).config
    torch.manual_seed(0)
    return T5ForConditionalGeneration(T5Config(
        vocab_size=len(tok), d_model=c.d_model, d_kv=c.d_model // c.encoder_attention_heads, d_ff=c.encoder_ffn_dim,
        num_layers=c.encoder_layers, num_decoder_layers=c.decoder_layers, num_heads=c.encoder_attention_heads,
        dropout_rate=0., pad_token_id=tok.pad_token_id, eos_token_id=tok.sep_token_id, decoder_start_token_id=tok.pad_token_id))

def main(steps=20, rounds=5, batch=32, length=10, mid_dim=512, preset='demo'):
    tok = symbol_tokenizer(10)
    g = torch.Generator().manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; preset '{preset}', batch {batch}, prefix length {length}, mid_dim {mid_dim}")
    for family, source_len, target_len in (('gpt2', 48, 16), ('bart', 64, 16), ('t5', 64, 16)):
        model = t5_like_bart(preset, tok) if family == 't5' else build_lm(family, preset, tok, seed=0)
        src = torch.randint(5, 15, (batch, source_len), generator=g)
        tgt = torch.randint(5, 15, (batch, target_len), generator=g)
        data = ({'input_ids': src, 'labels': tgt} if family != 'gpt2' else
                {'input_ids': torch.cat([src, tgt], 1), 'labels': torch.cat([torch.full_like(src, -100), tgt], 1)})
        methods = {'ours prefix': ('prefix', dict(prefix_length=length, mid_dim=mid_dim)), 'peft prefix': ('peft_prefix', dict(prefix_length=length, mid_dim=mid_dim)),
                   'full fine-tuning': ('full', {})}
        if family != 'gpt2': methods['ours prefix (decoder only)'] = ('prefix', dict(prefix_length=length, mid_dim=mid_dim, prefix_kinds=('self',)))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            wrappers = {name: attach(model, method, **options) for name, (method, options) in methods.items()}
            for w in wrappers.values(): step_time(w, data, 2)  # warm-up
            times = {name: [] for name in wrappers}
            for _ in range(rounds):
                for name, w in wrappers.items(): times[name].append(step_time(w, data, steps))
        med = {name: statistics.median(t) for name, t in times.items()}
        print(f"\n{family} ({sum(p.numel() for p in model.parameters()):,} parameters), {steps} steps x {rounds} rounds, median ms/step:")
        for name, t in med.items(): print(f"  {name:28s} {1000 * t:7.2f}")
        ours = med['ours prefix (decoder only)'] if family != 'gpt2' else med['ours prefix']
        print(f"  ratio ours/peft (like-for-like) {ours / med['peft prefix']:.2f}x (goal <= 1.0x); "
              f"ours/full fine-tuning {med['ours prefix'] / med['full fine-tuning']:.2f}x")
        if family != 'gpt2': print(f"  ours with three prefixes / peft {med['ours prefix'] / med['peft prefix']:.2f}x")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--steps', type=int, default=20); ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--batch', type=int, default=32); ap.add_argument('--preset', default='demo')
    main(**vars(ap.parse_args()))
