#!/usr/bin/env python3
"""Check the committed zoo without retraining (needs only onnx + numpy;
onnxruntime is used too when installed):

    python3 circuits/verify_zoo.py

For every circuits/<name>/: onnx.checker.check_model(full_check=True), print the
op list, re-run input.json and every calibration.json row through
onnx.reference.ReferenceEvaluator and compare with the stored output_data and
reference_output.json. Exits non-zero on any mismatch.
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
# (folder, model file): sklearn_mlp also ships the graph pruned to its 'probabilities' output
MODELS = [("mlp_784_128_10", "model.onnx"), ("mlp_784_256_256_10", "model.onnx"), ("lenet5", "model.onnx"),
          ("cnn2_24x24", "model.onnx"), ("sklearn_mlp", "model.onnx"), ("sklearn_mlp", "model_probabilities.onnx")]
TOL = 1e-5  # stored outputs are float32 shortest-repr; the ReferenceEvaluator is deterministic, so expect ~0


def main():
    bad = 0
    for name, fname_model in MODELS:
        d = os.path.join(HERE, name)
        model = onnx.load(os.path.join(d, fname_model))
        onnx.checker.check_model(model, full_check=True)
        ops = [(n.domain + "." if n.domain else "") + n.op_type for n in model.graph.node]
        ref = json.load(open(os.path.join(d, "reference_output.json")))
        out_name = ref["output_name"]
        sess = ReferenceEvaluator(model)
        osess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]) if ort else None
        worst, worst_ort = 0.0, 0.0
        for fname in ("input.json", "calibration.json"):
            data = json.load(open(os.path.join(d, fname)))
            shape = data["input_shapes"][0]
            for row, expect in zip(data["input_data"], data["output_data"]):
                x = np.asarray(row, np.float32).reshape(shape)
                y = np.asarray(sess.run([out_name], {"input": x})[0], np.float32).ravel()
                worst = max(worst, float(np.abs(y - np.asarray(expect, np.float32)).max()))
                if osess is not None:
                    yo = osess.run([out_name], {"input": x})[0].ravel()
                    worst_ort = max(worst_ort, float(np.abs(yo - y).max()))
            if fname == "input.json":
                ok_ref = (int(np.argmax(y)) == ref["argmax"]
                          and np.allclose(y, np.asarray(ref["output_data"][0], np.float32), atol=TOL))
        ok = ok_ref and worst <= TOL
        bad += not ok
        print(f"{'OK ' if ok else 'BAD'} {name}/{fname_model}: ops {ops}; max |ref - stored| {worst:.3g}"
              + (f", max |ort - ref| {worst_ort:.3g}" if osess is not None else ""))
    print(f"{len(MODELS) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
