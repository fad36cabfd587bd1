#!/usr/bin/env bash
# The 12-trial TPE + ASHA study of recipes/sequence-classification/tunesharp-base_lora_cpu.search.yaml, then the same
# search and budget with the random sampler (same seed, so both start from the same 4 random trials). Prints wall times.
set -euo pipefail
cd "$(dirname "$0")/../.."
tunesharp=src/TuneSharp.Cli/bin/Release/net10.0/tunesharp
search=recipes/sequence-classification/tunesharp-base_lora_cpu.search.yaml
start=$(date +%s)
"$tunesharp" tune "$search"                                    # study spam-lora-search (the file's sampler: TPE)
echo "tpe: $(( $(date +%s) - start )) s"
start=$(date +%s)
"$tunesharp" tune "$search" --study spam-lora-random --sampler random
echo "random: $(( $(date +%s) - start )) s"
