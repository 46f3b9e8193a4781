#!/usr/bin/env python3
"""Time batched GEMMs and attention on one NVIDIA GPU over aiecon's serving shapes.

What it measures, for `aiecon calibrate import FILE --hw CHIP`:

  gemm.csv       hw,dtype,batch,m,n,k,seconds: one batched GEMM (batch independent
                 (m x k)(k x n) products) on one GPU, the median of repeated timed
                 loops, with operands rotated through more memory than the L2 holds so
                 weights stream from HBM as they do in serving (every layer's weights
                 differ). Shapes: the projections, MLPs and LM heads of Llama-3-8B,
                 Llama-2/3-70B and Mistral-7B at TP 1, 2, 4 and 8 (N and K as
                 model/llm shards them) for M = tokens from 1 to 8192; and the
                 attention-shaped products model/llm prices attention with (batch = KV
                 heads x sequences, m = query rows per KV head, n = keys, k = 128).
  attention.csv  kind,batch,heads,kv_heads,q_len,kv_len,head_dim,seconds: real
                 scaled-dot-product attention (PyTorch's fused kernels) for decode
                 (q_len 1) and causal prefill, for the report in docs/calibration.md;
                 not imported.
  env.txt        GPU, driver, torch and CUDA versions, clocks before and after.

It needs only PyTorch with CUDA. It stops starting new shapes after --budget seconds
and writes what it has, so a bounded device lease always returns data.
Run: python3 scripts/gpu-kernel-timings.py --out DIR [--budget 240] [--hw H200]
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys
import time

import torch

L2_ROTATE_BYTES = 512 << 20  # rotate operands through 512 MiB: ~8x an H100/H200 L2

# (name, hidden, heads, kv_heads, ffn, vocab) of dense Llama-style models.
MODELS = [
    ("llama-3-8b", 4096, 32, 8, 14336, 128256),
    ("mistral-7b", 4096, 32, 8, 14336, 32000),
    ("llama-2-7b", 4096, 32, 32, 11008, 32000),
    ("llama-2-13b", 5120, 40, 40, 13824, 32000),
    ("llama-70b", 8192, 64, 8, 28672, 128256),
]
HEAD_DIM = 128
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


def time_loop(fn, min_total_s=0.004, reps=5):
    """Median seconds per call: CUDA-event-timed loops of enough calls to last min_total_s."""
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    fn()
    end.record()
    torch.cuda.synchronize()
    one = max(start.elapsed_time(end) / 1e3, 1e-6)
    calls = max(3, min(2000, int(min_total_s / one)))
    samples = []
    for _ in range(reps):
        start.record()
        for _ in range(calls):
            fn()
        end.record()
        torch.cuda.synchronize()
        samples.append(start.elapsed_time(end) / 1e3 / calls)
    return statistics.median(samples)


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


def gemm_fn(batch, m, n, k, dtype):
    if dtype == "fp8":
        if batch != 1 or m % 16 or n % 16 or k % 16:
            return None
        pairs = rotating((m, k), (n, k), None, fp8=True)
        one = torch.tensor(1.0, device="cuda")
        state = [0]

        def fn():
            a, b = pairs[state[0] % len(pairs)]
            state[0] += 1
            torch._scaled_mm(a, b.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16)

        return fn
    pairs = rotating((batch, m, k), (batch, k, n), torch.bfloat16)
    state = [0]

    def fn():
        a, b = pairs[state[0] % len(pairs)]
        state[0] += 1
        torch.bmm(a, b)

    return fn


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


def attention_fn(kind, batch, h, kv, q_len, kv_len):
    qs = torch.randn(batch, h, q_len, HEAD_DIM, device="cuda", dtype=torch.bfloat16)
    copies = max(2, min(32, cdiv(L2_ROTATE_BYTES, 2 * batch * kv * kv_len * HEAD_DIM * 2)))
    kvs = [(torch.randn(batch, kv, kv_len, HEAD_DIM, device="cuda", dtype=torch.bfloat16),
            torch.randn(batch, kv, kv_len, HEAD_DIM, device="cuda", dtype=torch.bfloat16)) for _ in range(copies)]
    state = [0]
    causal = kind == "prefill"

    def fn():
        k, v = kvs[state[0] % len(kvs)]
        state[0] += 1
        torch.nn.functional.scaled_dot_product_attention(qs, k, v, is_causal=causal, enable_gqa=(h != kv))

    return fn


def smi(query):
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=" + query, "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception as e:  # noqa: BLE001 - best effort, for the record only
        return f"unavailable: {e}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--budget", type=float, default=240)
    ap.add_argument("--hw", default="H200")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    deadline = t0 + args.budget
    gemm_deadline = t0 + 0.75 * args.budget  # leave a quarter for attention
    torch.backends.cuda.matmul.allow_tf32 = False
    props = torch.cuda.get_device_properties(0)
    with open(os.path.join(args.out, "env.txt"), "w") as f:
        f.write(f"gpu {props.name}, {props.multi_processor_count} SMs, {props.total_memory/2**30:.1f} GiB\n")
        f.write(f"torch {torch.__version__}, cuda {torch.version.cuda}\n")
        f.write("clocks before: " + smi("clocks.sm,clocks.mem,driver_version") + "\n")

    jobs = [("bf16",) + s for s in dense_shapes()]
    jobs += [("fp8",) + s for s in dense_shapes()]
    jobs += [("bf16",) + s for s in attention_gemm_shapes()]
    # Interleave so a budget cut leaves every family of shapes sampled.
    jobs = jobs[::2] + jobs[1::2]
    done = 0
    with open(os.path.join(args.out, "gemm.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["hw", "dtype", "batch", "m", "n", "k", "seconds"])
        for dtype, b, m, n, k in jobs:
            if time.time() > gemm_deadline:
                break
            fn = gemm_fn(b, m, n, k, dtype)
            if fn is None:
                continue
            s = time_loop(fn)
            w.writerow([args.hw, dtype, b, m, n, k, f"{s:.9g}"])
            done += 1
            del fn
            if done % 50 == 0:
                f.flush()
                torch.cuda.empty_cache()
                print(f"{done} gemm shapes, {deadline - time.time():.0f} s left", flush=True)
    print(f"gemm: {done} of {len(jobs)} shapes", flush=True)
    n_att = 0
    with open(os.path.join(args.out, "attention.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "batch", "heads", "kv_heads", "q_len", "kv_len", "head_dim", "seconds"])
        for c in attention_cases():
            if time.time() > deadline:
                break
            try:
                s = time_loop(attention_fn(*c))
            except Exception as e:  # noqa: BLE001 - a kernel the build lacks: record and go on
                print(f"attention {c}: {e}", file=sys.stderr)
                continue
            w.writerow(list(c[:5]) + [c[5], HEAD_DIM, f"{s:.9g}"])
            n_att += 1
            torch.cuda.empty_cache()
    print(f"attention: {n_att} cases", flush=True)
    with open(os.path.join(args.out, "env.txt"), "a") as f:
        f.write("clocks after: " + smi("clocks.sm,clocks.mem") + "\n")
        f.write(f"gemm shapes {done}, attention cases {n_att}\n")


if __name__ == "__main__":
    main()
