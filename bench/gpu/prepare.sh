#!/usr/bin/env bash
# Prepares the GPU benchmark run (issue 16) on a machine with the .NET SDK: publishes the bench self-contained
# for linux-x64 against the plain TorchSharp package (the GPU machine's PyTorch supplies libtorch), packs it, and
# copies the fixtures the CUDA checks need, all into .gpu/ (git-ignored; the device tool carries it).
# Then, through the device tool: bash bench/gpu/run.sh   (with .gpu carried)
# The device tool sends the working tree, which is over its 64 MiB limit with data/brown and the base model's
# weights: remove those two for the call (the run needs neither), then `git checkout -- data models`.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu
rm -rf "$out/bench" "$out/bench.tar.xz" "$out/fixtures"
mkdir -p "$out/fixtures"
dotnet publish bench/TuneSharp.Compute -c Release -r linux-x64 --self-contained -p:TorchBackend=external -p:InvariantGlobalization=true -o "$out/bench"
tar -C "$out/bench" -cJf "$out/bench.tar.xz" .
rm -rf "$out/bench"
fixtures=../shared/fixtures/hf-tiny
for f in tiny-gpt2 tiny-llama; do
  mkdir -p "$out/fixtures/$f"
  cp "$fixtures/$f"/{config.json,model.safetensors,reference.safetensors} "$out/fixtures/$f/"
done
du -sh "$out"/*
