#!/usr/bin/env python3
"""Side by side: swift-zkml (`zkml`) against EZKL (the `ezkl` Python package) on the same zoo
models and the same inputs, in one run. Started by `benches/ezkl/run` inside its virtualenv.

    benches/ezkl/run [--models mlp_784_128_10,cnn2_24x24] [--reps 3] [--setup-timeout 600]

Per model, once per toolkit (timed, one repetition):
  ours  zkml compile MODEL --calibration CAL -o DIR; zkml setup DIR
  EZKL  gen_settings + calibrate_settings (on the same calibration rows), compile_circuit,
        gen_srs (a local test SRS of the calibrated logrows; get_srs would download the public
        one), setup (vk, pk)
Then `--reps` repetitions of prove and verify, alternating the toolkit that goes first:
  ours  `zkml prove DIR INPUT -o PROOF --json` (the library column: prove_ms − self_check_ms, the
        in-process Prover.prove as the library runs it by default, without verifying its own
        proof — like ezkl.prove; the command's self-checked prove_ms is kept as
        prove_checked_ms, and its process wall time as prove_checked_wall_s), the same with
        --skip-self-check (the whole-process column, prove_wall_s: start, key loading, integer
        inference, proving and writing, without the verification EZKL's process does not do
        either; peak RSS is the larger of the two runs') and `zkml verify PROOF --vk PROOF.vk
        --json` (verify_ms)
  EZKL  one process running gen_witness then prove (library timing of each call; the process
        wall time includes Python start and `import ezkl`), and one process running verify.
Every stage runs in its own child process: wall time from the parent, peak RSS from
os.wait4's rusage of that child. Fidelity: max |dequantized proven output - float reference|
(the reference is the ONNX ReferenceEvaluator output stored in the zoo's input.json).
A model is skipped, with the reason recorded, when either toolkit fails on it or EZKL's setup
stages exceed --setup-timeout seconds.
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from child_process import last_json, machine, run_child  # noqa: E402  (benches/child_process.py)
DEFAULT_MODELS = ["mlp_784_128_10", "mlp_784_256_256_10", "cnn2_24x24", "lenet5", "cifar_cnn"]


# ----------------------------------------------------------------------------
# EZKL worker (runs in a child process: `side_by_side.py --ezkl-stage STAGE --dir D ...`)
# ----------------------------------------------------------------------------
def _await(x):
    import asyncio
    import inspect
    return asyncio.run(x) if inspect.isawaitable(x) else x


def ezkl_stage(args):
    import ezkl
    d = args.dir
    p = {k: os.path.join(d, v) for k, v in dict(
        settings="settings.json", compiled="model.compiled", srs="kzg.srs", vk="vk.key", pk="pk.key",
        witness="witness.json", proof="proof.json", cal="calibration_flat.json").items()}
    out = {"stage": args.ezkl_stage}
    t = time.perf_counter
    if args.ezkl_stage == "settings":
        ra = ezkl.PyRunArgs()
        ra.input_visibility = "public"
        ra.output_visibility = "public"
        ra.param_visibility = "fixed"  # weights are constants of the circuit (in the vk), as ours are in C_W
        t0 = t()
        ok = ezkl.gen_settings(args.model, p["settings"], py_run_args=ra)
        out["gen_settings_s"] = t() - t0
        t0 = t()
        _await(ezkl.calibrate_settings(p["cal"], args.model, p["settings"], "resources", lookup_safety_margin=2,
                                       scales=None, scale_rebase_multiplier=[1], max_logrows=args.max_logrows))
        out["calibrate_s"] = t() - t0
        s = json.load(open(p["settings"]))
        out["logrows"] = s["run_args"]["logrows"]
        out["scales"] = {k: s["run_args"].get(k) for k in ("input_scale", "param_scale", "scale_rebase_multiplier")}
        out["ok"] = bool(ok)
    elif args.ezkl_stage == "compile":
        t0 = t()
        out["ok"] = bool(ezkl.compile_circuit(args.model, p["compiled"], p["settings"]))
        out["compile_s"] = t() - t0
    elif args.ezkl_stage == "srs":
        logrows = json.load(open(p["settings"]))["run_args"]["logrows"]
        t0 = t()
        ezkl.gen_srs(p["srs"], logrows)
        out["gen_srs_s"] = t() - t0
        out["ok"] = True
    elif args.ezkl_stage == "setup":
        t0 = t()
        out["ok"] = bool(ezkl.setup(p["compiled"], p["vk"], p["pk"], srs_path=p["srs"], witness_path=None,
                                    disable_selector_compression=False))
        out["setup_s"] = t() - t0
        out["vk_bytes"] = os.path.getsize(p["vk"])
        out["pk_bytes"] = os.path.getsize(p["pk"])
    elif args.ezkl_stage == "prove":
        t0 = t()
        _await(ezkl.gen_witness(args.input, p["compiled"], p["witness"], vk_path=None, srs_path=None))
        out["witness_s"] = t() - t0
        t0 = t()
        _await(ezkl.prove(p["witness"], p["compiled"], p["pk"], p["proof"], srs_path=p["srs"]))
        out["prove_s"] = t() - t0
        w = json.load(open(p["witness"]))
        scales = json.load(open(p["settings"]))["model_output_scales"]
        pretty = (w.get("pretty_elements") or {}).get("rescaled_outputs")
        if pretty:
            out["output_data"] = [float(v) for row in pretty for v in row]
        else:
            out["output_data"] = [ezkl.felt_to_float(v, sc) for row, sc in zip(w["outputs"], scales) for v in row]
        proof = json.load(open(p["proof"]))
        raw = proof.get("proof")
        if isinstance(raw, list):
            out["proof_bytes"] = len(raw)
        elif isinstance(proof.get("hex_proof"), str):
            out["proof_bytes"] = len(proof["hex_proof"].removeprefix("0x")) // 2
        out["proof_file_bytes"] = os.path.getsize(p["proof"])
        out["ok"] = True
    elif args.ezkl_stage == "verify":
        t0 = t()
        out["ok"] = bool(ezkl.verify(p["proof"], p["settings"], p["vk"], srs_path=p["srs"], reduced_srs=False))
        out["verify_s"] = t() - t0
    print(json.dumps(out))
    return 0 if out.get("ok") else 1


# ----------------------------------------------------------------------------
# The orchestrating process
# ----------------------------------------------------------------------------
def max_abs_err(a, b):
    if a is None or b is None or len(a) != len(b):
        return None
    return max(abs(float(x) - float(y)) for x, y in zip(a, b))


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


class Skip(Exception):
    pass


def stage(results, name, argv, timeout, cwd=None, needs_json=True):
    rc, out, err, wall, rss = run_child(argv, timeout, cwd=cwd)
    rep = last_json(out)
    if rc != 0 or (rep is None and needs_json):
        tail = (err.strip().splitlines() or out.strip().splitlines() or ["(no output)"])[-3:]
        raise Skip(f"{name} failed (exit {rc}): " + " | ".join(tail))
    rep = dict(rep or {})
    rep["wall_s"] = wall
    rep["peak_rss_mib"] = rss
    results.append({"stage": name, **{k: v for k, v in rep.items() if k != "output_data"}})
    return rep


def run_model(name, zkml, args, work):
    folder = os.path.join(ROOT, "circuits", name)
    onnx_path = os.path.join(folder, "model.onnx")
    inp = os.path.join(folder, "input.json")
    cal = os.path.join(folder, "calibration.json")
    reference = json.load(open(inp))["output_data"][0]
    res = {"model": name, "ours": {"stages": []}, "ezkl": {"stages": []}}

    # ---- ours: compile + setup
    od = os.path.join(work, name, "zkml")
    shutil.rmtree(od, ignore_errors=True)
    os.makedirs(od)
    try:
        c = stage(res["ours"]["stages"], "compile", [zkml, "compile", onnx_path, "--calibration", cal, "-o", od],
                  args.setup_timeout, needs_json=False)  # compile and setup print text, not JSON
        s = stage(res["ours"]["stages"], "setup", [zkml, "setup", od], args.setup_timeout, needs_json=False)
    except Skip as e:
        res["skipped"] = f"zkml: {e}"
        return res
    res["ours"]["compile_wall_s"] = c["wall_s"]
    res["ours"]["setup_wall_s"] = s["wall_s"]

    # ---- EZKL: settings + calibrate, compile, srs, setup (bounded by --setup-timeout in total)
    ed = os.path.join(work, name, "ezkl")
    shutil.rmtree(ed, ignore_errors=True)
    os.makedirs(ed)
    calib = json.load(open(cal))
    json.dump({"input_data": [[v for row in calib["input_data"] for v in row]]},
              open(os.path.join(ed, "calibration_flat.json"), "w"))
    me = [sys.executable, os.path.abspath(__file__), "--dir", ed, "--model", onnx_path, "--input", inp]
    if args.max_logrows:
        me += ["--max-logrows", str(args.max_logrows)]
    budget = args.setup_timeout
    try:
        for st in ("settings", "compile", "srs", "setup"):
            t0 = time.perf_counter()
            r = stage(res["ezkl"]["stages"], st, me + ["--ezkl-stage", st], max(budget, 1))
            budget -= time.perf_counter() - t0
            res["ezkl"][f"{st}_wall_s"] = r["wall_s"]
            if st == "settings":
                res["ezkl"]["logrows"] = r.get("logrows")
                res["ezkl"]["scales"] = r.get("scales")
            if st == "setup":
                res["ezkl"]["pk_bytes"] = r.get("pk_bytes")
                res["ezkl"]["vk_bytes"] = r.get("vk_bytes")
            if budget <= 0:
                raise Skip(f"EZKL setup stages exceeded {args.setup_timeout} s (stopped after {st})")
    except Skip as e:
        res["skipped"] = f"ezkl: {e}"
        return res
    res["ezkl"]["setup_total_wall_s"] = sum(res["ezkl"][f"{st}_wall_s"] for st in ("settings", "compile", "srs", "setup"))

    # ---- prove + verify, alternating which toolkit goes first
    proof = os.path.join(od, "out.proof")
    ours_reps, ezkl_reps = [], []
    try:
        for rep in range(args.reps):
            order = ("ours", "ezkl") if rep % 2 == 0 else ("ezkl", "ours")
            for tk in order:
                if tk == "ours":
                    p = stage(res["ours"]["stages"], f"prove#{rep}", [zkml, "prove", od, inp, "-o", proof, "--json"],
                              args.prove_timeout)
                    v = stage(res["ours"]["stages"], f"verify#{rep}", [zkml, "verify", proof, "--vk", proof + ".vk",
                                                                       "--json"], args.prove_timeout)
                    if not v.get("valid"):
                        raise Skip(f"zkml verify rejected its proof: {v.get('error')}")
                    # The same command without verifying its own proof: like for like with EZKL's
                    # process, which does not verify what it proves.
                    u = stage(res["ours"]["stages"], f"prove-unchecked#{rep}",
                              [zkml, "prove", od, inp, "-o", proof + ".unchecked", "--json", "--skip-self-check"],
                              args.prove_timeout)
                    checked = p.get("prove_ms")
                    library = None if checked is None else checked - (p.get("self_check_ms") or 0)
                    ours_reps.append({"prove_ms": library, "prove_checked_ms": checked, "prove_wall_s": u["wall_s"],
                                      "prove_checked_wall_s": p["wall_s"],
                                      "prove_rss_mib": max(p["peak_rss_mib"], u["peak_rss_mib"]),
                                      "witness_ms": p.get("witness_ms"),
                                      "key_ms": p.get("key_ms"), "verify_ms": v.get("verify_ms"),
                                      "verify_wall_s": v["wall_s"], "verify_rss_mib": v["peak_rss_mib"],
                                      "proof_bytes": p.get("proof_bytes"),
                                      "max_abs_err": max_abs_err(v.get("output_data"), reference)})
                else:
                    p = stage(res["ezkl"]["stages"], f"prove#{rep}", me + ["--ezkl-stage", "prove"], args.prove_timeout)
                    v = stage(res["ezkl"]["stages"], f"verify#{rep}", me + ["--ezkl-stage", "verify"], args.prove_timeout)
                    ezkl_reps.append({"prove_ms": p["prove_s"] * 1e3, "witness_ms": p["witness_s"] * 1e3,
                                      "prove_wall_s": p["wall_s"], "prove_rss_mib": p["peak_rss_mib"],
                                      "verify_ms": v["verify_s"] * 1e3, "verify_wall_s": v["wall_s"],
                                      "verify_rss_mib": v["peak_rss_mib"], "proof_bytes": p.get("proof_bytes"),
                                      "proof_file_bytes": p.get("proof_file_bytes"),
                                      "max_abs_err": max_abs_err(p.get("output_data"), reference)})
    except Skip as e:
        res["skipped"] = str(e)
        return res
    res["ours"]["reps"], res["ezkl"]["reps"] = ours_reps, ezkl_reps
    for tk, reps in (("ours", ours_reps), ("ezkl", ezkl_reps)):
        res[tk]["median"] = {k: med([r[k] for r in reps]) for k in reps[0] if k != "proof_file_bytes"}
        if tk == "ezkl":
            res[tk]["median"]["proof_file_bytes"] = med([r.get("proof_file_bytes") for r in reps])
    mo, me_ = res["ours"]["median"], res["ezkl"]["median"]

    def ratio(a, b):
        return None if not a or not b else b / a
    res["ratios_ezkl_over_ours"] = {
        "prove_library": ratio(mo["prove_ms"], me_["prove_ms"]),
        "prove_library_self_checked": ratio(mo.get("prove_checked_ms"), me_["prove_ms"]),
        "prove_process": ratio(mo["prove_wall_s"], me_["prove_wall_s"]),
        "prove_process_self_checked": ratio(mo.get("prove_checked_wall_s"), me_["prove_wall_s"]),
        "verify_library": ratio(mo["verify_ms"], me_["verify_ms"]),
        "setup_process": ratio(res["ours"]["compile_wall_s"] + res["ours"]["setup_wall_s"],
                               res["ezkl"]["setup_total_wall_s"]),
        "proof_bytes": ratio(mo["proof_bytes"], me_["proof_bytes"]),
        "prove_peak_rss": ratio(mo["prove_rss_mib"], me_["prove_rss_mib"]),
    }
    return res


def fmt_ms(x):
    if x is None:
        return "–"
    return f"{x / 1000:.2f} s" if x >= 1000 else f"{x:.1f} ms"


def fmt_bytes(b):
    if b is None:
        return "–"
    return f"{b / 1024 / 1024:.2f} MiB" if b >= 1024 * 1024 else f"{b / 1024:.1f} KiB"


def fmt_r(x):
    if x is None:
        return "–"
    return f"{x:,.0f}×" if x >= 10 else (f"{x:.2f}×" if x >= 0.1 else f"1/{1 / x:,.0f}")


def markdown(doc):
    lines = ["| model | toolkit | setup (all stages, process) | prove (library) | prove (whole process) | "
             "verify (library) | proof | peak RSS prove | max \\|err\\| vs float |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for r in doc["models"]:
        if r.get("skipped"):
            notes.append(f"- `{r['model']}`: skipped — {r['skipped']}")
            continue
        o, e = r["ours"], r["ezkl"]
        mo, me_ = o["median"], e["median"]
        rat = r["ratios_ezkl_over_ours"]
        checked = f" ({fmt_ms(mo['prove_checked_ms'])} self-checked)" if mo.get("prove_checked_ms") else ""
        process_checked = (f" ({fmt_ms(mo['prove_checked_wall_s'] * 1e3)} self-checked)"
                           if mo.get("prove_checked_wall_s") else "")
        lines.append(f"| `{r['model']}` | swift-zkml | {fmt_ms((o['compile_wall_s'] + o['setup_wall_s']) * 1e3)} | "
                     f"{fmt_ms(mo['prove_ms'])}{checked} | {fmt_ms(mo['prove_wall_s'] * 1e3)}{process_checked} | "
                     f"{fmt_ms(mo['verify_ms'])} | "
                     f"{fmt_bytes(mo['proof_bytes'])} | {mo['prove_rss_mib']:.0f} MiB | {mo['max_abs_err']:.2g} |")
        lines.append(f"| | EZKL (logrows {e.get('logrows')}) | {fmt_ms(e['setup_total_wall_s'] * 1e3)} | "
                     f"{fmt_ms(me_['prove_ms'])} | {fmt_ms(me_['prove_wall_s'] * 1e3)} | {fmt_ms(me_['verify_ms'])} | "
                     f"{fmt_bytes(me_['proof_bytes'])} | {me_['prove_rss_mib']:.0f} MiB | {me_['max_abs_err']:.2g} |")
        checked_ratio = f" ({fmt_r(rat['prove_library_self_checked'])})" if rat.get("prove_library_self_checked") else ""
        process_ratio = (f" ({fmt_r(rat['prove_process_self_checked'])})"
                         if rat.get("prove_process_self_checked") else "")
        lines.append(f"| | EZKL ÷ swift-zkml | {fmt_r(rat['setup_process'])} | {fmt_r(rat['prove_library'])}{checked_ratio} | "
                     f"{fmt_r(rat['prove_process'])}{process_ratio} | {fmt_r(rat['verify_library'])} | {fmt_r(rat['proof_bytes'])} | "
                     f"{fmt_r(rat['prove_peak_rss'])} | |")
    return "\n".join(lines + ([""] + notes if notes else []))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ezkl-stage", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--zkml", default=os.path.join(ROOT, ".build-release", "release", "zkml"))
    ap.add_argument("--models", default=",".join(DEFAULT_MODELS))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--setup-timeout", type=float, default=600.0, help="seconds for EZKL's setup stages (per model)")
    ap.add_argument("--prove-timeout", type=float, default=1200.0)
    ap.add_argument("--max-logrows", type=int, default=None,
                    help="cap EZKL's calibrated rows at 2^N (calibrate_settings max_logrows); EZKL then trades "
                         "rows for columns. For models whose default calibration needs more memory than the machine has")
    ap.add_argument("--work", default=os.path.join(HERE, ".work"))
    ap.add_argument("--out", default=os.path.join(ROOT, "benches", "results", "ezkl-side-by-side.json"))
    ap.add_argument("--table-from", metavar="JSON", help="only print the Markdown table of an earlier run")
    args = ap.parse_args()
    if args.ezkl_stage:
        return ezkl_stage(args)
    if args.table_from:
        print(markdown(json.load(open(args.table_from))))
        return 0

    import importlib.metadata
    zkml_version = subprocess.run([args.zkml, "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    doc = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "machine": machine(), "ezkl_version": importlib.metadata.version("ezkl"),
           "zkml_version": zkml_version or None, "zkml_commit": commit,
           "python": sys.version.split()[0], "reps": args.reps, "setup_timeout_s": args.setup_timeout,
           "ezkl_max_logrows": args.max_logrows,
           "notes": ["setup stages run once per toolkit and model; prove and verify --reps times, alternating "
                     "which toolkit goes first; medians", "EZKL: input and output public, params fixed, "
                     "calibrate_settings target 'resources' on the zoo's 16 calibration rows, local gen_srs",
                     "ours: default --bits; prove_ms is Prover.prove without its self-verification (the "
                     "library default, like ezkl.prove), prove_checked_ms with it (the command's default)"],
           "models": []}
    os.makedirs(args.work, exist_ok=True)
    for name in [m for m in args.models.split(",") if m]:
        print(f"== {name}", file=sys.stderr, flush=True)
        if not os.path.exists(os.path.join(ROOT, "circuits", name, "model.onnx")):
            doc["models"].append({"model": name, "skipped": "not in circuits/"})
            continue
        r = run_model(name, args.zkml, args, args.work)
        if r.get("skipped"):
            print(f"   skipped: {r['skipped']}", file=sys.stderr, flush=True)
        doc["models"].append(r)
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w") as f:  # rewritten after every model, so a long run keeps what it has
            json.dump(doc, f, indent=1)
            f.write("\n")
    doc["machine"]["loadavg_at_end"] = os.getloadavg()
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"# swift-zkml vs EZKL {doc['ezkl_version']} — {doc['date']}, {doc['machine'].get('cpu')}, "
          f"{doc['machine']['nproc']} cores, {doc['machine'].get('memory_gib')} GiB; medians of {args.reps}\n")
    print(markdown(doc))
    print(f"\n(JSON: {os.path.relpath(args.out, ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
