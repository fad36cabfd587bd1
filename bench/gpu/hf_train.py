"""Hugging Face baseline for bench/gpu/run.sh (issue 16): the same model shapes, data, batch, sequence length,
optimizer settings and timing as `TuneSharp.Compute train-step`, trained the way a Hugging Face Trainer user
would: fp32 weights with bf16 autocast, SDPA attention, fused AdamW (weight decay 0, lr 1e-4), clipping at 1.0;
LoRA through PEFT. Prints one JSON line."""
import argparse, json, time

import numpy as np
import torch
import transformers
from transformers import GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

CONFIGS = {  # identical to bench/TuneSharp.Compute/BenchModels.cs
    "gpt2-124m": lambda: GPT2Config(vocab_size=50257, n_positions=1024, n_embd=768, n_layer=12, n_head=12,
                                    activation_function="gelu_new", resid_pdrop=0.1, embd_pdrop=0.1, attn_pdrop=0.1),
    "qwen2-0.5b": lambda: Qwen2Config(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                                      num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                                      rms_norm_eps=1e-6, rope_theta=1000000.0, tie_word_embeddings=True, attention_dropout=0.0),
}


def flops_per_token(model, seq, frozen_base):
    # As BenchModels.FlopsPerToken: 6 (LoRA: 4) per matmul weight, plus 12·L·C·T (LoRA: 8·L·C·T) for attention.
    weights = sum(p.numel() for n, p in model.named_parameters() if p.dim() == 2 and "wpe" not in n)
    cfg = model.config
    layers = cfg.num_hidden_layers
    hidden = cfg.hidden_size
    return (4 if frozen_base else 6) * weights + (8.0 if frozen_base else 12.0) * layers * hidden * seq


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="gpt2-124m")
    ap.add_argument("--method", default="full")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--peak-tflops", type=float, default=989.0)
    ap.add_argument("--checkpointing", action="store_true")
    a = ap.parse_args()

    torch.manual_seed(0)
    cfg = CONFIGS[a.model]()
    cls = GPT2LMHeadModel if a.model.startswith("gpt2") else Qwen2ForCausalLM
    with torch.device("cuda"):
        model = cls(cfg)
    params = sum(p.numel() for p in model.parameters())
    if a.checkpointing:
        model.gradient_checkpointing_enable()
    if a.method == "lora":
        from peft import LoraConfig, get_peft_model
        targets = ["c_attn", "c_proj"] if a.model.startswith("gpt2") else ["q_proj", "k_proj", "v_proj", "o_proj"]
        model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules=targets, lora_dropout=0.0))
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=1e-4, weight_decay=0.0, fused=True)

    # The same rows as TuneSharp: consecutive seq-long runs of the int32 token file, each id modulo the vocabulary.
    pool = np.fromfile(a.tokens, dtype=np.int32)
    n = (a.warmup + a.steps) * a.batch * a.seq
    ids = torch.from_numpy((pool[np.arange(n) % len(pool)] % cfg.vocab_size).astype(np.int64)).view(-1, a.batch, a.seq)

    losses = []
    torch.cuda.reset_peak_memory_stats()
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            torch.cuda.synchronize()
            start = time.perf_counter()
        x = ids[step].cuda(non_blocking=True)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = model(input_ids=x, labels=x).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    tps = a.steps * a.batch * a.seq / seconds
    base = model.get_base_model() if a.method == "lora" else model
    print(json.dumps({
        "impl": "hf-transformers" + ("+peft" if a.method == "lora" else ""), "model": a.model, "method": a.method,
        "precision": "bf16-autocast", "optimizer": "adamw-fused", "checkpointing": a.checkpointing,
        "batch": a.batch, "seq": a.seq, "steps": a.steps, "params": params, "trainable": sum(p.numel() for p in trainable),
        "tokens_per_s": round(tps, 1), "ms_per_step": round(seconds / a.steps * 1000, 1),
        "mfu": round(tps * flops_per_token(base, a.seq, a.method == "lora") / (a.peak_tflops * 1e12), 4),
        "loss_first": losses[0], "loss_last": losses[-1],
        "peak_allocated_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2),
        "peak_reserved_gib": round(torch.cuda.max_memory_reserved() / 2**30, 2),
        "attention": getattr(base.config, "_attn_implementation", None), "torch": torch.__version__, "transformers": transformers.__version__,
    }))


if __name__ == "__main__":
    main()
