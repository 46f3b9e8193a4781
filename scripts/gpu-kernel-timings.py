#!/usr/bin/env python3
"""Time batched GEMMs and attention on one NVIDIA GPU over aiecon's serving shapes.

What it measures, for `aiecon calibrate import FILE --hw CHIP`:

  gemm.csv       hw,dtype,batch,m,n,k,seconds: one batched GEMM (batch independent
                 (m x k)(k x n) products) on one GPU, the median of repeated timed
                 samples, with operands rotated through more memory than the L2 holds so
                 weights stream from HBM as they do in serving (every layer's weights
                 differ). Shapes: the projections, MLPs and LM heads of Llama-3-8B,
                 Llama-2/3-70B and Mistral-7B at TP 1, 2, 4 and 8 (N and K as
                 model/llm shards them) for M = tokens from 1 to 8192; and the
                 attention-shaped products model/llm prices attention with (batch = KV
                 heads x sequences, m = query rows per KV head, n = keys, k = 128).
                 fp8 (torch._scaled_mm) needs N and K divisible by 16; M < 16 is timed
                 as it is where this torch takes it, else padded to 16 (env.txt says which).
  attention.csv  kind,batch,heads,kv_heads,q_len,kv_len,head_dim,seconds: real
                 scaled-dot-product attention (PyTorch's fused kernels) for decode
                 (q_len 1) and causal prefill, for the report in docs/calibration.md;
                 not imported.
  env.txt        GPU, driver, torch and CUDA versions, clocks before and after, the
                 host's per-call dispatch floor, and every shape timed eagerly.

How a shape is timed: a number of back-to-back calls, the operand rotation unrolled
into them, is captured once in a CUDA graph and replayed between two CUDA events, so
the GPU runs the kernels back to back whatever Python costs per call. An eager loop of
the same calls timed the host instead wherever a kernel is shorter than that cost
(8-9 us a call on the H100 run of 2026-12-05): env.txt records the floor measured
here. Where capture fails, the shape falls back to the eager loop and env.txt lists it.

The chip is taken from the GPU's name (torch.cuda.get_device_properties); a --hw that
contradicts it is refused, and --hw is needed only for a GPU the name table lacks.
It needs only PyTorch with CUDA. It stops starting new shapes after --budget seconds
and writes what it has, a whole row at a time, so a bounded device lease always
returns data that imports (a run killed mid-row leaves a cut last line, which
`aiecon calibrate import` refuses).
Run: python3 scripts/gpu-kernel-timings.py --out DIR [--budget 240] [--hw CHIP]
     python3 scripts/gpu-kernel-timings.py --dry-run [--gpu-name NAME] [--hw CHIP]
     (no torch needed: lists the jobs and says which chip NAME would be labelled)
"""
import argparse
import csv
import math
import os
import statistics
import subprocess
import sys
import time

torch = None  # imported by load_torch, so that --dry-run runs without it

L2_ROTATE_BYTES = 512 << 20  # rotate operands through 512 MiB: ~8x an H100/H200 L2

# (name, hidden, heads, kv_heads, ffn, vocab) of dense Llama-style models.
MODELS = [
    ("llama-3-8b", 4096, 32, 8, 14336, 128256),
    ("mistral-7b", 4096, 32, 8, 14336, 32000),
    ("llama-2-7b", 4096, 32, 32, 11008, 32000),
    ("llama-2-13b", 5120, 40, 40, 13824, 32000),
    ("llama-70b", 8192, 64, 8, 28672, 128256),
]
HEAD_DIM = 128  # the Llama/Mistral head dimension; not gpt-oss/falcon (64) or gpt-j (256)
TPS = [1, 2, 4, 8]
MS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]


def cdiv(a, b):
    return (a + b - 1) // b


def dense_shapes():
    """(n, k) pairs per device of every projection, deduplicated."""
    nk = set()
    for _, h, heads, kv, ffn, vocab in MODELS:
        for tp in TPS:
            hpd, kvpd = cdiv(heads, tp), cdiv(kv, tp)
            nk.add(((hpd + 2 * kvpd) * HEAD_DIM, h))  # qkv
            nk.add((h, hpd * HEAD_DIM))  # attn_out
            nk.add((2 * cdiv(ffn, tp), h))  # mlp_gate_up
            nk.add((h, cdiv(ffn, tp)))  # mlp_down
            nk.add((cdiv(vocab, tp), h))  # lm_head
    out = []
    for m in MS:
        for n, k in sorted(nk):
            if m * n * k <= 8192 * 57344 * 8192:
                out.append((1, m, n, k))
    return out


def attention_gemm_shapes():
    """Attention as model/llm describes it: batch = KV heads x seqs, m = group x q rows."""
    out = []
    for kvpd in (1, 8):
        for group in (1, 4, 8):
            for seqs in (1, 8, 32, 128):
                for keys in (128, 512, 2048, 8192, 32768):
                    b = kvpd * seqs
                    if b * group * keys * HEAD_DIM <= 1 << 33:
                        out.append((b, group, keys, HEAD_DIM))  # decode: m = group
            for q in (128, 512, 2048, 8192):
                out.append((kvpd, group * q, q, HEAD_DIM))  # prefill of one sequence
    return sorted(set(out))


# Catalogued chips (`aiecon hw list`) by the words of the name torch gives the GPU
# ("NVIDIA H100 80GB HBM3", "NVIDIA H200", "NVIDIA A100-SXM4-80GB"): the words it
# must hold, and the words of a variant the catalog does not describe (a PCIe or NVL
# part has another bandwidth or clock).
GPU_CHIPS = [
    ("H200", ("H200",), ("NVL", "PCIE")),
    ("H100", ("H100",), ("NVL", "PCIE")),
    ("B200", ("B200",), ()),
    ("A100-80GB", ("A100", "80GB"), ("PCIE",)),
    ("A100-40GB", ("A100", "40GB"), ("PCIE",)),
    ("L40S", ("L40S",), ()),
    ("L4", ("L4",), ()),
    ("A10G", ("A10G",), ()),
]


def chip_of(gpu_name):
    """The catalogued chip a GPU of this name is, or None where the table lacks it."""
    words = set(gpu_name.upper().replace("-", " ").split())
    for chip, need, avoid in GPU_CHIPS:
        if all(w in words for w in need) and not any(w in words for w in avoid):
            return chip
    return None


def resolve_hw(gpu_name, hw):
    """The chip to label rows with, and None; or None and why not: --hw is
    refused where the GPU's name says another chip, and needed where the name
    table lacks the GPU (a PCIe or NVL variant: --hw then labels it so)."""
    found = chip_of(gpu_name)
    if hw is None:
        if found is None:
            return None, (f"cannot tell which catalogued chip the GPU {gpu_name!r} is: "
                          "give --hw as `aiecon hw list` names it")
        return found, None
    words = set(gpu_name.upper().replace("-", " ").split())
    named = found or next((need[0] for _, need, _ in GPU_CHIPS if need[0] in words), None)
    hw_word = next((need[0] for chip, need, _ in GPU_CHIPS if chip.lower() == hw.lower()), hw.upper())
    if named is not None and hw.lower() != named.lower() and (found is not None or hw_word != named):
        return None, (f"--hw {hw} contradicts the GPU this runs on, {gpu_name!r} ({named}): "
                      "its rows would price the wrong chip; drop --hw or run on the chip it names")
    return (found or hw), None


def load_torch():
    global torch
    import torch as t
    torch = t


def sync():
    torch.cuda.synchronize()


def elapsed_s(start, end):
    return start.elapsed_time(end) / 1e3


def events():
    return torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)


def time_eager(call, calls, reps=5):
    """Median seconds per call of an eager loop of calls: the host's pace where
    a kernel is shorter than Python's cost per call."""
    start, end = events()
    samples = []
    for _ in range(reps):
        start.record()
        for i in range(calls):
            call(i)
        end.record()
        sync()
        samples.append(elapsed_s(start, end) / calls)
    return statistics.median(samples)


def capture(call, calls):
    """A CUDA graph of calls back to back (call(i) issues the i-th, its operands
    rotated), after a warm-up on a side stream as torch.cuda.graphs asks (cuBLAS
    and the allocator set up outside the capture)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for i in range(3):
            call(i)
    torch.cuda.current_stream().wait_stream(side)
    sync()
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for i in range(calls):
            call(i)
    return g


def time_graph(g, calls, min_total_s, reps=5):
    """Median seconds per call of graph replays between CUDA events, replayed
    often enough that a sample lasts min_total_s."""
    start, end = events()
    g.replay()
    start.record()
    g.replay()
    end.record()
    sync()
    replays = max(1, math.ceil(min_total_s / max(elapsed_s(start, end), 1e-6)))
    samples = []
    for _ in range(reps):
        start.record()
        for _ in range(replays):
            g.replay()
        end.record()
        sync()
        samples.append(elapsed_s(start, end) / (replays * calls))
    return statistics.median(samples)


def time_calls(call, copies, min_total_s=0.004, max_graph_calls=256):
    """Median seconds per call, and None; or, where the calls could not be
    captured in a CUDA graph, the eager loop's and why."""
    call(0)
    sync()
    start, end = events()
    start.record()
    call(1)
    end.record()
    sync()
    one = max(elapsed_s(start, end), 1e-6)  # eager: at least the host's cost per call
    calls = max(3, min(max_graph_calls, int(min_total_s / one)))
    if calls >= copies:
        calls -= calls % copies  # replays then keep the rotation's order across their seam
    try:
        g = capture(call, calls)
    except Exception as e:  # noqa: BLE001 - an op the capture refuses: time it eagerly, and say so
        sync()
        eager_calls = max(3, min(2000, int(min_total_s / one)))
        return time_eager(call, eager_calls), f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    try:
        return time_graph(g, calls, min_total_s), None
    finally:
        del g


def rotating(shape_a, shape_b, dtype, fp8=False):
    """Enough operand pairs that cycling them streams from HBM, not the L2."""
    elt = 1 if fp8 else 2
    per = (prod(shape_a) + prod(shape_b)) * elt
    copies = max(2, min(64, cdiv(L2_ROTATE_BYTES, per)))
    mk = torch.float16 if fp8 else dtype
    pairs = []
    for _ in range(copies):
        a = torch.randn(*shape_a, device="cuda", dtype=mk) * 0.1
        b = torch.randn(*shape_b, device="cuda", dtype=mk) * 0.1
        if fp8:
            a = a.to(torch.float8_e4m3fn)
            b = b.to(torch.float8_e4m3fn)
        pairs.append((a, b))
    return pairs


def prod(s):
    p = 1
    for x in s:
        p *= x
    return p


def fp8_timed(batch, m, n, k):
    """Whether the script times an fp8 shape: one product (_scaled_mm is not
    batched) with N and K divisible by 16, which _scaled_mm requires."""
    return batch == 1 and n % 16 == 0 and k % 16 == 0


def fp8_small_m_refusal():
    """None if torch._scaled_mm here takes a row count below 16, else why not."""
    a = torch.zeros(1, 32, device="cuda", dtype=torch.float16).to(torch.float8_e4m3fn)
    b = torch.zeros(32, 32, device="cuda", dtype=torch.float16).to(torch.float8_e4m3fn)
    one = torch.tensor(1.0, device="cuda")
    try:
        torch._scaled_mm(a, b.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16)
        sync()
        return None
    except RuntimeError as e:
        return str(e).splitlines()[0] if str(e) else "RuntimeError"


def gemm_call(batch, m, n, k, dtype, pad_fp8_m=False):
    """call(i), which issues the i-th timed GEMM (operand pair i mod copies), and
    copies; None for an fp8 shape the script does not time. With pad_fp8_m an
    fp8 M that is not a multiple of 16 is timed at the next multiple."""
    if dtype == "fp8":
        if not fp8_timed(batch, m, n, k):
            return None
        rows = cdiv(m, 16) * 16 if pad_fp8_m else m
        pairs = rotating((rows, k), (n, k), None, fp8=True)
        one = torch.tensor(1.0, device="cuda")

        def call(i):
            a, b = pairs[i % len(pairs)]
            torch._scaled_mm(a, b.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16)

        return call, len(pairs)
    pairs = rotating((batch, m, k), (batch, k, n), torch.bfloat16)

    def call(i):
        a, b = pairs[i % len(pairs)]
        torch.bmm(a, b)

    return call, len(pairs)


def attention_cases():
    cases = []
    for heads, kv in ((32, 8), (64, 8), (32, 32)):
        for tp in (1, 2, 4, 8):
            h, k = cdiv(heads, tp), cdiv(kv, tp)
            for batch in (1, 8, 32, 128):
                for ctx in (512, 2048, 8192, 32768):
                    if batch * ctx <= 1 << 20:
                        cases.append(("decode", batch, h, k, 1, ctx))
            for q in (512, 2048, 8192):
                cases.append(("prefill", 1, h, k, q, q))
    return cases


def attention_call(kind, batch, h, kv, q_len, kv_len):
    qs = torch.randn(batch, h, q_len, HEAD_DIM, device="cuda", dtype=torch.bfloat16)
    copies = max(2, min(32, cdiv(L2_ROTATE_BYTES, 2 * batch * kv * kv_len * HEAD_DIM * 2)))
    kvs = [(torch.randn(batch, kv, kv_len, HEAD_DIM, device="cuda", dtype=torch.bfloat16),
            torch.randn(batch, kv, kv_len, HEAD_DIM, device="cuda", dtype=torch.bfloat16)) for _ in range(copies)]
    causal = kind == "prefill"

    def call(i):
        k, v = kvs[i % len(kvs)]
        torch.nn.functional.scaled_dot_product_attention(qs, k, v, is_causal=causal, enable_gqa=(h != kv))

    return call, copies


def smi(query):
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=" + query, "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception as e:  # noqa: BLE001 - best effort, for the record only
        return f"unavailable: {e}"


def gemm_jobs():
    jobs = [("bf16",) + s for s in dense_shapes()]
    jobs += [("fp8",) + s for s in dense_shapes() if fp8_timed(*s)]
    jobs += [("bf16",) + s for s in attention_gemm_shapes()]
    # Interleave so a budget cut leaves every family of shapes sampled.
    return jobs[::2] + jobs[1::2]


def dry_run(args):
    """The job list and the chip decision, without torch or a GPU."""
    jobs = gemm_jobs()
    for j in jobs:
        print(",".join(str(x) for x in j))
    fp8 = [j for j in jobs if j[0] == "fp8"]
    print(f"# {len(jobs)} gemm jobs: {len(jobs) - len(fp8)} bf16, {len(fp8)} fp8 "
          f"({sum(1 for j in fp8 if j[2] < 16)} with M < 16); {len(attention_cases())} attention cases")
    if args.gpu_name is not None:
        chip, why = resolve_hw(args.gpu_name, args.hw)
        if why:
            print(f"gpu-kernel-timings: {why}", file=sys.stderr)
            return 2
        print(f"# rows from a GPU named {args.gpu_name!r} are labelled {chip}")
    return 0


class Env:
    """env.txt, appended to as the run goes, so a run killed midway keeps what it found."""

    def __init__(self, out):
        self.path = os.path.join(out, "env.txt")
        open(self.path, "w").close()

    def write(self, line):
        with open(self.path, "a") as f:
            f.write(line + "\n")


def warm_up(seconds=1.0):
    """Large GEMMs until the clocks have ramped from idle (345 MHz before the H100 run)."""
    a = torch.randn(4096, 4096, device="cuda", dtype=torch.bfloat16)
    t = time.time()
    while time.time() - t < seconds:
        for _ in range(20):
            a @ a
        sync()


def host_floor(env):
    """The per-call host dispatch floor: the smallest GEMM timed by the eager
    loop and by a graph replay."""
    call, copies = gemm_call(1, 1, 128, 128, "bf16")
    call(0)
    sync()
    eager = time_eager(call, 2000)
    graph, why = time_calls(call, copies)
    how = "in a CUDA graph replay" if why is None else f"again eagerly, as the capture failed ({why})"
    env.write(f"host dispatch floor: bf16 1x(1x128x128) takes {eager * 1e6:.2f} us a call in an eager loop, "
              f"{graph * 1e6:.2f} us {how}; an eager timing near the first is the host's pace, not the kernel's")


def run_gemms(args, chip, env, deadline):
    refusal = fp8_small_m_refusal()
    if refusal is None:
        env.write("fp8 M < 16: timed as it is (torch._scaled_mm took M = 1)")
    else:
        env.write(f"fp8 M < 16: timed at M = 16, padded, and written under the true M "
                  f"(torch._scaled_mm refused M = 1: {refusal})")
    jobs = gemm_jobs()
    done = eager = 0
    with open(os.path.join(args.out, "gemm.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["hw", "dtype", "batch", "m", "n", "k", "seconds"])
        f.flush()
        for dtype, b, m, n, k in jobs:
            if time.time() > deadline:
                break
            got = gemm_call(b, m, n, k, dtype, pad_fp8_m=refusal is not None)
            if got is None:
                continue
            s, why = time_calls(*got)
            if why is not None:
                eager += 1
                env.write(f"eager loop, as the graph capture failed: gemm {dtype} {b}x({m}x{n}x{k}): {why}")
            w.writerow([chip, dtype, b, m, n, k, f"{s:.9g}"])
            f.flush()  # whole rows only: a kill between rows leaves a file that imports
            done += 1
            del got
            torch.cuda.empty_cache()  # the rotation and the graph's memory pool
            if done % 50 == 0:
                print(f"{done} gemm shapes, {deadline - time.time():.0f} s left", flush=True)
    print(f"gemm: {done} of {len(jobs)} shapes", flush=True)
    return done, eager


def run_attention(args, env, deadline):
    n_att = eager = 0
    with open(os.path.join(args.out, "attention.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "batch", "heads", "kv_heads", "q_len", "kv_len", "head_dim", "seconds"])
        f.flush()
        for c in attention_cases():
            if time.time() > deadline:
                break
            try:
                s, why = time_calls(*attention_call(*c))
            except Exception as e:  # noqa: BLE001 - a kernel the build lacks: record and go on
                print(f"attention {c}: {e}", file=sys.stderr)
                torch.cuda.empty_cache()
                continue
            if why is not None:
                eager += 1
                env.write(f"eager loop, as the graph capture failed: attention {c}: {why}")
            w.writerow(list(c[:5]) + [c[5], HEAD_DIM, f"{s:.9g}"])
            f.flush()
            n_att += 1
            torch.cuda.empty_cache()
    print(f"attention: {n_att} cases", flush=True)
    return n_att, eager


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--budget", type=float, default=240)
    ap.add_argument("--hw", default=None,
                    help="the catalogued chip; taken from the GPU's name, and refused if it contradicts it")
    ap.add_argument("--dry-run", action="store_true", help="list the jobs without torch or a GPU")
    ap.add_argument("--gpu-name", help="with --dry-run: the GPU name to resolve the chip from")
    args = ap.parse_args()
    if args.dry_run:
        return dry_run(args)
    if not args.out:
        ap.error("--out is required")
    load_torch()
    props = torch.cuda.get_device_properties(0)
    chip, why = resolve_hw(props.name, args.hw)
    if why:
        print(f"gpu-kernel-timings: {why}", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    deadline = t0 + args.budget
    gemm_deadline = t0 + 0.75 * args.budget  # leave a quarter for attention
    torch.backends.cuda.matmul.allow_tf32 = False
    env = Env(args.out)
    env.write(f"gpu {props.name}, {props.multi_processor_count} SMs, {props.total_memory/2**30:.1f} GiB; rows labelled {chip}")
    env.write(f"torch {torch.__version__}, cuda {torch.version.cuda}")
    env.write("clocks before: " + smi("clocks.sm,clocks.mem,driver_version"))
    warm_up()
    host_floor(env)
    done, eager_g = run_gemms(args, chip, env, gemm_deadline)
    n_att, eager_a = run_attention(args, env, deadline)
    env.write("clocks after: " + smi("clocks.sm,clocks.mem"))
    env.write(f"gemm shapes {done} ({eager_g} timed eagerly), attention cases {n_att} ({eager_a} timed eagerly)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
