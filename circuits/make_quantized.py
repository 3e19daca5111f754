#!/usr/bin/env python3
"""Make already-quantized ONNX models for swift-zkml, with ONNX Runtime's own tools.

    python3 circuits/make_quantized.py            # all models below
    python3 circuits/make_quantized.py lenet5_qop  # only the named ones

Reads the committed float zoo models (circuits/make_zoo.py is imported for its
data and JSON helpers; its main() is not run and nothing of the float zoo is
rewritten). Deterministic: fixed seeds, BLAS pinned to one thread, every
onnxruntime session that produces a stored number runs single-threaded, with
graph optimizations off (the *_qdq models: at onnxruntime's default level). Two runs give
byte-identical files.

Models written (each a folder circuits/<name>/):

  mlp_784_128_10_qop   mlp_784_128_10 quantized by onnxruntime.quantization.quantize_static
                       (QOperator format, per-tensor, uint8 activations, int8 weights,
                       MinMax calibration on the source's 16 calibration.json rows):
                       QuantizeLinear, QGemm, QGemm, DequantizeLinear.
  lenet5_qop           lenet5, the same way: QuantizeLinear, QLinearConv, MaxPool (on uint8),
                       QLinearConv, MaxPool, Flatten, 3x QGemm, DequantizeLinear.
  cnn2_24x24_qop       cnn2_24x24, the same way: QuantizeLinear, 2x QLinearConv, Flatten, QGemm,
                       DequantizeLinear.
  mlp_matmul_qop       a float model built here, `mlp_matmul`: mlp_784_128_10 rewritten with
                       MatMul (weights transposed to [in, out]) + Add (1-D bias) + Relu instead of
                       Gemm, quantized the same way: QuantizeLinear, QLinearMatMul,
                       com.microsoft.QLinearAdd (x2 each), DequantizeLinear.
  <name>_qdq           the same four models (mlp_784_128_10, lenet5, cnn2_24x24, mlp_matmul)
                       quantized the same way in onnxruntime's default format, QDQ
                       (QuantFormat.QDQ): the float operators stay, between DequantizeLinear and
                       QuantizeLinear; weights int8 and biases int32 behind DequantizeLinear.
                       onnxruntime, at its default optimization level, fuses the node groups into
                       the QOperator kernels (QLinearConv, QGemm, QLinearMatMul, QLinearAdd).
  <name>_pc            per-channel variants (quantize_static(..., per_channel=True): one int8
                       weight scale and zero point per output channel, a 1-D w_scale / w_zero_point;
                       int32 biases per channel), written the same way as their per-tensor twins:
                       lenet5_qop_pc (QLinearConv, QGemm; per channel), mlp_matmul_qop_pc
                       (QLinearMatMul per output column) and lenet5_qdq_pc (QDQ, the weights'
                       DequantizeLinear with axis 0). Their ort_integers.json hold the first 100
                       inputs of the twins' (N_PC_INTEGER_INPUTS), to keep the zoo small.
  conv_integer_q       built by hand with onnx.helper (no quantization tool), opset 13: the pure
                       integer operators ConvInteger and MatMulInteger with a float middle:
                       QuantizeLinear -> ConvInteger (cnn2_24x24's first conv, int8, pad 1) ->
                       Cast -> Mul -> Add(bias) -> Relu -> Flatten -> QuantizeLinear ->
                       MatMulInteger (int8 readout [2304, 10], ridge-fitted on the digits
                       training split) -> Cast -> Mul -> output float [1, 10].

Quantization in all of the *_qop models (in ONNX Runtime's rounding and saturation): in the
Relu'd layers the Relu is absorbed into the quantized op (its output range starts at 0, zero
point 0); the quantizer is run on the source model as is (quant_pre_process changes nothing in
the op lists here and only adds unused opset imports, so it is not used).

Files per *_qop folder:
  model.onnx               exactly as quantize_static wrote it
  input.json, calibration.json
                           the source model's inputs; output_data = this model's ORT outputs
  reference_output.json    {"output_data", "argmax", "label", "output_name"} for input.json (ORT)
  ort_integers.json        {"model", "onnxruntime", "output_name", "output_scale",
                           "output_zero_point", "inputs": [200 rows], "integers": [200 rows]}:
                           inputs = input.json's sample, the 16 calibration rows, then 183 seeded
                           perturbations (shift, contrast, noise; on the k/255 grid) of those 17;
                           integers = ORT's uint8 output q of the graph without its final
                           DequantizeLinear, minus output_zero_point (q - zp, signed), so that
                           float32(q - zp) * output_scale == the model's float output (checked).
conv_integer_q has input.json, calibration.json, reference_output.json only (its float middle is
not integer-exact, so there is no ort_integers.json).

Files per *_qdq folder: the same, except that every stored number comes from onnxruntime at its
DEFAULT graph optimization level (ORT_ENABLE_ALL, recorded in ort_integers.json as
"graph_optimization_level"; one thread), the fused QOperator kernels users run, and that
ort_integers.json holds the first 100 of those 200 inputs (0.7 MB). The script also runs each
model with optimizations off (ORT_DISABLE_ALL: float Conv/Gemm between DequantizeLinear and
QuantizeLinear) and prints how many output integers differ from the default level's.
"""
import os

# Single-threaded BLAS so float sums happen in a fixed order (reproducible bytes).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import copy
import json
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no circuits/__pycache__ from importing make_zoo
import make_zoo  # noqa: E402  (module import only: definitions, no training, main() is not called)
from make_zoo import dump_json, f32s  # noqa: E402  (the zoo's JSON style: shortest float32 decimals)

OPSET = 13
IR_VERSION = 8
PRODUCER = "swift-zkml circuits/make_quantized.py"
N_INTEGER_INPUTS = 200
PERTURB_SEED = 2024
OUTPUT_NAME = "output"

# ops a QOperator model may contain between its first QuantizeLinear and last DequantizeLinear
INTEGER_OPS = {"QLinearConv", "QLinearMatMul", "com.microsoft.QGemm", "com.microsoft.QLinearAdd",
               "MaxPool", "Flatten", "Reshape"}

QOP_MODELS = {  # folder -> source folder (for inputs / label)
    "mlp_784_128_10_qop": "mlp_784_128_10",
    "lenet5_qop": "lenet5",
    "cnn2_24x24_qop": "cnn2_24x24",
    "mlp_matmul_qop": "mlp_784_128_10",  # source model built by make_mlp_matmul()
}
# The same four models in onnxruntime's default format, QDQ (QuantFormat.QDQ)
QDQ_MODELS = {
    "mlp_784_128_10_qdq": "mlp_784_128_10",
    "lenet5_qdq": "lenet5",
    "cnn2_24x24_qdq": "cnn2_24x24",
    "mlp_matmul_qdq": "mlp_784_128_10",
}
# QDQ ort_integers.json store fewer inputs (the first 100 of the *_qop files' 200): 0.7 MB each
N_QDQ_INTEGER_INPUTS = 100
# float operators a QDQ model may contain, each between DequantizeLinear and QuantizeLinear
QDQ_FLOAT_OPS = {"Conv", "Gemm", "MatMul", "Add", "MaxPool", "Flatten", "Reshape"}
# Per-channel weights (quantize_static(..., per_channel=True)): folder -> (source folder, format)
PC_MODELS = {
    "lenet5_qop_pc": ("lenet5", QuantFormat.QOperator),
    "mlp_matmul_qop_pc": ("mlp_784_128_10", QuantFormat.QOperator),
    "lenet5_qdq_pc": ("lenet5", QuantFormat.QDQ),
}
N_PC_INTEGER_INPUTS = 100
ALL_MODELS = [*QOP_MODELS, *QDQ_MODELS, *PC_MODELS, "conv_integer_q"]


# ----------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------
def load_json(folder, fname):
    with open(os.path.join(HERE, folder, fname)) as f:
        return json.load(f)


def op_list(model):
    return [(n.domain + "." if n.domain else "") + n.op_type for n in model.graph.node]


def initializers(model):
    return {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}


def session(model_bytes):
    """The session every stored number comes from: no graph optimizations, one thread."""
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    return ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])


def default_session(model_bytes):
    """ORT with its default options (all optimizations, default threads), for a cross-check only."""
    return ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])


def run(sess, x, out_name=OUTPUT_NAME):
    return sess.run([out_name], {"input": x})[0]


def snap255(a):
    """Clip to [0, 1] and snap to 8-bit levels k/255 (float32), like the zoo's inputs."""
    return (np.round(np.clip(a, 0.0, 1.0) * 255.0) / 255.0).astype(np.float32)


def source_inputs(src):
    """(input.json sample, calibration rows) of a zoo model, as float32 arrays of the input shape."""
    inp, cal = load_json(src, "input.json"), load_json(src, "calibration.json")
    shape = cal["input_shapes"][0]
    x_s = np.asarray(inp["input_data"][0], np.float32).reshape(inp["input_shapes"][0])
    x_cal = [np.asarray(r, np.float32).reshape(shape) for r in cal["input_data"]]
    return x_s, x_cal, shape


def perturbed_inputs(base, n, seed, max_shift=2):
    """n inputs from the digit-image distribution: each a random one of `base` (arrays of the
    model's input shape, an image of side 24 or 28 flattened or NCHW), shifted by up to
    max_shift pixels (zero fill, like a random crop of a padded image), contrast-scaled by
    U(0.75, 1.25), with additive Gaussian noise (sigma U(0, 0.04)), clipped to [0, 1] and snapped
    to k/255."""
    rng = np.random.default_rng(seed)
    shape = base[0].shape
    side = int(round(np.sqrt(base[0].size)))
    out = []
    for _ in range(n):
        img = base[int(rng.integers(len(base)))].reshape(side, side)
        dy, dx = (int(v) for v in rng.integers(-max_shift, max_shift + 1, size=2))
        padded = np.pad(img, max_shift)
        img = padded[max_shift - dy:max_shift - dy + side, max_shift - dx:max_shift - dx + side]
        img = img * rng.uniform(0.75, 1.25) + rng.normal(0.0, rng.uniform(0.0, 0.04), img.shape)
        out.append(snap255(img).reshape(shape))
    return out


class Reader(CalibrationDataReader):
    """Feeds calibration rows to quantize_static, one batch-1 input at a time."""

    def __init__(self, rows):
        self._it = iter([{"input": r} for r in rows])

    def get_next(self):
        return next(self._it, None)


# ----------------------------------------------------------------------------
# The MatMul-form MLP
# ----------------------------------------------------------------------------
def make_mlp_matmul():
    """mlp_784_128_10 with MatMul + Add(bias) + Relu instead of Gemm(transB=1): the same function,
    weights stored transposed ([in, out], as PyTorch exports Linear layers as MatMul)."""
    src = onnx.load(os.path.join(HERE, "mlp_784_128_10", "model.onnx"))
    w = initializers(src)
    inits = [numpy_helper.from_array(np.ascontiguousarray(w["fc1.weight"].T), "fc1.weight_t"),  # [784, 128]
             numpy_helper.from_array(w["fc1.bias"], "fc1.bias"),                            # [128]
             numpy_helper.from_array(np.ascontiguousarray(w["fc2.weight"].T), "fc2.weight_t"),  # [128, 10]
             numpy_helper.from_array(w["fc2.bias"], "fc2.bias")]                            # [10]
    nodes = [helper.make_node("MatMul", ["input", "fc1.weight_t"], ["matmul_1_out"], name="matmul_1"),
             helper.make_node("Add", ["matmul_1_out", "fc1.bias"], ["add_2_out"], name="add_2"),
             helper.make_node("Relu", ["add_2_out"], ["relu_3_out"], name="relu_3"),
             helper.make_node("MatMul", ["relu_3_out", "fc2.weight_t"], ["matmul_4_out"], name="matmul_4"),
             helper.make_node("Add", ["matmul_4_out", "fc2.bias"], [OUTPUT_NAME], name="add_5")]
    doc = ("MLP 784-128-10 as MatMul + Add + Relu (weights [in, out]); mlp_784_128_10 without Gemm; "
           "logits output; sklearn digits upsampled to 28x28")
    g = helper.make_graph(nodes, "mlp_matmul",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 784])],
                          [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, [1, 10])],
                          initializer=inits, doc_string=doc)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)], producer_name=PRODUCER,
                          producer_version="1", doc_string=doc)
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m, full_check=True)
    return m, src


# ----------------------------------------------------------------------------
# quantize_static (QOperator) models
# ----------------------------------------------------------------------------
def quantize(float_model, calib_rows, quant_format=QuantFormat.QOperator, per_channel=False):
    """ORT's static quantizer, QOperator (or QDQ) format, per-tensor (or per-channel weights),
    uint8 activations / int8 weights."""
    with tempfile.TemporaryDirectory(prefix="make_quantized.") as tmp:
        src, dst = os.path.join(tmp, "float.onnx"), os.path.join(tmp, "quant.onnx")
        onnx.save(float_model, src)
        quantize_static(src, dst, Reader(calib_rows), quant_format=quant_format, per_channel=per_channel,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        with open(dst, "rb") as f:
            return f.read()


def check_integer_only(name, model):
    """Exactly one QuantizeLinear (of the graph input, first node), exactly one DequantizeLinear
    (the last node, producing the graph output), only integer ops in between: no float islands."""
    ops = op_list(model)
    nodes = model.graph.node
    problems = []
    if ops[0] != "QuantizeLinear" or nodes[0].input[0] != model.graph.input[0].name:
        problems.append("first node is not QuantizeLinear(graph input)")
    if ops[-1] != "DequantizeLinear" or nodes[-1].output[0] != model.graph.output[0].name:
        problems.append("last node is not DequantizeLinear -> graph output")
    middle = set(ops[1:-1])
    if middle - INTEGER_OPS:
        problems.append(f"float or unexpected ops in the middle: {sorted(middle - INTEGER_OPS)}")
    if problems:
        raise SystemExit(f"[{name}] not an integer-only graph: {problems}; ops {ops}")
    return True


def strip_output_dequantize(model):
    """A copy of the model whose output is the final DequantizeLinear's (uint8) input.
    Returns (model, output scale, output zero point, name of the integer output)."""
    m = copy.deepcopy(model)
    dq = m.graph.node[-1]
    assert dq.op_type == "DequantizeLinear" and dq.output[0] == m.graph.output[0].name
    inits = initializers(m)
    scale, zp = inits[dq.input[1]], inits[dq.input[2]]
    assert scale.shape == () and zp.shape == (), "per-tensor output quantization expected"
    shape = [d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim]
    q_name = dq.input[0]
    del m.graph.node[-1]
    del m.graph.output[:]
    m.graph.output.append(helper.make_tensor_value_info(q_name, helper.np_dtype_to_tensor_dtype(zp.dtype), shape))
    return m, np.float32(scale), int(zp), q_name


def describe_quant_params(model):
    """Per-tensor scales / zero points the quantizer chose (for the report)."""
    inits = initializers(model)
    rows = []
    for n in model.graph.node:
        for i in n.input:
            if (i.endswith("_scale") or i.endswith("_zero_point")) and i in inits:
                v = inits[i]
                rows.append((i, str(v.dtype), v.shape, v.ravel()[:3].tolist()))
    seen, out = set(), []
    for r in rows:
        if r[0] not in seen:
            seen.add(r[0])
            out.append(r)
    return out


def make_qop(name, float_model, src, x_test=None, y_test=None, per_channel=False, n_inputs=N_INTEGER_INPUTS):
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    x_s, x_cal, shape = source_inputs(src)
    label = load_json(src, "reference_output.json")["label"]

    qbytes = quantize(float_model, x_cal, per_channel=per_channel)
    qmodel = onnx.load_from_string(qbytes)
    onnx.checker.check_model(qmodel, full_check=True)
    ops = op_list(qmodel)
    print(f"[{name}] ops: {ops}")
    check_integer_only(name, qmodel)
    print(f"[{name}] integer-only between QuantizeLinear and the final DequantizeLinear: no float islands; "
          f"DequantizeLinear is the last node: {ops[-1] == 'DequantizeLinear'}")
    for pname, dtype, shp, vals in describe_quant_params(qmodel):
        if shp == ():
            print(f"[{name}]   {pname:<28} {dtype:<7} {vals[0]}")
        else:
            print(f"[{name}]   {pname:<28} {dtype:<7} shape {list(shp)} (per-channel!)")
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(qbytes)

    imodel, out_scale, out_zp, q_name = strip_output_dequantize(qmodel)
    fsess, isess = session(qbytes), session(imodel.SerializeToString())
    dsess = default_session(qbytes)
    fl = session(float_model.SerializeToString())

    inputs = [x_s, *x_cal]
    inputs += perturbed_inputs(inputs, N_INTEGER_INPUTS - len(inputs), PERTURB_SEED)
    inputs = inputs[:n_inputs]
    floats, integers = [], []
    n_default_diff, n_sat, err_unsat = 0, 0, 0.0
    for x in inputs:
        y = run(fsess, x)
        q = run(isess, x, q_name)
        d = (q.astype(np.int32) - out_zp).astype(np.float32) * out_scale  # DequantizeLinear in float32
        if not np.array_equal(d, y):
            raise SystemExit(f"[{name}] dequantized integers != ORT float output: {d} vs {y}")
        if not np.array_equal(run(dsess, x), y):
            n_default_diff += 1
        sat = (q == 0) | (q == 255)
        n_sat += int(sat.any())
        err_unsat = max(err_unsat, float(np.abs(run(fl, x) - y)[~sat].max(initial=0.0)))
        floats.append(y)
        integers.append([int(v) - out_zp for v in q.ravel()])
    print(f"[{name}] output_scale {float(out_scale)!r}, output_zero_point {out_zp}; "
          f"{len(inputs)} inputs: float32(q - zp) * scale == ORT float output for all; "
          f"default-options ORT session differs on {n_default_diff}; "
          f"outputs with a saturated (0 or 255) integer: {n_sat}")

    y_s, ys_cal = floats[0], floats[1:1 + len(x_cal)]
    dump_json(os.path.join(folder, "input.json"), {
        "input_data": [f32s(x_s)], "input_shapes": [shape], "output_data": [f32s(y_s)]})
    dump_json(os.path.join(folder, "calibration.json"), {
        "input_data": [f32s(x) for x in x_cal], "input_shapes": [shape], "output_data": [f32s(y) for y in ys_cal]})
    dump_json(os.path.join(folder, "reference_output.json"), {
        "output_data": [f32s(y_s)], "argmax": int(y_s.argmax()), "label": int(label), "output_name": OUTPUT_NAME})
    dump_json(os.path.join(folder, "ort_integers.json"), {
        "model": name, "onnxruntime": ort.__version__, "output_name": OUTPUT_NAME,
        "output_scale": f32s(out_scale)[0], "output_zero_point": out_zp,
        "inputs": [f32s(x) for x in inputs], "integers": integers})

    # how close to the float source, and test accuracy, for the report
    err = max(float(np.abs(run(fl, x) - y).max()) for x, y in zip(inputs, floats))
    msg = f"[{name}] sample: label {label}, argmax {int(y_s.argmax())}; max |quantized - float source| over the " \
          f"{len(inputs)} inputs {err:.3g} ({err_unsat:.3g} over the unsaturated output integers)"
    if x_test is not None:
        acc_q = float(np.mean([run(fsess, x.reshape(shape)).argmax() == t for x, t in zip(x_test, y_test)]))
        acc_f = float(np.mean([run(fl, x.reshape(shape)).argmax() == t for x, t in zip(x_test, y_test)]))
        msg += f"; test accuracy float {acc_f:.4f}, quantized {acc_q:.4f}"
    print(msg)
    report_sizes(name)


def report_sizes(name):
    folder = os.path.join(HERE, name)
    print(f"[{name}] files: " + ", ".join(f"{f} {os.path.getsize(os.path.join(folder, f))}"
                                          for f in sorted(os.listdir(folder))))


# ----------------------------------------------------------------------------
# quantize_static (QDQ) models
# ----------------------------------------------------------------------------
def check_qdq(name, model):
    """A fully quantized QDQ graph: the first QuantizeLinear reads the graph input, the last node is
    the DequantizeLinear of the graph output, and every other operator reads only DequantizeLinear
    outputs and is read by exactly one QuantizeLinear (no float islands)."""
    nodes, graph_out = model.graph.node, model.graph.output[0].name
    producer = {o: n for n in nodes for o in n.output}
    readers = {}
    for n in nodes:
        for i in n.input:
            readers.setdefault(i, []).append(n)
    problems = []
    first_q = next(n for n in nodes if n.op_type == "QuantizeLinear")
    if first_q.input[0] != model.graph.input[0].name:
        problems.append("the first QuantizeLinear does not read the graph input")
    if nodes[-1].op_type != "DequantizeLinear" or nodes[-1].output[0] != graph_out:
        problems.append("the last node is not DequantizeLinear -> graph output")
    for n in nodes:
        if n.op_type in ("QuantizeLinear", "DequantizeLinear"):
            continue
        if n.op_type not in QDQ_FLOAT_OPS:
            problems.append(f"unexpected op {n.op_type}")
        if any(producer.get(i) is None or producer[i].op_type != "DequantizeLinear" for i in n.input):
            problems.append(f"{n.name}: an input is not a DequantizeLinear output")
        rs = readers.get(n.output[0], [])
        if len(rs) != 1 or rs[0].op_type != "QuantizeLinear":
            problems.append(f"{n.name}: its output is not read by exactly one QuantizeLinear")
    if problems:
        raise SystemExit(f"[{name}] not a fully quantized QDQ graph: {problems}")


def optimized_ops(model_bytes, level):
    """The op list onnxruntime runs at `level` (its optimized graph, saved)."""
    with tempfile.TemporaryDirectory(prefix="make_quantized.") as tmp:
        so = ort.SessionOptions()
        so.graph_optimization_level = level
        so.optimized_model_filepath = os.path.join(tmp, "optimized.onnx")
        so.log_severity_level = 3  # no warning about hardware-specific (NCHWc) graphs at ORT_ENABLE_ALL
        ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])
        return op_list(onnx.load(so.optimized_model_filepath))


def default_level_session(model_bytes):
    """ORT at its default graph optimization level (ORT_ENABLE_ALL: the QDQ node groups are fused into
    QLinearConv / QGemm / ... kernels, what users get), one thread (reproducible; the integer kernels
    do not depend on it)."""
    so = ort.SessionOptions()
    assert so.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_ALL, "ORT's default level changed"
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    return ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])


def make_qdq(name, float_model, src, x_test=None, y_test=None, per_channel=False):
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    x_s, x_cal, shape = source_inputs(src)
    label = load_json(src, "reference_output.json")["label"]

    qbytes = quantize(float_model, x_cal, QuantFormat.QDQ, per_channel=per_channel)
    qmodel = onnx.load_from_string(qbytes)
    onnx.checker.check_model(qmodel, full_check=True)
    print(f"[{name}] ops: {op_list(qmodel)}")
    check_qdq(name, qmodel)
    print(f"[{name}] fully quantized: every float op between DequantizeLinear and one QuantizeLinear")
    for level in (ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
        print(f"[{name}] ORT runs at {level.name}: {optimized_ops(qbytes, level)}")
    for pname, dtype, shp, vals in describe_quant_params(qmodel):
        print(f"[{name}]   {pname:<28} {dtype:<7} " + (f"{vals[0]}" if len(vals) == 1 else f"shape {list(shp)}"))
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(qbytes)

    imodel, out_scale, out_zp, q_name = strip_output_dequantize(qmodel)
    ibytes = imodel.SerializeToString()
    fsess, isess = default_level_session(qbytes), default_level_session(ibytes)
    dsess = session(ibytes)  # optimizations off: float Conv/Gemm between DequantizeLinear and QuantizeLinear
    fl = session(float_model.SerializeToString())

    inputs = [x_s, *x_cal]
    inputs += perturbed_inputs(inputs, N_QDQ_INTEGER_INPUTS - len(inputs), PERTURB_SEED)
    floats, integers = [], []
    n_off_inputs, n_off_integers = 0, 0
    for x in inputs:
        y = run(fsess, x)
        q = run(isess, x, q_name)
        d = (q.astype(np.int32) - out_zp).astype(np.float32) * out_scale  # DequantizeLinear in float32
        if not np.array_equal(d, y):
            raise SystemExit(f"[{name}] dequantized integers != ORT float output: {d} vs {y}")
        differ = int((run(dsess, x, q_name) != q).sum())
        n_off_inputs += int(differ > 0)
        n_off_integers += differ
        floats.append(y)
        integers.append([int(v) - out_zp for v in q.ravel()])
    n_out = sum(len(row) for row in integers)
    print(f"[{name}] output_scale {float(out_scale)!r}, output_zero_point {out_zp}; {len(inputs)} inputs at "
          f"ORT_ENABLE_ALL: float32(q - zp) * scale == ORT float output for all; with ORT_DISABLE_ALL "
          f"(unfused float operators) {n_off_integers} of {n_out} output integers differ ({n_off_inputs} inputs)")

    twin = name.replace("_qdq", "_qop")
    if os.path.exists(os.path.join(HERE, twin, "ort_integers.json")):
        qop = load_json(twin, "ort_integers.json")
        assert [f32s(x) for x in inputs] == qop["inputs"][:len(inputs)], "inputs differ from the QOperator twin's"
        same = sum(a == b for row, other in zip(integers, qop["integers"]) for a, b in zip(row, other))
        print(f"[{name}] output integers equal to {twin}'s (its committed ort_integers.json): {same} of {n_out}")

    y_s, ys_cal = floats[0], floats[1:1 + len(x_cal)]
    dump_json(os.path.join(folder, "input.json"), {
        "input_data": [f32s(x_s)], "input_shapes": [shape], "output_data": [f32s(y_s)]})
    dump_json(os.path.join(folder, "calibration.json"), {
        "input_data": [f32s(x) for x in x_cal], "input_shapes": [shape], "output_data": [f32s(y) for y in ys_cal]})
    dump_json(os.path.join(folder, "reference_output.json"), {
        "output_data": [f32s(y_s)], "argmax": int(y_s.argmax()), "label": int(label), "output_name": OUTPUT_NAME})
    dump_json(os.path.join(folder, "ort_integers.json"), {
        "model": name, "onnxruntime": ort.__version__,
        "graph_optimization_level": ort.GraphOptimizationLevel.ORT_ENABLE_ALL.name, "output_name": OUTPUT_NAME,
        "output_scale": f32s(out_scale)[0], "output_zero_point": out_zp,
        "inputs": [f32s(x) for x in inputs], "integers": integers})

    err = max(float(np.abs(run(fl, x) - y).max()) for x, y in zip(inputs, floats))
    msg = f"[{name}] sample: label {label}, argmax {int(y_s.argmax())}; max |quantized - float source| over the " \
          f"{len(inputs)} inputs {err:.3g}"
    if x_test is not None:
        acc_q = float(np.mean([run(fsess, x.reshape(shape)).argmax() == t for x, t in zip(x_test, y_test)]))
        msg += f"; test accuracy quantized {acc_q:.4f}"
    print(msg)
    report_sizes(name)


# ----------------------------------------------------------------------------
# conv_integer_q: ConvInteger / MatMulInteger by hand
# ----------------------------------------------------------------------------
def conv_relu_features(xq, wq, x_scale, w_scale, bias, pad=1):
    """numpy float64 version of QuantizeLinear'd input -> ConvInteger -> scale -> bias -> Relu,
    flattened: (N, 4*24*24). For calibrating the second QuantizeLinear and fitting the readout."""
    n, _, h, w = xq.shape
    o, _, k, _ = wq.shape
    xp = np.pad(xq.astype(np.int64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    acc = np.zeros((n, o, h, w), np.int64)
    for i in range(k):
        for j in range(k):
            acc += np.einsum("nhw,o->nohw", xp[:, 0, i:i + h, j:j + w], wq[:, 0, i, j].astype(np.int64))
    y = acc.astype(np.float64) * (float(x_scale) * float(w_scale)) + bias.astype(np.float64)[None, :, None, None]
    return np.maximum(y, 0.0).reshape(n, -1)


def quantize_sym_int8(w):
    scale = np.float32(np.abs(w).max() / 127.0)
    return np.clip(np.round(w / scale), -127, 127).astype(np.int8), scale


def build_conv_integer_q(x_scale, wq1, bias1, w1_scale, h_scale, wq2, w2_scale):
    def scalar(name, v, dtype):
        return numpy_helper.from_array(np.array(v, dtype), name)

    inits = [scalar("x_scale", x_scale, np.float32), scalar("x_zero_point", 0, np.uint8),
             numpy_helper.from_array(wq1, "conv1.weight_quantized"),                       # int8 [4, 1, 3, 3]
             scalar("conv1.rescale", np.float32(x_scale) * np.float32(w1_scale), np.float32),
             numpy_helper.from_array(bias1.reshape(1, -1, 1, 1).astype(np.float32), "conv1.bias"),  # [1, 4, 1, 1]
             scalar("h_scale", h_scale, np.float32), scalar("h_zero_point", 0, np.uint8),
             numpy_helper.from_array(wq2, "readout.weight_quantized"),                     # int8 [2304, 10]
             scalar("readout.weight_zero_point", 0, np.int8),
             scalar("readout.rescale", np.float32(h_scale) * np.float32(w2_scale), np.float32)]
    nodes = [
        helper.make_node("QuantizeLinear", ["input", "x_scale", "x_zero_point"], ["x_q"], name="quantize_input"),
        # w_zero_point omitted (optional input, default 0); x_zero_point given
        helper.make_node("ConvInteger", ["x_q", "conv1.weight_quantized", "x_zero_point"], ["conv1_acc"],
                         name="conv1_integer", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1],
                         dilations=[1, 1], group=1),
        helper.make_node("Cast", ["conv1_acc"], ["conv1_acc_f"], name="cast_1", to=TensorProto.FLOAT),
        helper.make_node("Mul", ["conv1_acc_f", "conv1.rescale"], ["conv1_scaled"], name="mul_1"),
        helper.make_node("Add", ["conv1_scaled", "conv1.bias"], ["conv1_out"], name="add_1"),
        helper.make_node("Relu", ["conv1_out"], ["relu_1_out"], name="relu_1"),
        helper.make_node("Flatten", ["relu_1_out"], ["flatten_out"], name="flatten", axis=1),
        helper.make_node("QuantizeLinear", ["flatten_out", "h_scale", "h_zero_point"], ["h_q"], name="quantize_h"),
        # both zero points given
        helper.make_node("MatMulInteger", ["h_q", "readout.weight_quantized", "h_zero_point",
                                           "readout.weight_zero_point"], ["readout_acc"], name="readout_integer"),
        helper.make_node("Cast", ["readout_acc"], ["readout_acc_f"], name="cast_2", to=TensorProto.FLOAT),
        helper.make_node("Mul", ["readout_acc_f", "readout.rescale"], [OUTPUT_NAME], name="mul_2"),
    ]
    doc = ("ConvInteger/MatMulInteger model: QuantizeLinear(uint8, zp 0) -> ConvInteger(int8 conv1 of cnn2_24x24, "
           "3x3 pad 1) -> Cast -> Mul -> Add(bias) -> Relu -> Flatten -> QuantizeLinear(uint8, zp 0) -> "
           "MatMulInteger(int8 ridge readout 2304->10) -> Cast -> Mul; input 1x1x24x24 digits, scores output")
    g = helper.make_graph(nodes, "conv_integer_q",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 24, 24])],
                          [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, [1, 10])],
                          initializer=inits, doc_string=doc)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)], producer_name=PRODUCER,
                          producer_version="1", doc_string=doc)
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m, full_check=True)
    return m


def make_conv_integer_q(x_train, y_train, x_test, y_test):
    name, src = "conv_integer_q", "cnn2_24x24"
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    x_s, x_cal, shape = source_inputs(src)
    label = load_json(src, "reference_output.json")["label"]
    w = initializers(onnx.load(os.path.join(HERE, src, "model.onnx")))
    w1, b1 = w["conv1.weight"], w["conv1.bias"]  # [4, 1, 3, 3], [4]

    # input quantization: calibration max / 255, zero point 0 (the inputs are >= 0)
    x_scale = np.float32(max(float(x.max()) for x in x_cal) / 255.0)
    wq1, w1_scale = quantize_sym_int8(w1)

    def xq_of(x):  # QuantizeLinear: round half to even, saturate
        return np.clip(np.rint(np.asarray(x, np.float32) / x_scale), 0, 255).astype(np.uint8)

    h_cal = conv_relu_features(xq_of(np.concatenate(x_cal)), wq1, x_scale, w1_scale, b1)
    h_scale = np.float32(h_cal.max() / 255.0)

    # readout: ridge regression (no intercept) of one-hot labels on the Relu features of the
    # digits training split, in float64; then int8 symmetric per-tensor
    f_tr = conv_relu_features(xq_of(x_train), wq1, x_scale, w1_scale, b1)
    y1 = np.eye(10)[y_train]
    gram = f_tr.T @ f_tr
    lam = 1e-2 * np.trace(gram) / gram.shape[0]
    readout = np.linalg.solve(gram + lam * np.eye(gram.shape[0]), f_tr.T @ y1)  # [2304, 10]
    wq2, w2_scale = quantize_sym_int8(readout.astype(np.float32))
    f_te = conv_relu_features(xq_of(x_test), wq1, x_scale, w1_scale, b1)
    acc_float = float(((f_te @ readout).argmax(1) == y_test).mean())

    model = build_conv_integer_q(x_scale, wq1, b1, w1_scale, h_scale, wq2, w2_scale)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    print(f"[{name}] ops: {op_list(model)}")
    print(f"[{name}] x_scale {float(x_scale)!r} (zp 0), conv1 w_scale {float(w1_scale)!r}, "
          f"h_scale {float(h_scale)!r} (zp 0), readout w_scale {float(w2_scale)!r}; ridge lambda {lam:.4g}")

    mbytes = model.SerializeToString()
    sess, dsess, ref = session(mbytes), default_session(mbytes), ReferenceEvaluator(model)
    ys = [run(sess, x) for x in [x_s, *x_cal]]
    d_ort = max(float(np.abs(run(dsess, x) - y).max()) for x, y in zip([x_s, *x_cal], ys))
    d_ref = max(float(np.abs(ref.run([OUTPUT_NAME], {"input": x})[0] - y).max()) for x, y in zip([x_s, *x_cal], ys))
    acc_q = float(np.mean([run(sess, x.reshape(shape)).argmax() == t for x, t in zip(x_test, y_test)]))
    print(f"[{name}] test accuracy: float readout {acc_float:.4f}, ONNX model {acc_q:.4f}; sample: label {label}, "
          f"argmax {int(ys[0].argmax())}; max |ORT default options - ORT| {d_ort:.3g}, "
          f"max |onnx.reference - ORT| {d_ref:.3g} (sample + calibration)")

    dump_json(os.path.join(folder, "input.json"), {
        "input_data": [f32s(x_s)], "input_shapes": [shape], "output_data": [f32s(ys[0])]})
    dump_json(os.path.join(folder, "calibration.json"), {
        "input_data": [f32s(x) for x in x_cal], "input_shapes": [shape], "output_data": [f32s(y) for y in ys[1:]]})
    dump_json(os.path.join(folder, "reference_output.json"), {
        "output_data": [f32s(ys[0])], "argmax": int(ys[0].argmax()), "label": int(label), "output_name": OUTPUT_NAME})
    report_sizes(name)


# ----------------------------------------------------------------------------
def main(argv):
    selected = set(argv) or set(ALL_MODELS)
    unknown = selected - set(ALL_MODELS)
    if unknown:
        sys.exit(f"unknown model(s) {sorted(unknown)}; choose from {ALL_MODELS}")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, onnx {onnx.__version__}, "
          f"onnxruntime {ort.__version__}")

    # the digits split of make_zoo.py, for test accuracies and the conv_integer_q readout
    x8, y, tr, te = make_zoo.load_data()
    x28, x24 = make_zoo.upsample(x8, 28), make_zoo.upsample(x8, 24)
    test_sets = {"mlp_784_128_10": x28[te].reshape(-1, 784), "lenet5": x28[te].reshape(-1, 1, 28, 28),
                 "cnn2_24x24": x24[te].reshape(-1, 1, 24, 24)}
    # the committed calibration rows are the first 16 training samples: make sure the split matches
    cal = np.asarray(load_json("cnn2_24x24", "calibration.json")["input_data"], np.float32)
    assert np.array_equal(cal, x24[tr][:len(cal)].reshape(len(cal), -1)), "digits split differs from the zoo's"

    for name, src in QOP_MODELS.items():
        if name not in selected:
            continue
        if name == "mlp_matmul_qop":
            float_model, gemm_model = make_mlp_matmul()
            a, b = session(float_model.SerializeToString()), session(gemm_model.SerializeToString())
            diff = max(float(np.abs(run(a, x.reshape(1, 784)) - run(b, x.reshape(1, 784))).max())
                       for x in test_sets[src])
            print(f"[mlp_matmul] float MatMul model vs mlp_784_128_10 (Gemm), 360 test inputs: max |diff| {diff:.3g}")
        else:
            float_model = onnx.load(os.path.join(HERE, src, "model.onnx"))
        make_qop(name, float_model, src, test_sets[src], y[te])

    for name, src in QDQ_MODELS.items():
        if name not in selected:
            continue
        float_model = make_mlp_matmul()[0] if name == "mlp_matmul_qdq" else onnx.load(os.path.join(HERE, src, "model.onnx"))
        make_qdq(name, float_model, src, test_sets[src], y[te])

    for name, (src, quant_format) in PC_MODELS.items():
        if name not in selected:
            continue
        float_model = make_mlp_matmul()[0] if name.startswith("mlp_matmul") else onnx.load(os.path.join(HERE, src, "model.onnx"))
        if quant_format == QuantFormat.QDQ:
            make_qdq(name, float_model, src, test_sets[src], y[te], per_channel=True)
        else:
            make_qop(name, float_model, src, test_sets[src], y[te], per_channel=True, n_inputs=N_PC_INTEGER_INPUTS)

    if "conv_integer_q" in selected:
        make_conv_integer_q(x24[tr].reshape(-1, 1, 24, 24), y[tr], x24[te].reshape(-1, 1, 24, 24), y[te])


if __name__ == "__main__":
    main(sys.argv[1:])
