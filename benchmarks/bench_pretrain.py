"""Pretraining throughput: latentlm_nb's loop against the HF Trainer, same model and data, in one run.

Both train the same freshly initialised model on the same step-indexed MLM batches (data.PretrainStream) with
AdamW, linear warmup/decay and gradient clipping; neither evaluates nor checkpoints while timed.
Run: python benchmarks/bench_pretrain.py [--preset demo] [--steps 60]
"""
import argparse, time, warnings
import torch
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments
from latentlm_nb.hmm import HMM
from latentlm_nb.data import symbol_tokenizer, PretrainStream
from latentlm_nb.models import build_mlm
from latentlm_nb.pretrain import PretrainConfig, pretrain

class StepBatches(Dataset):
    "Item i is the whole MLM batch of step i (the Trainer's batch size is 1, its collator unwraps it)."
    def __init__(self, stream, n): self.stream, self.n = stream, n
    def __len__(self): return self.n
    def __getitem__(self, i): return self.stream(i)

def main(preset='demo', steps=60, batch_size=32, block_len=96, n_hidden=10):
    tok, world = symbol_tokenizer(10), HMM.random(n_hidden, seed=0)
    cfg = PretrainConfig(steps=steps, batch_size=batch_size, block_len=block_len, lr=1e-3, warmup_steps=10,
                         mlm_probability=0.15, eval_every=10**9, eval_batches=1, checkpoint_every=10**9)
    tokens = steps * batch_size * block_len
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; model '{preset}', {steps} steps of {batch_size} x {block_len} tokens")

    pretrain(build_mlm(preset, tok, seed=0), world, tok, PretrainConfig(**{**cfg.__dict__, 'steps': 5}), progress=False)  # warm-up
    t = time.perf_counter(); pretrain(build_mlm(preset, tok, seed=0), world, tok, cfg, progress=False); ours = time.perf_counter() - t

    stream = PretrainStream(world, tok, batch_size, block_len, 0.15, seed=0)
    args = TrainingArguments(output_dir='/tmp/bench_pretrain_trainer', max_steps=steps, per_device_train_batch_size=1,
                             learning_rate=1e-3, warmup_steps=10, weight_decay=0.01, max_grad_norm=1.0, lr_scheduler_type='linear',
                             logging_steps=10**9, save_strategy='no', report_to=[], dataloader_num_workers=0, use_cpu=True,
                             disable_tqdm=True, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        trainer = Trainer(model=build_mlm(preset, tok, seed=0), args=args, train_dataset=StepBatches(stream, steps), data_collator=lambda items: items[0])
        t = time.perf_counter(); trainer.train(); hf = time.perf_counter() - t
    print(f"ours {tokens / ours:,.0f} tokens/s ({ours:.1f} s), HF Trainer {tokens / hf:,.0f} tokens/s ({hf:.1f} s): "
          f"ratio {hf / ours:.2f}x (goal >= 1.0x; ours includes computing the Bayes CE of its evaluation batch)")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', default='demo'); ap.add_argument('--steps', type=int, default=60)
    main(**vars(ap.parse_args()))
