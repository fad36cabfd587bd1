# Independent reference for the expected ids in ByteLevelBpeTests: a plain-Python byte-level BPE
# (regex split + GPT-2 byte map + rank-ordered merges) over the hf-tiny fixture's vocab and merges.
# It first reproduces meta.json's input_ids with the GPT-2 pattern, then prints ids for the
# Llama-3 and Qwen2 patterns. Run: python3 reference_bpe.py /work/shared/fixtures/hf-tiny/tiny-llama
import json, sys, regex
d = sys.argv[1]
tok = json.load(open(d + '/tokenizer.json'))
vocab = tok['model']['vocab']
ranks = {tuple(m) if isinstance(m, list) else tuple(m.split(' ', 1)): i for i, m in enumerate(tok['model']['merges'])}
bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
cs = bs[:]; n = 0
for b in range(256):
    if b not in bs: bs.append(b); cs.append(256 + n); n += 1
byte_char = {b: chr(c) for b, c in zip(bs, cs)}
GPT2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3 = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN2 = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
def bpe(word):
    syms = list(word)
    while len(syms) > 1:
        pairs = [(ranks.get((syms[i], syms[i + 1]), 1e9), i) for i in range(len(syms) - 1)]
        r, i = min(pairs)
        if r == 1e9: break
        syms[i:i + 2] = [syms[i] + syms[i + 1]]
    return [vocab[s] for s in syms]
def encode(text, pattern):
    ids = []
    for piece in regex.findall(pattern, text):
        ids += bpe(''.join(byte_char[b] for b in piece.encode('utf-8')))
    return ids
meta = json.load(open(d + '/../meta.json'))['tokenizer']
for s, row in zip(meta['sentences'], meta['input_ids']):
    got = encode(s, GPT2); assert got == [i for i in row if i != 3], (got, row)
print('meta.json reproduced')
for text in ["Call 12345 or 0987654321 NOW!", "DON'T stop, he'S here", "line one\n\n  line two\r\n", "x  y\t\tz 2024."]:
    print(json.dumps(text), 'gpt2', encode(text, GPT2))
    print(json.dumps(text), 'llama3', encode(text, LLAMA3), [p for p in regex.findall(LLAMA3, text)])
    print(json.dumps(text), 'qwen2', encode(text, QWEN2))
