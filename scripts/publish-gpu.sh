#!/usr/bin/env bash
# Publishes the `tunesharp` CLI for a Linux GPU machine that has PyTorch but no .NET SDK:
# self-contained, referencing the plain TorchSharp package (no bundled CPU libtorch), packed as one archive.
# On the GPU machine:
#   mkdir -p /tmp/app && tar -C /tmp/app -xJf tunesharp-gpu.tar.xz
#   export LD_LIBRARY_PATH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
#   /tmp/app/tunesharp doctor
# Usage: scripts/publish-gpu.sh [OUT_DIR]   (default: .gpu/)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.gpu}"
rm -rf "$out/app"
dotnet publish src/TuneSharp.Cli -c Release -r linux-x64 --self-contained -p:TorchBackend=external -p:InvariantGlobalization=true -o "$out/app"
tar -C "$out/app" -cJf "$out/tunesharp-gpu.tar.xz" .
ls -la "$out/tunesharp-gpu.tar.xz"
