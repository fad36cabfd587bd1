# Renders the shared chat-template fixtures over tool-calling conversations with jinja2, configured as
# transformers' apply_chat_template configures it, for ChatTemplateToolCaseTests. Usage:
#   python3 render_tool_cases.py /path/to/shared/fixtures/chat-templates > jinja2-tool-cases.json
import glob, json, os, sys
from datetime import datetime
import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)

def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)

special = {
 "meta-llama": ("<|begin_of_text|>", "<|eot_id|>"), "Qwen": (None, "<|im_end|>"), "mistralai": ("<s>", "</s>"),
 "microsoft-Phi": ("<s>", "<|endoftext|>"), "google-gemma": ("<bos>", "<eos>"), "HuggingFaceTB": (None, "<|im_end|>"),
 "deepseek-ai": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"), "teknium": ("<s>", "<|im_end|>")}
WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city.",
  "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City, e.g. Zürich"},
  "unit": {"type": "string", "enum": ["c", "f"]}}, "required": ["city"]}}}
CALL = {"id": "call12345", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Zürich", "unit": "c"}}}
CALL_STR = {"id": "call12345", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Zürich\"}"}}
convs = [
 ("tools-offered", [{"role": "system", "content": "Use tools."}, {"role": "user", "content": "Weather in Zürich?"}], True, {"tools": [WEATHER]}),
 ("tool-round-trip", [{"role": "user", "content": "Weather in Zürich?"},
   {"role": "assistant", "content": "", "tool_calls": [CALL]},
   {"role": "tool", "content": "{\"temp\": 21.5}", "tool_call_id": "call12345"},
   {"role": "assistant", "content": "It is 21.5 °C."}], False, {"tools": [WEATHER]}),
 ("string-arguments", [{"role": "user", "content": "Weather?"},
   {"role": "assistant", "content": None, "tool_calls": [CALL_STR]},
   {"role": "tool", "content": "sunny", "tool_call_id": "call12345"}], True, {}),
 ("reasoning-in-content", [{"role": "user", "content": "2+2?"},
   {"role": "assistant", "content": "<think>\nadd them\n</think>\n\n4"}, {"role": "user", "content": "3+3?"}], True, {}),
 ("system-no-think", [{"role": "system", "content": "Be brief. /no_think"}, {"role": "user", "content": "Hi"}], True, {}),
 ("bad-alternation", [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}], True, {}),
 ("builtin-tools", [{"role": "user", "content": "Search it"},
   {"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "brave_search", "arguments": {"query": "x"}}}]}],
   False, {"builtin_tools": ["brave_search", "code_interpreter"]}),
]
cases = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.jinja"))):
    name = os.path.basename(path)[:-6]
    tpl = env.from_string(open(path, encoding="utf-8").read())
    bos, eos = next((v for k, v in special.items() if name.startswith(k)), ("<s>", "</s>"))
    for cid, msgs, gen, kw in convs:
        kw = dict(kw); kw.setdefault("date_string", "26 Jul 2024")
        variables = {k: v for k, v in (("bos_token", bos), ("eos_token", eos)) if v is not None}
        variables.update(kw)
        c = {"template": name, "id": cid, "messages": msgs, "add_generation_prompt": gen, "variables": variables}
        try:
            c["rendered"] = tpl.render(messages=msgs, documents=None, add_generation_prompt=gen, **({"tools": None} | variables))
        except Exception as e:
            c["error"] = f"{type(e).__name__}: {e}"
        cases.append(c)
json.dump({"jinja2": jinja2.__version__, "cases": cases}, sys.stdout, ensure_ascii=False, indent=1)
