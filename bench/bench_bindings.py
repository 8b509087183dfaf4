"""The two llama.cpp bindings on the shipped SmolLM2 GGUF: first token, decode rate and peak RSS.

xllamacpp (the prebuilt wheel the default install uses) against llama-cpp-python (which compiles on
install; measured when someone has installed it), each run in a fresh process on both cores, interleaved
round by round so that the noise of a shared machine falls on both alike; medians are printed, and the
ratio. A binding that is not installed is skipped.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys

from livetui.server.core.brains.smollm2 import model_path

ROUNDS = 5
"""Processes per binding."""
PROMPTS = (
    "What is the capital of France?",
    "Name three colours.",
    "Tell me a fun fact about cats.",
    "Describe a tree in one sentence.",
)
"""Asked in each process, each answered with up to `MAX_TOKENS` tokens at temperature 0."""
MAX_TOKENS = 48
"""The longest reply."""

_RUN = r"""
import json, resource, sys, time
binding, path, prompts, max_tokens = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
started = time.perf_counter()
if binding == "xllamacpp":
    import xllamacpp as xlc
    params = xlc.CommonParams()
    params.model.path = path
    params.n_ctx = 2048
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    params.verbosity = -1
    server = xlc.Server(params)
    def stream(messages):
        times = []
        def chunk(data):
            if data["choices"] and data["choices"][0]["delta"].get("content"):
                times.append(time.perf_counter())
            return False
        server.handle_chat_completions(
            {"messages": messages, "max_tokens": max_tokens, "temperature": 0, "stream": True}, chunk)
        return times
else:
    import llama_cpp
    llama = llama_cpp.Llama(model_path=path, n_ctx=2048, n_threads=2, verbose=False)
    def stream(messages):
        times = []
        for data in llama.create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=0, stream=True):
            if data["choices"][0]["delta"].get("content"):
                times.append(time.perf_counter())
        return times
loaded = time.perf_counter() - started
first, rates = [], []
for prompt in prompts:
    asked = time.perf_counter()
    times = stream([{"role": "user", "content": prompt}])
    first.append(times[0] - asked)
    if len(times) > 1:
        rates.append((len(times) - 1) / (times[-1] - times[0]))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load": loaded, "first": first, "rates": rates, "rss": rss}))
"""


def installed(binding: str) -> bool:
    """True when `binding` can be found (without importing it)."""
    return importlib.util.find_spec("xllamacpp" if binding == "xllamacpp" else "llama_cpp") is not None


def run_once(binding: str, path: str) -> dict[str, list[float] | float]:
    """One fresh process of `binding`: its load time, first tokens, decode rates and peak RSS."""
    argv = [sys.executable, "-c", _RUN, binding, path, json.dumps(PROMPTS), str(MAX_TOKENS)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600)
    result: dict[str, list[float] | float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Run the rounds and print the medians."""
    path = model_path()
    if path is None:
        print("   skipped: the SmolLM2 model is not installed")
        return
    bindings = [name for name in ("xllamacpp", "llama-cpp-python") if installed(name)]
    if not bindings:
        print("   skipped: neither binding is installed")
        return
    seen: dict[str, dict[str, list[float]]] = {
        name: {"load": [], "first": [], "rates": [], "rss": []} for name in bindings
    }
    for _ in range(ROUNDS):
        for name in bindings:
            result = run_once(name, str(path))
            for key, value in result.items():
                seen[name][key].extend(value if isinstance(value, list) else [value])
    medians = {name: {key: statistics.median(values) for key, values in seen[name].items()} for name in seen}
    for name, median in medians.items():
        print(
            f"   {name}: first token median {median['first'] * 1000:.0f} ms, decode median "
            f"{median['rates']:.0f} tokens/s, load {median['load'] * 1000:.0f} ms, peak RSS "
            f"{median['rss']:.0f} MB ({ROUNDS} processes x {len(PROMPTS)} prompts, 2 threads)"
        )
    if len(medians) == 2:
        x, native = medians["xllamacpp"], medians["llama-cpp-python"]
        print(
            f"   xllamacpp / llama-cpp-python: first token x{x['first'] / native['first']:.2f}, "
            f"decode x{x['rates'] / native['rates']:.2f}, RSS x{x['rss'] / native['rss']:.2f}"
        )
