# Writes the Hugging Face state-dict key/shape listings of four public full-size models,
# spelled out from transformers' module naming (not from TuneSharp's code), for the meta-device tests.
# Totals are checked against the public parameter counts in the test.
import json, os
here = os.path.dirname(os.path.abspath(__file__))
cfg = lambda n: json.load(open(os.path.join(here, "..", "Configs", n)))

def llama_like(c, qkv_bias):
    H, I, V = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    nh, nkv = c["num_attention_heads"], c["num_key_value_heads"]
    hd = c.get("head_dim", H // nh)
    out = [("model.embed_tokens.weight", [V, H])]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        out += [(p + "self_attn.q_proj.weight", [nh * hd, H])]
        if qkv_bias: out += [(p + "self_attn.q_proj.bias", [nh * hd])]
        out += [(p + "self_attn.k_proj.weight", [nkv * hd, H])]
        if qkv_bias: out += [(p + "self_attn.k_proj.bias", [nkv * hd])]
        out += [(p + "self_attn.v_proj.weight", [nkv * hd, H])]
        if qkv_bias: out += [(p + "self_attn.v_proj.bias", [nkv * hd])]
        out += [(p + "self_attn.o_proj.weight", [H, nh * hd]),
                (p + "mlp.gate_proj.weight", [I, H]), (p + "mlp.up_proj.weight", [I, H]), (p + "mlp.down_proj.weight", [H, I]),
                (p + "input_layernorm.weight", [H]), (p + "post_attention_layernorm.weight", [H])]
    out += [("model.norm.weight", [H])]
    if not c.get("tie_word_embeddings", False): out += [("lm_head.weight", [V, H])]
    return out

def gpt2(c):
    E, V, P = c["n_embd"], c["vocab_size"], c["n_positions"]
    out = [("transformer.wte.weight", [V, E]), ("transformer.wpe.weight", [P, E])]
    for i in range(c["n_layer"]):
        p = f"transformer.h.{i}."
        out += [(p + "ln_1.weight", [E]), (p + "ln_1.bias", [E]),
                (p + "attn.c_attn.weight", [E, 3 * E]), (p + "attn.c_attn.bias", [3 * E]),
                (p + "attn.c_proj.weight", [E, E]), (p + "attn.c_proj.bias", [E]),
                (p + "ln_2.weight", [E]), (p + "ln_2.bias", [E]),
                (p + "mlp.c_fc.weight", [E, 4 * E]), (p + "mlp.c_fc.bias", [4 * E]),
                (p + "mlp.c_proj.weight", [4 * E, E]), (p + "mlp.c_proj.bias", [E])]
    out += [("transformer.ln_f.weight", [E]), ("transformer.ln_f.bias", [E])]
    return out

def bert_cls(c, labels=2):
    H, I = c["hidden_size"], c["intermediate_size"]
    ln = lambda p: [(p + "LayerNorm.weight", [H]), (p + "LayerNorm.bias", [H])]
    lin = lambda p, o, i: [(p + "weight", [o, i]), (p + "bias", [o])]
    out = [("bert.embeddings.word_embeddings.weight", [c["vocab_size"], H]),
           ("bert.embeddings.position_embeddings.weight", [c["max_position_embeddings"], H]),
           ("bert.embeddings.token_type_embeddings.weight", [c["type_vocab_size"], H])] + ln("bert.embeddings.")
    for i in range(c["num_hidden_layers"]):
        p = f"bert.encoder.layer.{i}."
        out += lin(p + "attention.self.query.", H, H) + lin(p + "attention.self.key.", H, H) + lin(p + "attention.self.value.", H, H)
        out += lin(p + "attention.output.dense.", H, H) + ln(p + "attention.output.")
        out += lin(p + "intermediate.dense.", I, H) + lin(p + "output.dense.", H, I) + ln(p + "output.")
    out += lin("bert.pooler.dense.", H, H) + lin("classifier.", labels, H)
    return out

for name, rows in [("llama-3.2-1b", llama_like(cfg("llama-3.2-1b.json"), False)),
                   ("qwen2.5-0.5b", llama_like(cfg("qwen2.5-0.5b.json"), True)),
                   ("gpt2-124m", gpt2(cfg("gpt2-124m.json"))),
                   ("bert-base-uncased-cls", bert_cls(cfg("bert-base-uncased.json")))]:
    with open(os.path.join(here, name + ".txt"), "w") as f:
        for k, s in sorted(rows): f.write(f"{k} {s}\n")
    total = 0
    for _, s in rows:
        n = 1
        for d in s: n *= d
        total += n
    print(name, len(rows), total)
