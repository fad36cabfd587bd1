#!/usr/bin/env python3
"""Scale for the embedding-noise column: the L2 norm of MiniLM's word-embedding rows (every 7th of the vocabulary).
Standard library only. Usage: python3 bench/adversarial/embedding_norm.py [MODEL_DIR]
(default: the per-user cache that `model: minilm` imports into)."""
import array, glob, json, math, os, struct, sys

folder = sys.argv[1] if len(sys.argv) > 1 else sorted(glob.glob(os.path.expanduser("~/.cache/tunesharp/models/minilm-*")))[-1]
with open(os.path.join(folder, "model.safetensors"), "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
    key = next(k for k in header if k.endswith("word_embeddings.weight"))
    start, end = header[key]["data_offsets"]
    vocab, hidden = header[key]["shape"]
    f.seek(8 + n + start)
    rows = array.array("f")
    rows.frombytes(f.read(end - start))
norms = sorted(math.sqrt(sum(x * x for x in rows[i * hidden:(i + 1) * hidden])) for i in range(0, vocab, 7))
print(f"{key} {vocab}x{hidden}: row L2 norm mean {sum(norms) / len(norms):.3f}, median {norms[len(norms) // 2]:.3f} ({len(norms)} rows)")
