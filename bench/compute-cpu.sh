#!/usr/bin/env bash
# CPU training throughput of the compute switches against today's default path, same machine, same run
# (issue 16): llama-20m (23M), 8 examples a step of random length 32–256 tokens (padded to the longest, or packed
# into rows of 256), 5 timed steps after 1 warm-up, 2 torch threads. One JSON line per configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/TuneSharp.Compute -c Release -v q -nologo > /dev/null
app=bench/TuneSharp.Compute/bin/Release/net10.0/TuneSharp.Compute
common=(--model llama-20m --batch 8 --seq 256 --lengths 32:256 --steps ${STEPS:-5} --warmup 1 --threads 2)
run() { echo "$1: $("$app" train-step "${common[@]}" "${@:2}")"; }
run "today (fp32, adamw, padded)"
run "packing" --packing
run "flat adamw" --optimizer adamw_flat
run "chunked CE" --chunked-ce
run "bf16" --precision bf16
run "packing + flat + chunked" --packing --optimizer adamw_flat --chunked-ce
run "packing + flat + chunked + checkpointing" --packing --optimizer adamw_flat --chunked-ce --checkpointing
run "bf16 + packing" --precision bf16 --packing
run "bf16 + flat adamw" --precision bf16 --optimizer adamw_flat
run "bf16 + chunked CE" --precision bf16 --chunked-ce
run "bf16 + packing + chunked" --precision bf16 --packing --chunked-ce
run "bf16 + packing + flat + chunked" --precision bf16 --packing --optimizer adamw_flat --chunked-ce
