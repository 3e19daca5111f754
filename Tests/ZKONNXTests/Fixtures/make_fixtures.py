#!/usr/bin/env python3
"""Builds the ONNX fixtures of ZKONNXTests (run from anywhere; needs `pip install onnx numpy`).

    python3 Tests/ZKONNXTests/Fixtures/make_fixtures.py

Writes, next to this script, directories in ONNX's backend-test layout
(`<case>/model.onnx`, `<case>/test_data_set_0/input_*.pb`, `output_*.pb`):

  models/       small models built here with onnx.helper; expected outputs from
                onnx.reference.ReferenceEvaluator (or numpy where the reference lacks an old opset)
  onnx-node/    a curated subset of ONNX's own node tests for the supported operators, generated
                from the onnx package's test cases (the wheel no longer ships their data)
  onnx-pytorch/ a few of the pytorch-converted backend tests the wheel ships (old opsets)
  unsupported/  models that must fail with every unsupported node listed

Fixtures were generated with onnx 1.23.2 and numpy; seeds are fixed so reruns are identical.
The models/ort_* cases (onnxruntime's com.microsoft quantized operators, outputs from
onnxruntime 1.32.0 on x86-64 with AVX2; the two ort_quantize_static_qdq* cases at onnxruntime's
default optimization level, the others with optimizations off) can be rebuilt alone:

    python3 Tests/ZKONNXTests/Fixtures/make_fixtures.py ort
"""
import os
import shutil
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(20240611)


def serialized(value, name):
    if isinstance(value, TensorProto):
        return value.SerializeToString()
    return numpy_helper.from_array(np.asarray(value), name).SerializeToString()


def write_case(directory, model, inputs, outputs):
    if os.path.exists(directory):
        shutil.rmtree(directory)
    data = os.path.join(directory, "test_data_set_0")
    os.makedirs(data)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    for i, (name, value) in enumerate(inputs):
        with open(os.path.join(data, f"input_{i}.pb"), "wb") as f:
            f.write(serialized(value, name))
    for i, (name, value) in enumerate(outputs):
        with open(os.path.join(data, f"output_{i}.pb"), "wb") as f:
            f.write(serialized(value, name))


def model_from(nodes, inputs, outputs, initializers, opset, ir_version=None, extra_opsets=()):
    graph = helper.make_graph(nodes, "fixture", inputs, outputs, initializer=initializers)
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="make_fixtures")
    if ir_version is not None:
        model.ir_version = ir_version
    elif opset <= 8:
        model.ir_version = 4
    return model


def weight(name, *shape, scale=0.5):
    return numpy_helper.from_array((RNG.standard_normal(shape) * scale).astype(np.float32), name)


def tensor_input(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def reference_case(name, model, feeds, check=True):
    if check:
        onnx.checker.check_model(model)
    session = ReferenceEvaluator(model)
    results = session.run(None, feeds)
    outputs = [(o.name, r) for o, r in zip(model.graph.output, results)]
    write_case(os.path.join(HERE, "models", name), model, list(feeds.items()), outputs)


def build_models():
    # MLP: Gemm (transB) → Relu → Gemm → Softmax, opset 13.
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1", transB=1),
        helper.make_node("Relu", ["h"], ["a"], name="relu1"),
        helper.make_node("Gemm", ["a", "w2", "b2"], ["logits"], name="fc2", transB=1, alpha=0.5, beta=2.0),
        helper.make_node("Softmax", ["logits"], ["y"], name="softmax"),
    ]
    model = model_from(
        nodes, [tensor_input("x", [1, 8])], [tensor_input("y", [1, 4])],
        [weight("w1", 16, 8), weight("b1", 16), weight("w2", 4, 16), weight("b2", 4)], 13)
    reference_case("mlp_gemm_relu", model, {"x": RNG.standard_normal((1, 8)).astype(np.float32)})

    # CNN: Conv(pad 1) → Relu → MaxPool 2x2 → Flatten → Gemm, opset 11.
    nodes = [
        helper.make_node("Conv", ["x", "cw", "cb"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "fw", "fb"], ["y"], name="fc", transB=1),
    ]
    model = model_from(
        nodes, [tensor_input("x", [1, 1, 8, 8])], [tensor_input("y", [1, 5])],
        [weight("cw", 4, 1, 3, 3), weight("cb", 4), weight("fw", 5, 64, scale=0.2), weight("fb", 5)], 11)
    reference_case("cnn_conv_pool_gemm", model, {"x": RNG.standard_normal((1, 1, 8, 8)).astype(np.float32)})

    # Torch-style dynamic reshape: symbolic batch; Shape → Gather → Unsqueeze → Concat → Reshape
    # (x.view(x.size(0), -1)), with Dropout and Identity, opset 13.
    nodes = [
        helper.make_node("Conv", ["x", "cw"], ["c"], name="/conv/Conv", kernel_shape=[3, 3], strides=[2, 2],
                         auto_pad="SAME_UPPER"),
        helper.make_node("Sigmoid", ["c"], ["s"], name="/act/Sigmoid"),
        helper.make_node("Shape", ["s"], ["shape"], name="/Shape"),
        helper.make_node("Constant", [], ["zero"], name="/Constant", value=numpy_helper.from_array(np.array(0, np.int64))),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="/Gather", axis=0),
        helper.make_node("Constant", [], ["axes"], name="/Constant_1", value=numpy_helper.from_array(np.array([0], np.int64))),
        helper.make_node("Unsqueeze", ["batch", "axes"], ["batch1"], name="/Unsqueeze"),
        helper.make_node("Constant", [], ["minus1"], name="/Constant_2", value=numpy_helper.from_array(np.array([-1], np.int64))),
        helper.make_node("Concat", ["batch1", "minus1"], ["target"], name="/Concat", axis=0),
        helper.make_node("Reshape", ["s", "target"], ["flat"], name="/Reshape"),
        helper.make_node("Dropout", ["flat"], ["dropped", "mask"], name="/dropout/Dropout"),
        helper.make_node("Identity", ["dropped"], ["same"], name="/Identity"),
        helper.make_node("MatMul", ["same", "fw"], ["mm"], name="/fc/MatMul"),
        helper.make_node("Add", ["mm", "fb"], ["y"], name="/fc/Add"),
    ]
    model = model_from(
        nodes, [tensor_input("x", ["batch", 2, 6, 6])], [tensor_input("y", ["batch", 3])],
        [weight("cw", 3, 2, 3, 3), weight("fw", 27, 3, scale=0.3), weight("fb", 3)], 13)
    reference_case("torch_dynamic_reshape", model, {"x": RNG.standard_normal((1, 2, 6, 6)).astype(np.float32)})

    # Conv → BatchNormalization → Relu → GlobalAveragePool → Flatten, opset 15.
    nodes = [
        helper.make_node("Conv", ["x", "cw", "cb"], ["c"], name="conv", kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization", ["c", "scale", "bias", "mean", "var"], ["bn"], name="bn", epsilon=1e-3),
        helper.make_node("Relu", ["bn"], ["r"], name="relu"),
        helper.make_node("GlobalAveragePool", ["r"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["y"], name="flatten"),
    ]
    variance = numpy_helper.from_array((RNG.random(6) + 0.5).astype(np.float32), "var")
    model = model_from(
        nodes, [tensor_input("x", [2, 3, 7, 7])], [tensor_input("y", [2, 6])],
        [weight("cw", 6, 3, 3, 3), weight("cb", 6), weight("scale", 6), weight("bias", 6), weight("mean", 6), variance],
        15)
    reference_case("conv_batchnorm_gap", model, {"x": RNG.standard_normal((2, 3, 7, 7)).astype(np.float32)})

    # Depthwise conv (SAME_LOWER, stride 2) → AveragePool count_include_pad → Tanh, opset 13.
    nodes = [
        helper.make_node("Conv", ["x", "dw", "db"], ["c"], name="depthwise", kernel_shape=[3, 3], strides=[2, 2],
                         group=4, auto_pad="SAME_LOWER"),
        helper.make_node("AveragePool", ["c"], ["p"], name="avg", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         count_include_pad=1),
        helper.make_node("Tanh", ["p"], ["y"], name="tanh"),
    ]
    model = model_from(
        nodes, [tensor_input("x", [1, 4, 9, 9])], [tensor_input("y", [1, 8, 5, 5])],
        [weight("dw", 8, 1, 3, 3), weight("db", 8)], 13)
    reference_case("depthwise_avgpool", model, {"x": RNG.standard_normal((1, 4, 9, 9)).astype(np.float32)})

    # skl2onnx-style MLPClassifier: MatMul + Add + Relu, MatMul + Add, Softmax; with an
    # ai.onnx.ml opset import (unused), opset 15; plus Clip (inputs) and Transpose + Concat.
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["m1"], name="MatMul"),
        helper.make_node("Add", ["m1", "b1"], ["a1"], name="Add"),
        helper.make_node("Relu", ["a1"], ["r1"], name="Relu"),
        helper.make_node("Clip", ["r1", "lo", "hi"], ["c1"], name="Clip"),
        helper.make_node("MatMul", ["c1", "w2"], ["m2"], name="MatMul1"),
        helper.make_node("Add", ["m2", "b2"], ["a2"], name="Add1"),
        helper.make_node("Softmax", ["a2"], ["probabilities"], name="Softmax", axis=1),
        helper.make_node("Transpose", ["probabilities"], ["t"], name="Transpose", perm=[1, 0]),
        helper.make_node("Concat", ["t", "t"], ["both"], name="Concat", axis=1),
    ]
    model = model_from(
        nodes, [tensor_input("x", [None, 5])], [tensor_input("probabilities", [None, 3]), tensor_input("both", [3, None])],
        [weight("w1", 5, 7), weight("b1", 7), weight("w2", 7, 3), weight("b2", 3),
         numpy_helper.from_array(np.array(0.0, np.float32), "lo"), numpy_helper.from_array(np.array(0.6, np.float32), "hi")],
        15, extra_opsets=[("ai.onnx.ml", 1)])
    reference_case("skl2onnx_style_mlp", model, {"x": RNG.standard_normal((1, 5)).astype(np.float32)})

    # Opset 9: Softmax with the legacy axis (coerce to 2-D at axis 1 of a 3-D input), Unsqueeze
    # and Squeeze with attribute axes, Clip with attributes, BatchNormalization-9, Dropout-7 with
    # its mask unused, Reshape from an input. Expected outputs computed with numpy.
    x = RNG.standard_normal((1, 3, 4)).astype(np.float32)
    scale, bias = RNG.standard_normal(3).astype(np.float32), RNG.standard_normal(3).astype(np.float32)
    mean, var = RNG.standard_normal(3).astype(np.float32), (RNG.random(3) + 0.5).astype(np.float32)
    nodes = [
        helper.make_node("Unsqueeze", ["x"], ["x4"], name="unsqueeze", axes=[3]),
        helper.make_node("BatchNormalization", ["x4", "scale", "bias", "mean", "var"], ["bn"], name="bn", epsilon=1e-5),
        helper.make_node("Squeeze", ["bn"], ["b3"], name="squeeze", axes=[3]),
        helper.make_node("Clip", ["b3"], ["clipped"], name="clip", min=-1.0, max=1.5),
        helper.make_node("Dropout", ["clipped"], ["d", "mask"], name="dropout", ratio=0.3),
        helper.make_node("Softmax", ["d"], ["sm"], name="softmax", axis=1),
        helper.make_node("Reshape", ["sm", "shape"], ["y"], name="reshape"),
    ]
    model = model_from(
        nodes, [tensor_input("x", [1, 3, 4])], [tensor_input("y", [3, 4])],
        [numpy_helper.from_array(v, n) for v, n in [(scale, "scale"), (bias, "bias"), (mean, "mean"), (var, "var")]]
        + [numpy_helper.from_array(np.array([3, -1], np.int64), "shape")], 9)
    bn = scale[None, :, None] * (x - mean[None, :, None]) / np.sqrt(var[None, :, None] + 1e-5) + bias[None, :, None]
    clipped = np.clip(bn, -1.0, 1.5)
    flat = clipped.reshape(1, 12)
    e = np.exp(flat - flat.max(axis=1, keepdims=True))
    y = (e / e.sum(axis=1, keepdims=True)).reshape(3, 4)
    onnx.checker.check_model(model)
    write_case(os.path.join(HERE, "models", "opset9_legacy"), model, [("x", x)], [("y", y.astype(np.float32))])

    # Opset 3: Reshape with the shape attribute; Add with legacy broadcast/axis; Concat with
    # its default axis 1. Expected outputs from numpy.
    x = RNG.standard_normal((2, 3, 2)).astype(np.float32)
    b = RNG.standard_normal(3).astype(np.float32)
    nodes = [
        helper.make_node("Add", ["x", "b"], ["s"], name="add", broadcast=1, axis=1),
        helper.make_node("Concat", ["s", "s"], ["c"], name="concat"),
        helper.make_node("Reshape", ["c"], ["y"], name="reshape", shape=[2, -1]),
    ]
    model = model_from(
        nodes, [tensor_input("x", [2, 3, 2])], [tensor_input("y", [2, 12])], [numpy_helper.from_array(b, "b")], 3,
        ir_version=3)
    y = np.concatenate([x + b[None, :, None]] * 2, axis=1).reshape(2, -1)
    write_case(os.path.join(HERE, "models", "opset3_legacy"), model, [("x", x)], [("y", y)])

    # Pre-quantized: QuantizeLinear → QLinearConv → DequantizeLinear, opset 19.
    w = RNG.integers(-20, 20, (2, 1, 3, 3)).astype(np.int8)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="quantize"),
        helper.make_node("QLinearConv", ["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "bias"], ["yq"], name="qconv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"], name="dequantize"),
    ]
    inits = [
        numpy_helper.from_array(np.array(0.05, np.float32), "xs"), numpy_helper.from_array(np.array(3, np.int8), "xz"),
        numpy_helper.from_array(w, "w"), numpy_helper.from_array(np.array([0.02, 0.03], np.float32), "ws"),
        numpy_helper.from_array(np.array([0, 0], np.int8), "wz"), numpy_helper.from_array(np.array(0.1, np.float32), "ys"),
        numpy_helper.from_array(np.array(-2, np.int8), "yz"), numpy_helper.from_array(np.array([100, -50], np.int32), "bias"),
    ]
    model = model_from(nodes, [tensor_input("x", [1, 1, 5, 5])], [tensor_input("y", [1, 2, 5, 5])], inits, 19)
    reference_case("quantized_qlinearconv", model, {"x": RNG.standard_normal((1, 1, 5, 5)).astype(np.float32)})


def ort_case(name, model, x):
    """A model (skl2onnx-exported or built here) with onnxruntime's outputs as the reference; a
    ZipMap output (a list of {label: probability}) is stored as the probability tensor."""
    import onnxruntime
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    results = session.run(None, {model.graph.input[0].name: x})
    outputs = []
    for info, value in zip(model.graph.output, results):
        if isinstance(value, list):
            value = np.array([[row[k] for k in sorted(row)] for row in value], np.float32)
        outputs.append((info.name, np.asarray(value)))
    write_case(os.path.join(HERE, "models", name), model, [(model.graph.input[0].name, x)], outputs)


def build_sklearn_models():
    # ai.onnx.ml models exported by skl2onnx (versions pinned in circuits/requirements.txt),
    # checked against onnxruntime.
    from skl2onnx import to_onnx
    from sklearn.feature_selection import SelectKBest
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer, StandardScaler
    from sklearn.svm import LinearSVC

    rng = np.random.default_rng(20250107)
    x = rng.standard_normal((60, 5)).astype(np.float32)
    probe = rng.standard_normal((3, 5)).astype(np.float32)
    opsets = {"": 17, "ai.onnx.ml": 3}
    three = np.digitize(x[:, 0] + 0.5 * x[:, 1], [-0.5, 0.5])

    # StandardScaler (Scaler) → SelectKBest (ArrayFeatureExtractor) → Normalizer L2 →
    # LinearRegression with two targets (LinearRegressor).
    features = make_pipeline(StandardScaler(), SelectKBest(k=3), Normalizer(norm="l2")).fit(x, three)
    regressor = LinearRegression().fit(features.transform(x), np.stack([x[:, 0] - x[:, 2], 2 * x[:, 1]], 1))
    model = to_onnx(make_pipeline(*[step for _, step in features.steps], regressor), x[:1], target_opset=opsets)
    ort_case("sklearn_linear_regressor", model, probe)

    # Binary logistic regression with labels 2 and 5 (LinearClassifier with two coefficient
    # rows and LOGISTIC; the label is 2 + 3 · ArgMax), ZipMap.
    model = to_onnx(LogisticRegression().fit(x, (x[:, 0] > 0) * 3 + 2), x[:1], target_opset=opsets)
    ort_case("sklearn_logistic_binary", model, probe)

    # Normalizer L1 → multinomial logistic regression, labels 1, 6, 11 (SOFTMAX, Normalizer L1
    # on the probabilities, ZipMap).
    model = to_onnx(make_pipeline(Normalizer(norm="l1"), LogisticRegression()).fit(x, three * 5 + 1), x[:1],
                    target_opset=opsets)
    ort_case("sklearn_logistic_multiclass", model, probe)

    # LinearSVC one-vs-rest (LinearClassifier, NONE, labels 0..2; skl2onnx 1.20 fails on it
    # inside a pipeline), and Normalizer MAX on its own.
    model = to_onnx(LinearSVC().fit(x, three), x[:1], target_opset=opsets)
    ort_case("sklearn_linear_svc", model, probe)
    model = to_onnx(Normalizer(norm="max").fit(x), x[:1], target_opset=opsets)
    ort_case("sklearn_normalizer_max", model, probe)

    # The binary form with one coefficient row (written by hand: skl2onnx writes two rows).
    # onnxruntime ignores post_transform LOGISTIC here: the scores are [1 - s, s].
    node = helper.make_node(
        "LinearClassifier", ["x"], ["label", "scores"], domain="ai.onnx.ml", name="binary",
        coefficients=[0.5, -1.0, 0.25, 0.0, 2.0], intercepts=[0.1], classlabels_ints=[7, 3], post_transform="LOGISTIC")
    model = model_from(
        [node], [tensor_input("x", [None, 5])],
        [tensor_input("label", [None], TensorProto.INT64), tensor_input("scores", [None, 2])], [], 17,
        extra_opsets=[("ai.onnx.ml", 3)])
    ort_case("ml_linear_classifier_one_row", model, probe)

    # String class labels: the scores import, the labels cannot be computed. With only the scores
    # as a graph output the model imports (a reference case); with the labels too it must fail.
    node = helper.make_node(
        "LinearClassifier", ["x"], ["label", "scores"], domain="ai.onnx.ml", name="strings",
        coefficients=[float(v) for v in rng.standard_normal(15).round(3)], intercepts=[0.1, -0.2, 0.3],
        classlabels_strings=["cat", "dog", "eel"], post_transform="SOFTMAX")
    model = model_from(
        [node], [tensor_input("x", [None, 5])], [tensor_input("scores", [None, 3])], [], 17,
        extra_opsets=[("ai.onnx.ml", 3)])
    ort_case("ml_string_labels_scores_only", model, probe)
    model.graph.output.insert(0, helper.make_tensor_value_info("label", TensorProto.STRING, [None]))
    save_model_only("ml_string_labels", model)


def build_unsupported():
    # Three unsupported nodes in one model: a Hardmax, a contrib-domain op and a GatherElements;
    # the supported nodes around them must not be reported.
    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("Hardmax", ["r"], ["l"], name="hardmax"),
        helper.make_node("FusedGemm", ["l", "w"], ["f"], name="fused", domain="com.microsoft"),
        helper.make_node("GatherElements", ["x", "idx"], ["g"], name="gather_rows", axis=1),
        helper.make_node("Add", ["f", "g"], ["y"], name="add"),
    ]
    model = model_from(
        nodes, [tensor_input("x", [2, 4])], [tensor_input("y", [2, 4])],
        [weight("w", 4, 4), numpy_helper.from_array(np.array([[3, 2, 1, 0]] * 2, np.int64), "idx")], 13,
        extra_opsets=[("com.microsoft", 1)])
    save_model_only("three_unsupported", model)

    # An initializer whose data lives in an external file (must be refused with a clear error).
    w = TensorProto()
    w.name, w.data_type = "w", TensorProto.FLOAT
    w.dims.extend([4, 4])
    w.data_location = TensorProto.EXTERNAL
    entry = w.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")]
    model = model_from(nodes, [tensor_input("x", [1, 4])], [tensor_input("y", [1, 4])], [w], 13)
    save_model_only("external_data", model)


def save_model_only(name, model):
    directory = os.path.join(HERE, "unsupported", name)
    if os.path.exists(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())


# ONNX node tests for the supported operators. Excluded up front: non-float element types
# other than the quantized ones, float8/int4/int2/float4 formats, blocked quantization, training
# mode, and 1-D/3-D pooling (the importer would reject them; see the test for the list).
NODE_TESTS = """
test_relu test_sigmoid test_sigmoid_example test_tanh test_tanh_example
test_softmax_example test_softmax_large_number test_softmax_axis_0 test_softmax_axis_1 test_softmax_axis_2
test_softmax_negative_axis test_softmax_default_axis
test_gemm_default_zero_bias test_gemm_default_no_bias test_gemm_default_scalar_bias
test_gemm_default_single_elem_vector_bias test_gemm_default_vector_bias test_gemm_default_matrix_bias
test_gemm_transposeA test_gemm_transposeB test_gemm_alpha test_gemm_beta test_gemm_all_attributes
test_matmul_2d test_matmul_3d test_matmul_4d test_matmul_bcast test_matmul_1d_3d test_matmul_4d_1d test_matmul_1d_1d
test_basic_conv_with_padding test_basic_conv_without_padding test_conv_with_strides_padding
test_conv_with_strides_no_padding test_conv_with_strides_and_asymmetric_padding test_conv_with_autopad_same
test_maxpool_2d_default test_maxpool_2d_pads test_maxpool_2d_strides test_maxpool_2d_same_upper
test_maxpool_2d_same_lower test_maxpool_2d_precomputed_pads test_maxpool_2d_precomputed_strides
test_maxpool_2d_precomputed_same_upper test_maxpool_2d_ceil test_maxpool_2d_ceil_output_size_reduce_by_one
test_maxpool_2d_dilations test_maxpool_2d_uint8 test_maxpool_1d_default test_maxpool_with_argmax_2d_precomputed_pads
test_averagepool_2d_default test_averagepool_2d_pads test_averagepool_2d_pads_count_include_pad
test_averagepool_2d_precomputed_pads test_averagepool_2d_precomputed_pads_count_include_pad
test_averagepool_2d_precomputed_same_upper test_averagepool_2d_precomputed_strides test_averagepool_2d_same_upper
test_averagepool_2d_same_lower test_averagepool_2d_strides test_averagepool_2d_ceil test_averagepool_2d_dilations
test_averagepool_1d_default
test_globalaveragepool test_globalaveragepool_precomputed
test_batchnorm_example test_batchnorm_epsilon
test_add test_add_bcast test_add_uint8 test_sub test_sub_bcast test_sub_example test_mul test_mul_bcast test_mul_example
test_reshape_reordered_all_dims test_reshape_reordered_last_dims test_reshape_reduced_dims test_reshape_extended_dims
test_reshape_one_dim test_reshape_negative_dim test_reshape_negative_extended_dims test_reshape_zero_dim
test_reshape_zero_and_negative_dim test_reshape_allowzero_reordered
test_flatten_axis0 test_flatten_axis1 test_flatten_axis2 test_flatten_axis3 test_flatten_default_axis
test_flatten_negative_axis1 test_flatten_negative_axis2 test_flatten_negative_axis3 test_flatten_negative_axis4
test_transpose_default test_transpose_all_permutations_0 test_transpose_all_permutations_3
test_concat_1d_axis_0 test_concat_2d_axis_0 test_concat_2d_axis_1 test_concat_3d_axis_0 test_concat_3d_axis_1
test_concat_3d_axis_2 test_concat_3d_axis_negative_1
test_identity test_dropout_default test_dropout_default_ratio test_dropout_default_old
test_clip test_clip_example test_clip_default_min test_clip_default_max test_clip_inbounds test_clip_outbounds
test_unsqueeze_axis_0 test_unsqueeze_two_axes test_unsqueeze_negative_axes test_squeeze test_squeeze_negative_axes
test_shape test_shape_start_1 test_shape_end_negative_1 test_size
test_gather_0 test_constantofshape_float_ones test_constantofshape_int_zeros test_expand_dim_changed
test_range_float_type_positive_delta test_range_int32_type_negative_delta test_slice test_slice_neg_steps
test_slice_default_axes test_cast_FLOAT_to_DOUBLE
test_quantizelinear test_quantizelinear_axis test_dequantizelinear test_dequantizelinear_axis
test_qlinearmatmul_2D_uint8_float32 test_qlinearmatmul_3D_int8_float32 test_qlinearconv test_matmulinteger
test_convinteger_with_padding test_convinteger_without_padding
test_leakyrelu test_leakyrelu_default test_leakyrelu_example test_elu test_elu_default test_elu_example
test_selu test_selu_default test_selu_example test_celu test_thresholdedrelu test_thresholdedrelu_default
test_thresholdedrelu_example test_softplus test_softplus_example test_softsign test_softsign_example
test_hardsigmoid test_hardsigmoid_default test_hardsigmoid_example test_hardswish
test_gelu_default_1 test_gelu_default_2 test_gelu_tanh_1 test_gelu_tanh_2 test_mish test_erf test_exp test_exp_example
test_log test_log_example test_sqrt test_sqrt_example test_reciprocal test_reciprocal_example test_neg test_neg_example
test_abs test_sin test_sin_example test_cos test_cos_example
test_pow test_pow_example test_pow_bcast_scalar test_pow_bcast_array
test_prelu_example test_prelu_broadcast test_div test_div_bcast test_div_example
test_max_example test_max_one_input test_max_two_inputs test_max_float32 test_min_example test_min_one_input
test_min_two_inputs test_min_float32 test_sum_example test_sum_one_input test_sum_two_inputs
test_mean_example test_mean_one_input test_mean_two_inputs
test_constant_pad test_constant_pad_axes test_constant_pad_negative_axes test_edge_pad test_reflect_pad test_wrap_pad
test_slice_default_steps test_slice_end_out_of_bounds test_slice_neg test_slice_negative_axes
test_slice_start_out_of_bounds
test_split_1d_uneven_split_opset18 test_split_2d_uneven_split_opset18 test_split_equal_parts_1d_opset13
test_split_equal_parts_1d_opset18 test_split_equal_parts_2d test_split_equal_parts_2d_opset13
test_split_equal_parts_default_axis_opset13 test_split_equal_parts_default_axis_opset18
test_split_variable_parts_1d_opset13 test_split_variable_parts_1d_opset18 test_split_variable_parts_2d_opset13
test_split_variable_parts_2d_opset18 test_split_variable_parts_default_axis_opset13
test_split_variable_parts_default_axis_opset18
test_unsqueeze_axis_1 test_unsqueeze_axis_2 test_unsqueeze_three_axes test_unsqueeze_unsorted_axes
test_gather_1 test_gather_2d_indices test_gather_negative_indices test_tile test_tile_precomputed
test_expand_dim_unchanged
test_resize_downsample_scales_nearest test_resize_downsample_sizes_nearest test_resize_downsample_sizes_nearest_not_larger
test_resize_downsample_sizes_nearest_not_smaller test_resize_upsample_scales_nearest
test_resize_upsample_scales_nearest_axes_2_3 test_resize_upsample_scales_nearest_axes_3_2
test_resize_upsample_sizes_nearest test_resize_upsample_sizes_nearest_axes_2_3 test_resize_upsample_sizes_nearest_axes_3_2
test_resize_upsample_sizes_nearest_ceil_half_pixel test_resize_upsample_sizes_nearest_floor_align_corners
test_resize_upsample_sizes_nearest_not_larger test_resize_upsample_sizes_nearest_not_smaller
test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric test_resize_upsample_scales_linear
test_upsample_nearest
test_argmax_default_axis_example test_argmax_default_axis_example_select_last_index test_argmax_default_axis_random
test_argmax_default_axis_random_select_last_index test_argmax_keepdims_example test_argmax_keepdims_random
test_argmax_keepdims_random_select_last_index test_argmax_negative_axis_keepdims_example
test_argmax_negative_axis_keepdims_random_select_last_index test_argmax_no_keepdims_example
test_argmax_no_keepdims_random test_argmax_no_keepdims_random_select_last_index
test_layer_normalization_2d_axis0 test_layer_normalization_2d_axis1 test_layer_normalization_2d_axis_negative_1
test_layer_normalization_2d_axis_negative_2 test_layer_normalization_3d_axis0_epsilon
test_layer_normalization_3d_axis1_epsilon test_layer_normalization_3d_axis2_epsilon
test_layer_normalization_3d_axis_negative_1_epsilon test_layer_normalization_3d_axis_negative_3_epsilon
test_layer_normalization_4d_axis0 test_layer_normalization_4d_axis1 test_layer_normalization_4d_axis2
test_layer_normalization_4d_axis3 test_layer_normalization_4d_axis_negative_1 test_layer_normalization_4d_axis_negative_4
test_layer_normalization_default_axis
test_instancenorm_epsilon test_instancenorm_example
test_logsoftmax_axis_0 test_logsoftmax_axis_1 test_logsoftmax_axis_2 test_logsoftmax_default_axis
test_logsoftmax_example_1 test_logsoftmax_large_number test_logsoftmax_negative_axis
test_convtranspose test_convtranspose_1d test_convtranspose_3d test_convtranspose_autopad_same
test_convtranspose_dilations test_convtranspose_group_2 test_convtranspose_group_2_image_3
test_convtranspose_kernel_shape test_convtranspose_output_shape test_convtranspose_pad test_convtranspose_pads
""".split()

# Reductions: every random/example case of each Reduce* operator (the empty-set cases have a
# zero-size input, which graph inputs cannot have here; bool inputs are not float models).
NODE_TESTS += [
    f"test_reduce_{kind}_{variant}_{data}"
    for kind in ("sum", "mean", "max", "min", "prod", "sum_square", "l1", "l2", "log_sum_exp")
    for variant in ("default_axes_keepdims", "do_not_keepdims", "keepdims", "negative_axes_keepdims")
    for data in ("example", "random")
] + ["test_reduce_max_default_axes_keepdim_example", "test_reduce_l1_keep_dims_example", "test_reduce_l1_keep_dims_random",
     "test_reduce_l1_negative_axes_keep_dims_example", "test_reduce_l1_negative_axes_keep_dims_random",
     "test_reduce_l2_keep_dims_example", "test_reduce_l2_keep_dims_random", "test_reduce_l2_negative_axes_keep_dims_example",
     "test_reduce_l2_negative_axes_keep_dims_random", "test_reduce_sum_empty_axes_input_noop",
     "test_reduce_sum_empty_axes_input_noop_example"]
# (ONNX spells a few of these variants differently; the generated names it lacks are dropped.)
NODE_TESTS = [name for name in NODE_TESTS if name not in {
    "test_reduce_max_default_axes_keepdims_example", "test_reduce_l1_keepdims_example", "test_reduce_l1_keepdims_random",
    "test_reduce_l1_negative_axes_keepdims_example", "test_reduce_l1_negative_axes_keepdims_random",
    "test_reduce_l2_keepdims_example", "test_reduce_l2_keepdims_random", "test_reduce_l2_negative_axes_keepdims_example",
    "test_reduce_l2_negative_axes_keepdims_random"}]

# LayerNormalization is imported only when its Mean and InvStdDev outputs are unused; these
# cases are stored as `<name>_y_only`, with those two graph outputs (and their data) dropped.
# test_layer_normalization_default_axis is kept whole, as an expected failure.
Y_ONLY = {name for name in NODE_TESTS if name.startswith("test_layer_normalization_")} - {
    "test_layer_normalization_default_axis"}

PYTORCH_TESTS = """
test_Conv2d test_Conv2d_depthwise_padded test_Conv2d_groups test_Conv2d_strided test_Linear test_ReLU test_Sigmoid
test_Tanh test_Softmax test_BatchNorm2d_eval test_MaxPool2d test_AvgPool2d_stride test_operator_view
test_operator_flatten test_operator_add_broadcast test_operator_mm test_operator_permute2 test_operator_concat2
test_AvgPool1d test_AvgPool1d_stride test_MaxPool1d test_MaxPool1d_stride test_Conv1d test_Conv1d_dilated
test_Conv1d_groups test_Conv1d_pad1 test_Conv1d_pad1size1 test_Conv1d_pad2 test_Conv1d_pad2size1 test_Conv1d_stride
test_Conv2d_dilated test_ConvTranspose2d test_ConvTranspose2d_no_bias test_ConstantPad2d test_ReflectionPad2d
test_ReplicationPad2d test_ZeroPad2d test_ELU test_LeakyReLU test_LeakyReLU_with_negval test_SELU test_Softplus
test_Softsign test_Softmin test_LogSoftmax test_log_softmax_dim3 test_log_softmax_lastdim test_PReLU_1d
test_PReLU_1d_multiparam test_PReLU_2d test_PReLU_2d_multiparam test_GLU test_GLU_dim test_Embedding
test_PoissonNLLLLoss_no_reduce
test_operator_basic test_operator_chunk test_operator_convtranspose test_operator_exp test_operator_index
test_operator_max test_operator_min test_operator_pad test_operator_params test_operator_pow
test_operator_reduced_mean test_operator_reduced_mean_keepdim test_operator_reduced_sum
test_operator_reduced_sum_keepdim test_operator_repeat test_operator_repeat_dim_overflow test_operator_selu
test_operator_sqrt test_operator_symbolic_override_nested test_operator_addconstant test_operator_non_float_params
""".split()


def build_node_tests():
    import onnx.backend.test.case.node as node_cases
    wanted = set(NODE_TESTS)
    root = os.path.join(HERE, "onnx-node")
    if os.path.exists(root):
        shutil.rmtree(root)
    found = set()
    for case in node_cases.collect_testcases():
        if case.name not in wanted or not case.data_sets:
            continue
        found.add(case.name)
        inputs, outputs = case.data_sets[0]
        model, name = case.model, case.name
        if name in Y_ONLY:
            model = onnx.ModelProto()
            model.CopyFrom(case.model)
            del model.graph.output[1:]
            outputs, name = outputs[:1], name + "_y_only"
        write_case(
            os.path.join(root, name), model,
            [(i.name, v) for i, v in zip(model.graph.input, inputs)],
            [(o.name, v) for o, v in zip(model.graph.output, outputs)])
    missing = wanted - found
    if missing:
        print("node tests not found:", sorted(missing))


def copy_pytorch_tests():
    source = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data")
    root = os.path.join(HERE, "onnx-pytorch")
    if os.path.exists(root):
        shutil.rmtree(root)
    for name in PYTORCH_TESTS:
        for kind in ("pytorch-converted", "pytorch-operator"):
            path = os.path.join(source, kind, name)
            if os.path.isdir(path):
                shutil.copytree(path, os.path.join(root, name))
                break
        else:
            print("pytorch test not found:", name)


def build_onnxruntime_quantized():
    """onnxruntime's com.microsoft quantized operators (QGemm, QLinearAdd, QLinearMul,
    QLinearSigmoid, QLinearLeakyRelu, QLinearGlobalAveragePool), one model per operator with
    the broadcasting and parameter forms that matter, and a float model put through
    onnxruntime.quantization.quantize_static in the QOperator format. Reference outputs from
    onnxruntime's CPU provider with graph optimizations off. Scales such as 0.3 or 0.07 make
    many values land near a rounding tie, where the order of MLAS's Float32 steps decides."""
    import onnxruntime

    rng = np.random.default_rng(20260601)
    ms = [("", 13), ("com.microsoft", 1)]
    u8, s8 = np.uint8, np.int8

    def elem(dtype):
        return {u8: TensorProto.UINT8, s8: TensorProto.INT8, np.float32: TensorProto.FLOAT}[dtype]

    def ints(dtype, shape):
        info = np.iinfo(dtype)
        return rng.integers(info.min, int(info.max) + 1, shape).astype(dtype)

    def scalar(name, value, dtype=np.float32, one_element=False):
        return numpy_helper.from_array(np.array([value] if one_element else value, dtype), name)

    def run_ort(name, model, feeds):
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        results = session.run(None, feeds)
        write_case(os.path.join(HERE, "models", name), model, list(feeds.items()),
                   [(o.name, r) for o, r in zip(model.graph.output, results)])

    def outputs_of(names, dtype):
        return [helper.make_tensor_value_info(n, elem(dtype), None) for n in names]

    # QGemm, quantized output: uint8 A × int8 B with per-column b_scale and b_zero_point, an int32
    # bias [N]; int8 A and B with both transposed, alpha 0.5, bias [M, 1]; float output (no
    # y_scale) with bias [M, N] and alpha 2.
    a = ints(u8, (4, 6))
    inits = [scalar("as", 0.03), scalar("az", 131, u8), numpy_helper.from_array(ints(s8, (6, 5)), "B"),
             numpy_helper.from_array(np.array([0.07, 0.3, 0.01, 0.05, 0.6], np.float32), "bs"),
             numpy_helper.from_array(ints(s8, (5,)), "bz"),
             numpy_helper.from_array(rng.integers(-3000, 3000, (5,)).astype(np.int32), "C"),
             scalar("ys", 0.7), scalar("yz", 120, u8)]
    node = helper.make_node("QGemm", ["A", "as", "az", "B", "bs", "bz", "C", "ys", "yz"], ["Y"], domain="com.microsoft")
    model = model_from([node], [tensor_input("A", [4, 6], TensorProto.UINT8)], outputs_of(["Y"], u8), inits, 13,
                       extra_opsets=ms[1:])
    run_ort("ort_qgemm_u8s8_per_column", model, {"A": a})

    a = ints(s8, (7, 3))
    inits = [scalar("as", 0.05, one_element=True), scalar("az", -3, s8, one_element=True),
             numpy_helper.from_array(ints(s8, (4, 7)), "B"), scalar("bs", 0.3), scalar("bz", 0, s8),
             numpy_helper.from_array(rng.integers(-500, 500, (3, 1)).astype(np.int32), "C"),
             scalar("ys", 0.1), scalar("yz", 5, s8)]
    node = helper.make_node("QGemm", ["A", "as", "az", "B", "bs", "bz", "C", "ys", "yz"], ["Y"], domain="com.microsoft",
                            transA=1, transB=1, alpha=0.5)
    model = model_from([node], [tensor_input("A", [7, 3], TensorProto.INT8)], outputs_of(["Y"], s8), inits, 13,
                       extra_opsets=ms[1:])
    run_ort("ort_qgemm_s8_transposed_alpha", model, {"A": a})

    a = ints(u8, (3, 4))
    inits = [scalar("as", 0.02), scalar("az", 128, u8), numpy_helper.from_array(ints(u8, (4, 2)), "B"), scalar("bs", 0.07),
             scalar("bz", 100, u8), numpy_helper.from_array(rng.integers(-900, 900, (3, 2)).astype(np.int32), "C")]
    node = helper.make_node("QGemm", ["A", "as", "az", "B", "bs", "bz", "C"], ["Y"], domain="com.microsoft", alpha=2.0)
    model = model_from([node], [tensor_input("A", [3, 4], TensorProto.UINT8)], outputs_of(["Y"], np.float32), inits, 13,
                       extra_opsets=ms[1:])
    run_ort("ort_qgemm_float_output", model, {"A": a})

    # QLinearAdd and QLinearMul: equal shapes, a broadcast row, a scalar first operand (onnxruntime
    # swaps the operands), a per-row scalar second operand, and two-sided broadcasting.
    for op in ("QLinearAdd", "QLinearMul"):
        for dtype in (u8, s8):
            feeds = {"A": ints(dtype, (2, 3, 8)), "B": ints(dtype, (3, 8)), "S": ints(dtype, (1,)),
                     "R": ints(dtype, (2, 3, 1)), "P": ints(dtype, (1, 3, 1)), "Q": ints(dtype, (2, 1, 8))}
            pairs = [("A", "A"), ("A", "B"), ("S", "A"), ("A", "R"), ("P", "Q")]
            nodes, inits, outputs = [], [], []
            for k, (x, y) in enumerate(pairs):
                params = [f"{k}_{p}" for p in ("as", "az", "bs", "bz", "cs", "cz")]
                scales = [0.3, 0.07, 0.2] if op == "QLinearAdd" else [0.3, 0.07, 0.9]
                rng.shuffle(scales)
                zero = [int(z) for z in ints(dtype, (3,))]
                inits += [scalar(params[0], scales[0]), scalar(params[1], zero[0], dtype),
                          scalar(params[2], scales[1] * (k + 1)), scalar(params[3], zero[1], dtype),
                          scalar(params[4], scales[2] * (1 + k % 2)), scalar(params[5], zero[2], dtype)]
                outputs.append(f"C{k}")
                nodes.append(helper.make_node(op, [x, params[0], params[1], y, params[2], params[3], params[4], params[5]],
                                              [f"C{k}"], domain="com.microsoft"))
            inputs = [tensor_input(n, list(v.shape), elem(dtype)) for n, v in feeds.items()]
            model = model_from(nodes, inputs, outputs_of(outputs, dtype), inits, 13, extra_opsets=ms[1:])
            name = {"QLinearAdd": "ort_qlinear_add", "QLinearMul": "ort_qlinear_mul"}[op]
            run_ort(f"{name}_{'u8' if dtype == u8 else 's8'}", model, feeds)

    # QLinearSigmoid and QLinearLeakyRelu over every 8-bit value (the whole table), three
    # parameter sets each (one without zero points).
    for op in ("QLinearSigmoid", "QLinearLeakyRelu"):
        for dtype in (u8, s8):
            info = np.iinfo(dtype)
            x = np.arange(info.min, int(info.max) + 1).astype(dtype)
            nodes, inits = [], []
            for k, (xs, ys) in enumerate([(0.05, 1 / 256), (0.3, 0.07), (0.02, 0.01)]):
                zero = [int(z) for z in ints(dtype, (2,))]
                inits += [scalar(f"{k}_xs", xs), scalar(f"{k}_ys", ys)]
                if k < 2:
                    inits += [scalar(f"{k}_xz", zero[0], dtype), scalar(f"{k}_yz", zero[1], dtype)]
                # (onnxruntime 1.32 reads input 4 unchecked: a missing zero point must be "", not dropped.)
                names = ["X", f"{k}_xs", f"{k}_xz" if k < 2 else "", f"{k}_ys", f"{k}_yz" if k < 2 else ""]
                attributes = {"alpha": [0.1, 0.3, 1.7][k]} if op == "QLinearLeakyRelu" else {}
                nodes.append(helper.make_node(op, names, [f"Y{k}"], domain="com.microsoft", **attributes))
            model = model_from(nodes, [tensor_input("X", [x.size], elem(dtype))], outputs_of(["Y0", "Y1", "Y2"], dtype),
                               inits, 13, extra_opsets=ms[1:])
            name = {"QLinearSigmoid": "ort_qlinear_sigmoid", "QLinearLeakyRelu": "ort_qlinear_leaky_relu"}[op]
            run_ort(f"{name}_{'u8' if dtype == u8 else 's8'}", model, {"X": x})

    # QLinearGlobalAveragePool: NCHW uint8 and channels-last int8.
    for dtype, channels_last, shape in ((u8, 0, (2, 3, 4, 5)), (s8, 1, (2, 4, 5, 3))):
        zero = [int(z) for z in ints(dtype, (2,))]
        inits = [scalar("xs", 0.3), scalar("xz", zero[0], dtype), scalar("ys", 0.07), scalar("yz", zero[1], dtype)]
        node = helper.make_node("QLinearGlobalAveragePool", ["X", "xs", "xz", "ys", "yz"], ["Y"], domain="com.microsoft",
                                channels_last=channels_last)
        model = model_from([node], [tensor_input("X", list(shape), elem(dtype))], outputs_of(["Y"], dtype), inits, 13,
                           extra_opsets=ms[1:])
        run_ort(f"ort_qlinear_global_average_pool_{'nhwc_s8' if channels_last else 'nchw_u8'}", model, {"X": ints(dtype, shape)})

    # A float CNN quantized by onnxruntime.quantization.quantize_static in the QOperator format
    # (uint8 activations, int8 weights): QuantizeLinear → QLinearConv → QLinearLeakyRelu →
    # QLinearConv → QLinearAdd → QLinearMul → QLinearSigmoid → QLinearGlobalAveragePool →
    # Flatten → QGemm → DequantizeLinear.
    import tempfile
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    def w(name, *shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.4).astype(np.float32), name)

    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("LeakyRelu", ["c1"], ["r1"], alpha=0.1),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "r1"], ["s"]),
        helper.make_node("Mul", ["s", "c1"], ["m"]),
        helper.make_node("Sigmoid", ["m"], ["g"]),
        helper.make_node("GlobalAveragePool", ["g"], ["p"]),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["y"], transB=1),
    ]
    inits = [w("w1", 4, 2, 3, 3), w("b1", 4), w("w2", 4, 4, 3, 3), w("b2", 4), w("w3", 3, 4), w("b3", 3)]
    float_model = model_from(nodes, [tensor_input("x", [1, 2, 6, 6])], [tensor_input("y", [1, 3])], inits, 13, ir_version=8)
    calibration = [{"x": rng.standard_normal((1, 2, 6, 6)).astype(np.float32)} for _ in range(16)]

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.feeds = iter(calibration)

        def get_next(self):
            return next(self.feeds, None)

    with tempfile.TemporaryDirectory() as directory:
        source, target = os.path.join(directory, "float.onnx"), os.path.join(directory, "quantized.onnx")
        onnx.save(float_model, source)
        quantize_static(source, target, Reader(), quant_format=QuantFormat.QOperator, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8)
        model = onnx.load(target)
    run_ort("ort_quantize_static_qoperator", model, {"x": rng.standard_normal((1, 2, 6, 6)).astype(np.float32)})


def build_onnxruntime_qdq():
    """Two float models put through onnxruntime.quantization.quantize_static in the QDQ format
    (onnxruntime's default; uint8 activations, int8 weights, per tensor): float operators between
    DequantizeLinear and QuantizeLinear. Reference outputs from onnxruntime's CPU provider at its
    default graph optimization level (ORT_ENABLE_ALL), which fuses the QDQ node groups into
    QLinearConv, QLinearLeakyRelu, QLinearAdd, QLinearMul, QLinearSigmoid,
    QLinearGlobalAveragePool, QGemm and integer Transpose/MaxPool/Reshape/Unsqueeze/Squeeze.
    Own seed: the other fixtures do not change."""
    import tempfile
    import onnxruntime
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    rng = np.random.default_rng(20260615)

    def w(name, *shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.4).astype(np.float32), name)

    def quantized(float_model, shape):
        calibration = iter([{"x": rng.standard_normal(shape).astype(np.float32)} for _ in range(16)])

        class Reader(CalibrationDataReader):
            def get_next(self):
                return next(calibration, None)

        with tempfile.TemporaryDirectory() as directory:
            source, target = os.path.join(directory, "float.onnx"), os.path.join(directory, "quantized.onnx")
            onnx.save(float_model, source)
            quantize_static(source, target, Reader(), quant_format=QuantFormat.QDQ, per_channel=False,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
            return onnx.load(target)

    def run_default(name, model, shape):
        feeds = {"x": rng.standard_normal(shape).astype(np.float32)}
        session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        write_case(os.path.join(HERE, "models", name), model, list(feeds.items()),
                   [(o.name, r) for o, r in zip(model.graph.output, session.run(None, feeds))])

    # The CNN of ort_quantize_static_qoperator (new weights); c1 and r1 are each read by two
    # groups through one shared DequantizeLinear.
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("LeakyRelu", ["c1"], ["r1"], alpha=0.1),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "r1"], ["s"]),
        helper.make_node("Mul", ["s", "c1"], ["m"]),
        helper.make_node("Sigmoid", ["m"], ["g"]),
        helper.make_node("GlobalAveragePool", ["g"], ["p"]),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["y"], transB=1),
    ]
    inits = [w("w1", 4, 2, 3, 3), w("b1", 4), w("w2", 4, 4, 3, 3), w("b2", 4), w("w3", 3, 4), w("b3", 3)]
    float_model = model_from(nodes, [tensor_input("x", [1, 2, 6, 6])], [tensor_input("y", [1, 3])], inits, 13, ir_version=8)
    run_default("ort_quantize_static_qdq", quantized(float_model, (1, 2, 6, 6)), (1, 2, 6, 6))

    # Data movement on quantized tensors: Conv → Relu (folded) → Transpose → MaxPool → Reshape →
    # Unsqueeze → Squeeze → Gemm.
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Transpose", ["r1"], ["t"], perm=[0, 1, 3, 2]),
        helper.make_node("MaxPool", ["t"], ["mp"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Reshape", ["mp", "shape"], ["rs"]),
        helper.make_node("Unsqueeze", ["rs", "axes"], ["u"]),
        helper.make_node("Squeeze", ["u", "axes"], ["sq"]),
        helper.make_node("Gemm", ["sq", "w3", "b3"], ["y"], transB=1),
    ]
    inits = [w("w1", 4, 2, 3, 3), w("b1", 4), numpy_helper.from_array(np.array([1, 16], np.int64), "shape"),
             numpy_helper.from_array(np.array([1], np.int64), "axes"), w("w3", 3, 16), w("b3", 3)]
    float_model = model_from(nodes, [tensor_input("x", [1, 2, 4, 4])], [tensor_input("y", [1, 3])], inits, 13, ir_version=8)
    run_default("ort_quantize_static_qdq_movement", quantized(float_model, (1, 2, 4, 4)), (1, 2, 4, 4))


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    if sys.argv[1:] == ["ort"]:
        build_onnxruntime_quantized()
        build_onnxruntime_qdq()
        sys.exit(0)
    build_models()
    build_sklearn_models()
    build_unsupported()
    build_node_tests()
    copy_pytorch_tests()
    build_onnxruntime_quantized()
    build_onnxruntime_qdq()
    print("onnx", onnx.__version__)
