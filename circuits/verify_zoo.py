#!/usr/bin/env python3
"""Check the committed zoo without retraining (needs only onnx + numpy;
onnxruntime is used too when installed):

    python3 circuits/verify_zoo.py

For every circuits/<name>/: onnx.checker.check_model(full_check=True), print the
op list, re-run input.json and every calibration.json row through
onnx.reference.ReferenceEvaluator and compare with the stored output_data and
reference_output.json (sklearn_logistic/model_zipmap.onnx: with onnxruntime, as
onnx.reference has no ZipMap). Exits non-zero on any mismatch.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx.reference import ReferenceEvaluator

try:
    import onnxruntime as ort
except ImportError:
    ort = None

HERE = os.path.dirname(os.path.abspath(__file__))
# (folder, model file): sklearn_mlp also ships the graph pruned to its 'probabilities' output,
# sklearn_logistic the default skl2onnx export with a ZipMap output (checked with onnxruntime only:
# onnx.reference has no ZipMap)
MODELS = [("mlp_784_128_10", "model.onnx"), ("mlp_784_256_256_10", "model.onnx"), ("lenet5", "model.onnx"),
          ("cnn2_24x24", "model.onnx"), ("sklearn_mlp", "model.onnx"), ("sklearn_mlp", "model_probabilities.onnx"),
          ("cifar_cnn", "model.onnx"), ("residual_block", "model.onnx"), ("tiny_transformer", "model.onnx"),
          ("tiny_transformer_decomposed", "model.onnx"), ("tiny_transformer_embedded", "model.onnx"),
          ("sklearn_linear", "model.onnx"), ("sklearn_logistic", "model.onnx"),
          ("sklearn_logistic", "model_zipmap.onnx")]
ZIPMAP = {("sklearn_logistic", "model_zipmap.onnx"): "output_probability"}
TOL = 1e-5  # stored outputs are float32 shortest-repr; the ReferenceEvaluator is deterministic, so expect ~0
# relative tolerance for outputs of large magnitude (sklearn_linear predicts values ~25..350)
RTOL = 1e-6


def zipmap_runner(model, out_name):
    """onnxruntime session returning the ZipMap's [{class: p}] as a [1, n] float32 array."""
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])

    def run(x):
        (maps,) = sess.run([out_name], {"input": x})
        return np.asarray([[maps[0][c] for c in sorted(maps[0])]], np.float32)
    return run


def main():
    bad = 0
    skipped = 0
    for name, fname_model in MODELS:
        d = os.path.join(HERE, name)
        model = onnx.load(os.path.join(d, fname_model))
        onnx.checker.check_model(model, full_check=True)
        ops = [(n.domain + "." if n.domain else "") + n.op_type for n in model.graph.node]
        ref = json.load(open(os.path.join(d, "reference_output.json")))
        out_name = ref["output_name"]
        # integer inputs (token ids) stay integers
        in_type = onnx.helper.tensor_dtype_to_np_dtype(model.graph.input[0].type.tensor_type.elem_type)
        if (name, fname_model) in ZIPMAP:
            if ort is None:
                skipped += 1
                print(f"SKIP {name}/{fname_model}: ops {ops}; needs onnxruntime (onnx.reference has no ZipMap)")
                continue
            run, label = zipmap_runner(model, ZIPMAP[(name, fname_model)]), "ort"
            osess = None
        else:
            sess = ReferenceEvaluator(model)
            run, label = (lambda x: np.asarray(sess.run([out_name], {"input": x})[0], np.float32)), "ref"
            osess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]) if ort else None
        worst, worst_ort = 0.0, 0.0
        ok_close = True
        for fname in ("input.json", "calibration.json"):
            data = json.load(open(os.path.join(d, fname)))
            shape = data["input_shapes"][0]
            for row, expect in zip(data["input_data"], data["output_data"]):
                x = np.asarray(row, in_type).reshape(shape)
                y = run(x).ravel()
                e = np.asarray(expect, np.float32)
                worst = max(worst, float(np.abs(y - e).max()))
                ok_close &= bool(np.allclose(y, e, atol=TOL, rtol=RTOL))
                if osess is not None:
                    yo = osess.run([out_name], {"input": x})[0].ravel()
                    worst_ort = max(worst_ort, float(np.abs(yo - y).max()))
            if fname == "input.json":
                ok_ref = (int(np.argmax(y)) == ref["argmax"]
                          and np.allclose(y, np.asarray(ref["output_data"][0], np.float32), atol=TOL, rtol=RTOL))
        ok = ok_ref and ok_close
        bad += not ok
        print(f"{'OK ' if ok else 'BAD'} {name}/{fname_model}: ops {ops}; max |{label} - stored| {worst:.3g}"
              + (f", max |ort - ref| {worst_ort:.3g}" if osess is not None else ""))
    print(f"{len(MODELS) - bad - skipped} passed, {bad} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
