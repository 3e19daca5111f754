#!/usr/bin/env python3
"""Flips random bits of a proof, one bit per copy, runs `zkml verify --json` on each copy and
checks that every run prints exactly one JSON object with the documented fields, that the exit
status is 1 (rejected) or 2 (not a proof of this format), and that the error code is one the
README documents for that status (README, "zkml verify --json").

Usage: verify_bitflips.py ZKML PROOF VK [--flips N] [--jobs J] [--seed S]
Exits 0 when every run passes; prints a summary (codes seen, time) either way.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HEX64 = re.compile(r"^[0-9a-f]{64}$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
# Fields a failed verification must not report: nothing the proof claims.
CLAIMS = ("input_hash", "input_integers", "output_integers", "output_data", "postprocessing")


def documented_codes():
    """{code: exit status} from the README's table of verify error codes."""
    codes = {}
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| `([a-z_]+)` \| ([012]) \|", line)
            if m:
                codes[m.group(1)] = int(m.group(2))
    return codes


def check_run(status, stdout, codes):
    """Problems with one run's status and output (empty when it is as documented)."""
    problems = []
    lines = stdout.splitlines()
    if len(lines) != 1:
        return [f"expected one line of output, got {len(lines)}: {stdout[:200]!r}"]
    try:
        report = json.loads(lines[0])
    except ValueError as error:
        return [f"not JSON ({error}): {lines[0][:200]!r}"]
    if not isinstance(report, dict):
        return [f"not a JSON object: {lines[0][:200]!r}"]
    if status not in (1, 2):
        problems.append(f"exit status {status}: a proof with a flipped bit must be rejected (1) or refused (2)")
    if report.get("valid") is not False:
        problems.append(f"valid is {report.get('valid')!r}, expected false")
    for field, kind in (("proof_format", int), ("field", str), ("tool_version", str)):
        if not isinstance(report.get(field), kind):
            problems.append(f"{field} missing or not {kind.__name__}")
    if not HEX64.match(str(report.get("model_id", ""))):
        problems.append(f"model_id missing or not 64 hex digits: {report.get('model_id')!r}")
    if "verify_ms" in report and not isinstance(report["verify_ms"], (int, float)):
        problems.append("verify_ms is not a number")
    for field in CLAIMS:
        if field in report:
            problems.append(f"a rejected proof reports {field}")
    error = report.get("error")
    if not isinstance(error, dict):
        return problems + ["error missing or not an object"]
    code = error.get("code")
    if not isinstance(code, str) or not SNAKE.match(code):
        problems.append(f"error.code is not a snake_case string: {code!r}")
    elif code not in codes:
        problems.append(f"error.code {code!r} is not documented in the README")
    elif codes[code] != status:
        problems.append(f"error.code {code!r} is documented with exit {codes[code]}, the run exited {status}")
    if not isinstance(error.get("message"), str) or not error["message"]:
        problems.append("error.message missing or empty")
    if "reason" in error and (not isinstance(error["reason"], str) or not SNAKE.match(error["reason"])):
        problems.append(f"error.reason is not a snake_case string: {error['reason']!r}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("zkml")
    parser.add_argument("proof")
    parser.add_argument("vk")
    parser.add_argument("--flips", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("ZKML_FLIP_SEED", "20240909")))
    args = parser.parse_args()

    codes = documented_codes()
    if not codes:
        print("FAIL the README documents no verify error codes")
        return 1
    original = open(args.proof, "rb").read()
    rng = __import__("random").Random(args.seed)
    bits = rng.sample(range(8 * len(original)), args.flips)
    workdir = tempfile.mkdtemp(prefix="zkml-flips-")

    def run(index_bit):
        index, bit = index_bit
        data = bytearray(original)
        data[bit // 8] ^= 1 << (bit % 8)
        path = os.path.join(workdir, f"{index}.proof")
        with open(path, "wb") as f:
            f.write(data)
        try:
            completed = subprocess.run(
                [args.zkml, "verify", path, "--vk", args.vk, "--json"],
                capture_output=True, text=True, timeout=120)
            status, stdout = completed.returncode, completed.stdout
        except subprocess.TimeoutExpired:
            status, stdout = None, ""
        finally:
            os.unlink(path)
        if status is None:
            return bit, None, ["timed out after 120 s"]
        problems = check_run(status, stdout, codes)
        code = None
        if not problems:
            code = json.loads(stdout)["error"]["code"]
        return bit, code, problems

    start = time.monotonic()
    seen = {}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for bit, code, problems in pool.map(run, enumerate(bits)):
            if problems:
                failures.append((bit, problems))
            else:
                seen[code] = seen.get(code, 0) + 1
    os.rmdir(workdir)
    elapsed = time.monotonic() - start
    summary = ", ".join(f"{code} {count}" for code, count in sorted(seen.items(), key=lambda kv: -kv[1]))
    print(f"     {args.flips} bit flips in {elapsed:.1f} s ({1000 * elapsed / max(1, args.flips):.0f} ms each, "
          f"{args.jobs} at a time): {summary}")
    for bit, problems in failures[:10]:
        print(f"     bit {bit} (byte {bit // 8}): " + "; ".join(problems))
    if failures:
        print(f"     {len(failures)} of {args.flips} runs failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
