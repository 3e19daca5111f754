#!/usr/bin/env python3
"""Whole-process cost of `zkml prove` and `zkml verify` on zoo models: what a user pays per
command, process start to exit (not part of CI; see benches/README.md).

    python3 benches/whole_process.py [--models mlp_784_128_10,lenet5] [--runs 7] [--zkml PATH]
                                     [--out benches/results/whole-process.json]

Per model: `zkml compile` (on the zoo's calibration rows) and `zkml setup` into a temporary
directory, once; then --runs repetitions of `zkml prove DIR INPUT -o PROOF --json` (self-checked,
the command's default) and of `zkml verify PROOF --vk PROOF.vk --json`, alternating. Each command
is its own child process: wall time measured by this parent, peak RSS from os.wait4's rusage of
that child (ru_maxrss: resident pages, including mapped file pages). Reports medians, and the
phases `zkml prove --json` itself reports (key, witness, prove, self-check, write) and
`verify_ms`. JSON to --out, a Markdown table on stdout.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from child_process import last_json, machine, run_child  # noqa: E402  (benches/child_process.py)
DEFAULT_MODELS = ["mlp_784_128_10", "mlp_784_256_256_10", "cnn2_24x24", "lenet5", "cifar_cnn", "sklearn_mlp"]
# The ONNX file of a zoo directory, where it is not model.onnx (skl2onnx's classifier exports two
# outputs, label and probabilities; the probabilities alone are the zoo's proven model).
ONNX_FILE = {"sklearn_mlp": "model_probabilities.onnx"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--zkml", default=os.path.join(ROOT, ".build-release", "release", "zkml"))
    ap.add_argument("--models", default=",".join(DEFAULT_MODELS))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(ROOT, "benches", "results", "whole-process.json"))
    args = ap.parse_args()
    zkml = os.path.abspath(args.zkml)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    doc = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "machine": machine(), "zkml_commit": commit, "runs": args.runs, "models": []}
    with tempfile.TemporaryDirectory(prefix="zkml-whole-process-") as work:
        for name in [m for m in args.models.split(",") if m]:
            zoo = os.path.join(ROOT, "circuits", name)
            d = os.path.join(work, name)
            for argv in ([zkml, "compile", os.path.join(zoo, ONNX_FILE.get(name, "model.onnx")), "--calibration",
                          os.path.join(zoo, "calibration.json"), "-o", d], [zkml, "setup", d]):
                code, out, err, _, _ = run_child(argv)
                if code != 0:
                    sys.exit(f"{name}: {' '.join(argv[1:2])} failed: {err.strip()}")
            proof = os.path.join(work, name + ".proof")
            proves, verifies = [], []
            for _ in range(args.runs):
                code, out, err, wall, rss = run_child(
                    [zkml, "prove", d, os.path.join(zoo, "input.json"), "-o", proof, "--json"])
                report = last_json(out)
                if code != 0 or report is None:
                    sys.exit(f"{name}: prove failed: {err.strip()}")
                # prove_ms includes the self-check; the proving alone is the difference.
                report["proving_ms"] = report["prove_ms"] - (report.get("self_check_ms") or 0)
                proves.append({"wall_ms": wall * 1e3, "peak_rss_mib": rss, **report})
                code, out, err, wall, rss = run_child([zkml, "verify", proof, "--vk", proof + ".vk", "--json"])
                report = last_json(out)
                if code != 0 or report is None:
                    sys.exit(f"{name}: verify failed: {err.strip()}")
                verifies.append({"wall_ms": wall * 1e3, "peak_rss_mib": rss, **report})

            def median(rows, key):
                values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
                return statistics.median(values) if values else None

            row = {"model": name,
                   "prove": {k: median(proves, k) for k in ("wall_ms", "peak_rss_mib", "key_ms", "witness_ms",
                                                             "proving_ms", "self_check_ms", "write_ms", "proof_bytes")},
                   "verify": {k: median(verifies, k) for k in ("wall_ms", "peak_rss_mib", "verify_ms")}}
            doc["models"].append(row)
            print(f"{name}: prove {row['prove']['wall_ms']:.1f} ms, {row['prove']['peak_rss_mib']:.0f} MiB; "
                  f"verify {row['verify']['wall_ms']:.1f} ms", file=sys.stderr, flush=True)
    doc["load_average_at_end"] = os.getloadavg()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"whole process, medians of {args.runs} ({doc['machine'].get('cpu')}, {doc['machine']['nproc']} cores, "
          f"load average {doc['machine']['loadavg_at_start'][0]:.1f} at start):\n")
    print("| model | `zkml prove` wall | of which key / witness / prove / self-check / write | peak RSS | "
          "`zkml verify` wall | `verify_ms` | peak RSS |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for r in doc["models"]:
        p, v = r["prove"], r["verify"]
        phases = " / ".join(f"{p[k]:.1f}" if p[k] is not None else "–"
                            for k in ("key_ms", "witness_ms", "proving_ms", "self_check_ms", "write_ms"))
        print(f"| `{r['model']}` | {p['wall_ms']:.1f} ms | {phases} ms | {p['peak_rss_mib']:.0f} MiB | "
              f"{v['wall_ms']:.1f} ms | {v['verify_ms']:.2f} ms | {v['peak_rss_mib']:.0f} MiB |")


if __name__ == "__main__":
    main()
