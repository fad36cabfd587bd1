#!/usr/bin/env bash
# Runs on the GPU machine (device tool, with .gpu carried; see bench/gpu/prepare.sh): the CUDA checks, then
# TuneSharp and Hugging Face transformers on GPT-2 124M full fine-tuning and a Qwen2-0.5B-shaped LoRA run, same
# data, batch and sequence length. Each run's peak GPU memory is the highest nvidia-smi reading while it ran
# (the same meter for both; HF also reports torch's own counters). Results: $OUT/results.jsonl and $OUT/log.txt.
set -uo pipefail
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
STEPS=${STEPS:-30}; WARMUP=${WARMUP:-5}
exec > >(tee -a "$OUT/log.txt") 2>&1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
mkdir -p /tmp/app && tar -C /tmp/app -xJf .gpu/bench.tar.xz
export LD_LIBRARY_PATH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
export PYTHONUNBUFFERED=1
app=/tmp/app/TuneSharp.Compute
python3 -c 'import numpy as np; np.random.default_rng(0).integers(0, 151936, size=4_000_000, dtype=np.int32).tofile("/tmp/tokens.bin")'

echo "== cuda-checks"
timeout 180 $app cuda-checks --fixtures .gpu/fixtures

# measure NAME CMD...: runs CMD, polling nvidia-smi every 100 ms; appends CMD's JSON line plus peak_smi_gib.
measure() {
  local name=$1; shift
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > /tmp/mem.$name &
  local poll=$!
  local line
  local t0=$SECONDS
  line=$(timeout ${RUN_TIMEOUT:-150} "$@" 2>&1 | tee /tmp/run.$name.log | tail -1)
  kill $poll 2>/dev/null; wait $poll 2>/dev/null
  local peak=$(sort -n /tmp/mem.$name | tail -1)
  echo "$name: $line (nvidia-smi peak ${peak} MiB, $((SECONDS - t0)) s)"
  case "$line" in "{"*) ;; *) echo "-- $name output tail:"; tail -15 /tmp/run.$name.log ;; esac
  python3 - "$name" "$peak" "$line" >> "$OUT/results.jsonl" <<'PY'
import json, sys
name, peak, line = sys.argv[1], sys.argv[2], sys.argv[3]
try: r = json.loads(line)
except Exception: r = {"error": line[-300:]}
r["run"] = name; r["peak_smi_gib"] = round(int(peak or 0) / 1024, 2)
print(json.dumps(r))
PY
}

common="--steps $STEPS --warmup $WARMUP --tokens /tmp/tokens.bin --peak-tflops 989"
g="--model gpt2-124m --method full --batch 16 --seq 1024 --device cuda $common"
echo "== GPT-2 124M full fine-tuning, 16 x 1024"
measure hf-gpt2 python3 bench/gpu/hf_train.py --model gpt2-124m --method full --batch 16 --seq 1024 $common
measure ts-gpt2-fp32 $app train-step $g --precision fp32 --optimizer adamw
measure ts-gpt2-bf16 $app train-step $g --precision bf16 --optimizer adamw
measure ts-gpt2-bf16-chunked $app train-step $g --precision bf16 --optimizer adamw --chunked-ce
measure ts-gpt2-bf16-flat-chunked $app train-step $g --precision bf16 --optimizer adamw_flat --chunked-ce
measure ts-gpt2-bf16-flat-chunked-ckpt $app train-step $g --precision bf16 --optimizer adamw_flat --chunked-ce --checkpointing
# Batch 32: if tokens/s rises well above batch 16's, the step is bound by kernel launches, not by the GPU.
measure ts-gpt2-bf16-flat-chunked-b32 $app train-step ${g/--batch 16/--batch 32} --precision bf16 --optimizer adamw_flat --chunked-ce

q="--model qwen2-0.5b --method lora --batch 8 --seq 1024"
echo "== Qwen2-0.5B-shaped LoRA (r 16, q/k/v/o), 8 x 1024"
measure hf-qwen-lora python3 bench/gpu/hf_train.py $q $common
measure ts-qwen-lora-bf16-chunked $app train-step $q --device cuda $common --precision bf16 --optimizer adamw_flat --chunked-ce
measure ts-qwen-lora-bf16-chunked-ckpt $app train-step $q --device cuda $common --precision bf16 --optimizer adamw_flat --chunked-ce --checkpointing
echo "== done"
