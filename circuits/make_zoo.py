#!/usr/bin/env python3
"""Regenerate the swift-zkml model zoo under circuits/.

    python3 circuits/make_zoo.py            # from the repo root (or any cwd)

Everything is deterministic (fixed seeds, single-threaded BLAS, no downloads):
the training data is scikit-learn's bundled 8x8 `load_digits` set, scaled to
[0, 1], upsampled with bilinear interpolation to 28x28 (784-input models) or
24x24 (cnn2_24x24), and snapped to 8-bit levels (k/255).

Models (hand-built with onnx.helper, opset 13, batch 1, logits output):
  mlp_784_128_10       Gemm+Relu MLP
  mlp_784_256_256_10   Gemm+Relu MLP
  lenet5               Conv/Relu/MaxPool x2, Flatten, Gemm 400-120-84-10
  cnn2_24x24           Conv(1->4,3x3)+Relu, Conv(4->8,3x3)+Relu, Flatten, Gemm 3200->10
and one exported by a real exporter (skl2onnx):
  sklearn_mlp          sklearn MLPClassifier 64-32-10 on the raw 8x8 digits

Per model folder: model.onnx, input.json, calibration.json, reference_output.json
(see README.md for the formats).
"""
import os

# Single-threaded BLAS so float sums happen in a fixed order (reproducible bytes).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import json
import sys
import time
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

try:
    import onnxruntime as ort
except ImportError:  # optional cross-check
    ort = None

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 13
IR_VERSION = 8  # opset 13 + IR 8: readable by older runtimes (tract/EZKL, ORT >= 1.10)
SEED = 0
N_CALIB = 16
SAMPLE_INDEX = 0  # which test sample becomes input.json
PRODUCER = "swift-zkml circuits/make_zoo.py"

summary = []  # rows for the final table


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------
def bilinear_matrix(n_out, n_in):
    """(n_out, n_in) matrix for 1-D bilinear resize, half-pixel centres
    (align_corners=False), edges clamped -- same as PIL/torch bilinear."""
    m = np.zeros((n_out, n_in), dtype=np.float64)
    scale = n_in / n_out
    for i in range(n_out):
        src = (i + 0.5) * scale - 0.5
        src = min(max(src, 0.0), n_in - 1.0)
        lo = int(np.floor(src))
        hi = min(lo + 1, n_in - 1)
        w = src - lo
        m[i, lo] += 1.0 - w
        m[i, hi] += w
    return m


def upsample(images8, size):
    """images8: (N, 8, 8) in [0, 1] -> (N, size, size) float32 on the k/255 grid."""
    r = bilinear_matrix(size, 8)
    up = np.einsum("ij,njk,lk->nil", r, images8, r)
    up = np.clip(up, 0.0, 1.0)
    return (np.round(up * 255.0) / 255.0).astype(np.float32)


def load_data():
    d = load_digits()
    x8 = (d.images / 16.0).astype(np.float64)  # (1797, 8, 8), values k/16
    y = d.target.astype(np.int64)
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.2, random_state=SEED, stratify=y)
    return x8, y, tr, te


# ----------------------------------------------------------------------------
# Tiny numpy NN (forward/backward) + Adam
# ----------------------------------------------------------------------------
class Dense:
    def __init__(self, rng, n_in, n_out):
        bound = np.sqrt(6.0 / n_in)  # He-uniform (ReLU nets)
        self.W = rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32)  # (out, in) like torch
        self.b = np.zeros(n_out, np.float32)

    def params(self):
        return [self.W, self.b]

    def forward(self, x):
        self.x = x
        return x @ self.W.T + self.b

    def backward(self, g):
        self.grads = [g.T @ self.x, g.sum(0)]
        return g @ self.W


class Relu:
    def params(self):
        return []

    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, g):
        self.grads = []
        return g * self.mask


class Conv2d:
    """stride 1, symmetric zero padding, weight (O, C, k, k) as in ONNX Conv."""

    def __init__(self, rng, c_in, c_out, k, pad=0):
        fan_in = c_in * k * k
        bound = np.sqrt(6.0 / fan_in)
        self.W = rng.uniform(-bound, bound, (c_out, c_in, k, k)).astype(np.float32)
        self.b = np.zeros(c_out, np.float32)
        self.k, self.pad = k, pad

    def params(self):
        return [self.W, self.b]

    def forward(self, x):
        p, k = self.pad, self.k
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
        n, c, h, w = xp.shape
        ho, wo = h - k + 1, w - k + 1
        win = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))  # n,c,ho,wo,k,k
        cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, c * k * k)
        out = cols @ self.W.reshape(self.W.shape[0], -1).T + self.b
        self.cache = (cols, xp.shape, ho, wo)
        return out.reshape(n, ho, wo, -1).transpose(0, 3, 1, 2)

    def backward(self, g):
        cols, xshape, ho, wo = self.cache
        n, c, h, w = xshape
        k, p = self.k, self.pad
        o = self.W.shape[0]
        gf = g.transpose(0, 2, 3, 1).reshape(-1, o)
        self.grads = [(gf.T @ cols).reshape(self.W.shape), gf.sum(0)]
        dcols = (gf @ self.W.reshape(o, -1)).reshape(n, ho, wo, c, k, k)
        dxp = np.zeros(xshape, np.float32)
        for i in range(k):
            for j in range(k):
                dxp[:, :, i:i + ho, j:j + wo] += dcols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
        return dxp[:, :, p:h - p, p:w - p] if p else dxp


class MaxPool2:
    """2x2, stride 2 (input H, W even)."""

    def params(self):
        return []

    def forward(self, x):
        n, c, h, w = x.shape
        blocks = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
        self.arg = blocks.argmax(-1)
        self.shape = x.shape
        return blocks.max(-1)

    def backward(self, g):
        n, c, h, w = self.shape
        onehot = np.zeros((n, c, h // 2, w // 2, 4), np.float32)
        np.put_along_axis(onehot, self.arg[..., None], 1.0, axis=-1)
        d = onehot * g[..., None]
        self.grads = []
        return d.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)


class Flatten:
    def params(self):
        return []

    def forward(self, x):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, g):
        self.grads = []
        return g.reshape(self.shape)


def forward(layers, x):
    for l in layers:
        x = l.forward(x)
    return x


def predict(layers, x, bs=256):
    return np.concatenate([forward(layers, x[i:i + bs]) for i in range(0, len(x), bs)])


def train(layers, x, y, epochs, lr, seed, bs=32, wd=1e-4):
    rng = np.random.default_rng(seed)
    params = [p for l in layers for p in l.params()]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps, t = 0.9, 0.999, 1e-8, 0
    for ep in range(epochs):
        lr_ep = lr * 0.5 * (1 + np.cos(np.pi * ep / epochs))  # cosine decay
        perm = rng.permutation(len(x))
        loss_sum = 0.0
        for i in range(0, len(x), bs):
            bi = perm[i:i + bs]
            logits = forward(layers, x[bi])
            z = logits - logits.max(1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(1, keepdims=True)
            loss_sum += -np.log(p[np.arange(len(bi)), y[bi]] + 1e-12).sum()
            g = p
            g[np.arange(len(bi)), y[bi]] -= 1.0
            g = (g / len(bi)).astype(np.float32)
            for l in reversed(layers):
                g = l.backward(g)
            grads = [gr for l in layers for gr in l.grads]
            t += 1
            for k, (pp, gr) in enumerate(zip(params, grads)):
                if pp.ndim > 1:
                    gr = gr + wd * pp
                m[k] = b1 * m[k] + (1 - b1) * gr
                v[k] = b2 * v[k] + (1 - b2) * gr * gr
                mh = m[k] / (1 - b1 ** t)
                vh = v[k] / (1 - b2 ** t)
                pp -= (lr_ep * mh / (np.sqrt(vh) + eps)).astype(np.float32)
    return loss_sum / len(x)


# ----------------------------------------------------------------------------
# ONNX building
# ----------------------------------------------------------------------------
class GraphBuilder:
    def __init__(self, input_shape):
        self.nodes, self.inits = [], []
        self.input_shape = input_shape
        self.cur = "input"
        self.n = 0
        self.n_conv = 0
        self.n_fc = 0

    def _name(self, op):
        self.n += 1
        return f"{op.lower()}_{self.n}"

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32), name))
        return name

    def node(self, op, extra_inputs=(), **attrs):
        name = self._name(op)
        out = name + "_out"
        self.nodes.append(helper.make_node(op, [self.cur, *extra_inputs], [out], name=name, **attrs))
        self.cur = out

    def add_layer(self, layer):
        if isinstance(layer, Dense):
            self.n_fc += 1
            w = self.init(f"fc{self.n_fc}.weight", layer.W)  # (out, in), used with transB=1
            b = self.init(f"fc{self.n_fc}.bias", layer.b)
            self.node("Gemm", [w, b], alpha=1.0, beta=1.0, transB=1)
        elif isinstance(layer, Conv2d):
            self.n_conv += 1
            w = self.init(f"conv{self.n_conv}.weight", layer.W)  # (O, C, kH, kW)
            b = self.init(f"conv{self.n_conv}.bias", layer.b)
            k, p = layer.k, layer.pad
            self.node("Conv", [w, b], kernel_shape=[k, k], pads=[p, p, p, p], strides=[1, 1], dilations=[1, 1], group=1)
        elif isinstance(layer, Relu):
            self.node("Relu")
        elif isinstance(layer, MaxPool2):
            self.node("MaxPool", kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 0, 0])
        elif isinstance(layer, Flatten):
            self.node("Flatten", axis=1)
        else:
            raise TypeError(layer)

    def model(self, graph_name, n_out, doc):
        # rename the last tensor to "output"
        last = self.nodes[-1]
        last.output[0] = "output"
        x = helper.make_tensor_value_info("input", TensorProto.FLOAT, self.input_shape)
        y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, n_out])
        g = helper.make_graph(self.nodes, graph_name, [x], [y], initializer=self.inits, doc_string=doc)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)], producer_name=PRODUCER,
                              producer_version="1", doc_string=doc)
        m.ir_version = IR_VERSION
        return m


def build_onnx(layers, input_shape, name, doc):
    gb = GraphBuilder(input_shape)
    for l in layers:
        gb.add_layer(l)
    n_out = layers[-1].W.shape[0]
    return gb.model(name, n_out, doc)


# ----------------------------------------------------------------------------
# Output files
# ----------------------------------------------------------------------------
def f32s(a):
    """Flatten to a list of Python floats whose repr is the shortest decimal
    that round-trips to the same float32 (parse as double, cast to float32)."""
    return [float(np.format_float_positional(np.float32(v), unique=True, trim="-"))
            if np.isfinite(v) else float(v) for v in np.asarray(a, np.float32).ravel()]


def dump_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def run_reference(model, x, out_name):
    sess = ReferenceEvaluator(model)
    (y,) = sess.run([out_name], {"input": x})
    return np.asarray(y, np.float32)


def run_ort(model_bytes, x, out_name):
    sess = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    return np.asarray(sess.run([out_name], {"input": x})[0], np.float32)


def finish_model(name, model, x_test, y_test, x_calib, out_name="output", extra_note="", trained_acc=None):
    """Check, save, compute reference outputs, write JSON files, report."""
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(folder, "model.onnx")
    onnx.save(model, path)
    model_bytes = model.SerializeToString()
    ops = [(n.domain + "." if n.domain else "") + n.op_type for n in model.graph.node]
    n_params = int(sum(np.prod(i.dims) for i in model.graph.initializer if i.data_type == TensorProto.FLOAT))
    in_shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]

    # accuracy of the ONNX model itself on the held-out test set
    if ort is not None:
        sess = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
        logits = np.concatenate([sess.run([out_name], {"input": x_test[i:i + 1]})[0] for i in range(len(x_test))])
        onnx_acc = float((logits.argmax(1) == y_test).mean())
    else:
        onnx_acc = None

    # sample input + calibration set, references from onnx.reference
    x_s = x_test[SAMPLE_INDEX:SAMPLE_INDEX + 1]
    y_s = run_reference(model, x_s, out_name)
    ys_calib = [run_reference(model, x_calib[i:i + 1], out_name) for i in range(len(x_calib))]
    max_diff = None
    if ort is not None:
        diffs = [np.abs(run_ort(model_bytes, x_s, out_name) - y_s).max()]
        diffs += [np.abs(run_ort(model_bytes, x_calib[i:i + 1], out_name) - ys_calib[i]).max()
                  for i in range(len(x_calib))]
        max_diff = float(max(diffs))

    dump_json(os.path.join(folder, "input.json"), {
        "input_data": [f32s(x_s)],
        "input_shapes": [in_shape],
        "output_data": [f32s(y_s)],
    })
    dump_json(os.path.join(folder, "calibration.json"), {
        "input_data": [f32s(x_calib[i:i + 1]) for i in range(len(x_calib))],
        "input_shapes": [in_shape],
        "output_data": [f32s(y) for y in ys_calib],
    })
    dump_json(os.path.join(folder, "reference_output.json"), {
        "output_data": [f32s(y_s)],
        "argmax": int(y_s.argmax()),
        "label": int(y_test[SAMPLE_INDEX]),
        "output_name": out_name,
    })
    size = os.path.getsize(path)
    print(f"[{name}] input {in_shape}, params {n_params}, model.onnx {size} bytes")
    print(f"[{name}] ops: {ops}")
    print(f"[{name}] test accuracy (numpy/sklearn) {trained_acc:.4f}, via onnxruntime "
          f"{onnx_acc if onnx_acc is None else round(onnx_acc, 4)}")
    print(f"[{name}] sample: label {int(y_test[SAMPLE_INDEX])}, argmax {int(y_s.argmax())}; "
          f"max |ReferenceEvaluator - onnxruntime| = {max_diff}")
    if extra_note:
        print(f"[{name}] {extra_note}")
    summary.append((name, in_shape, n_params, size, trained_acc, onnx_acc, max_diff, sorted(set(ops))))
    return y_s


# ----------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------
def make_numpy_model(name, layers, x_tr, y_tr, x_te, y_te, x_calib, input_shape, epochs, lr, seed, doc):
    t0 = time.time()
    loss = train(layers, x_tr, y_tr, epochs=epochs, lr=lr, seed=seed)
    acc = float((predict(layers, x_te).argmax(1) == y_te).mean())
    print(f"[{name}] trained {epochs} epochs in {time.time() - t0:.1f}s, final train loss {loss:.4f}")
    model = build_onnx(layers, input_shape, name, doc)
    y_s = finish_model(name, model, x_te, y_te, x_calib, trained_acc=acc)
    # the ONNX graph must agree with the numpy forward pass it was built from
    np_out = forward(layers, x_te[SAMPLE_INDEX:SAMPLE_INDEX + 1])
    print(f"[{name}] max |numpy forward - ReferenceEvaluator| = {float(np.abs(np_out - y_s).max()):.3g}")


def prune_to_output(model, out_name):
    """Copy of `model` keeping only the nodes/initializers that `out_name` depends on
    (plain graph surgery, no rewriting of the kept nodes)."""
    needed, keep = {out_name}, []
    for n in reversed(model.graph.node):
        if any(o in needed for o in n.output):
            keep.append(n)
            needed.update(i for i in n.input if i)
    keep.reverse()
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    del g.node[:]
    g.node.extend(keep)
    inits = [i for i in model.graph.initializer if i.name in needed]
    del g.initializer[:]
    g.initializer.extend(inits)
    outs = [o for o in model.graph.output if o.name == out_name]
    del g.output[:]
    g.output.extend(outs)
    vis = [v for v in model.graph.value_info if v.name in needed]
    del g.value_info[:]
    g.value_info.extend(vis)
    domains = {n.domain for n in keep}
    ops = [o for o in model.opset_import if o.domain in ("", "ai.onnx") or o.domain in domains]
    del m.opset_import[:]
    m.opset_import.extend(ops)
    return m


def make_sklearn_mlp(x8, y, tr, te):
    from sklearn.neural_network import MLPClassifier
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    x = x8.reshape(len(x8), 64).astype(np.float32)
    # raw 8x8 digits: values are k/16 (k = 0..16), exact in float32; no upsampling / 8-bit snapping
    t0 = time.time()
    clf = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", solver="adam", alpha=1e-4,
                        batch_size=32, learning_rate_init=1e-3, max_iter=200, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(x[tr], y[tr])
    acc = float(clf.score(x[te], y[te]))
    print(f"[sklearn_mlp] MLPClassifier fit in {time.time() - t0:.1f}s ({clf.n_iter_} iterations)")
    model = convert_sklearn(clf, name="sklearn_mlp", initial_types=[("input", FloatTensorType([1, 64]))],
                            options={id(clf): {"zipmap": False}}, target_opset={"": OPSET, "ai.onnx.ml": 1})
    # Keep exactly what skl2onnx emitted. Only normalisation: skl2onnx lists the
    # opset imports in set order (varies with PYTHONHASHSEED), so sort them
    # (default domain first) to make the file byte-reproducible.
    ops_sorted = sorted(model.opset_import, key=lambda o: (o.domain not in ("", "ai.onnx"), o.domain))
    ops_sorted = [helper.make_opsetid(o.domain, o.version) for o in ops_sorted]
    del model.opset_import[:]
    model.opset_import.extend(ops_sorted)
    model.doc_string = "sklearn MLPClassifier(64-32-10, relu) trained on sklearn digits 8x8, exported by skl2onnx (zipmap=False)"
    y_s = finish_model("sklearn_mlp", model, x[te], y[te], x[tr][:N_CALIB], out_name="probabilities",
                       trained_acc=acc)
    np_out = clf.predict_proba(x[te][SAMPLE_INDEX:SAMPLE_INDEX + 1])
    print(f"[sklearn_mlp] max |sklearn predict_proba - ReferenceEvaluator| = {float(np.abs(np_out - y_s).max()):.3g}")

    # Also: the same graph pruned to the 'probabilities' output (drops ArgMax /
    # ai.onnx.ml.ArrayFeatureExtractor / Reshape / Cast label branch).
    pruned = prune_to_output(model, "probabilities")
    onnx.checker.check_model(pruned, full_check=True)
    path = os.path.join(HERE, "sklearn_mlp", "model_probabilities.onnx")
    onnx.save(pruned, path)
    y_p = run_reference(pruned, x[te][SAMPLE_INDEX:SAMPLE_INDEX + 1], "probabilities")
    ops = [(n.domain + "." if n.domain else "") + n.op_type for n in pruned.graph.node]
    print(f"[sklearn_mlp] model_probabilities.onnx ({os.path.getsize(path)} bytes) ops: {ops}; "
          f"max diff vs full model {float(np.abs(y_p - y_s).max()):.3g}")


def main():
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, onnx {onnx.__version__}, "
          f"onnxruntime {ort.__version__ if ort else 'not installed'}")
    import sklearn
    import skl2onnx
    print(f"scikit-learn {sklearn.__version__}, skl2onnx {skl2onnx.__version__}")
    x8, y, tr, te = load_data()
    print(f"digits: {len(y)} samples, train {len(tr)}, test {len(te)}")

    x28 = upsample(x8, 28)  # (N, 28, 28)
    x24 = upsample(x8, 24)
    f784 = x28.reshape(len(y), 784)
    c28 = x28.reshape(len(y), 1, 28, 28)
    c24 = x24.reshape(len(y), 1, 24, 24)

    rng = np.random.default_rng(1)
    make_numpy_model("mlp_784_128_10",
                     [Dense(rng, 784, 128), Relu(), Dense(rng, 128, 10)],
                     f784[tr], y[tr], f784[te], y[te], f784[tr][:N_CALIB], [1, 784],
                     epochs=30, lr=1e-3, seed=11,
                     doc="MLP 784-128-10 (Gemm transB=1 + Relu), logits output; sklearn digits upsampled to 28x28")

    rng = np.random.default_rng(2)
    make_numpy_model("mlp_784_256_256_10",
                     [Dense(rng, 784, 256), Relu(), Dense(rng, 256, 256), Relu(), Dense(rng, 256, 10)],
                     f784[tr], y[tr], f784[te], y[te], f784[tr][:N_CALIB], [1, 784],
                     epochs=30, lr=1e-3, seed=12,
                     doc="MLP 784-256-256-10 (Gemm transB=1 + Relu), logits output; sklearn digits upsampled to 28x28")

    rng = np.random.default_rng(3)
    make_numpy_model("lenet5",
                     [Conv2d(rng, 1, 6, 5, pad=2), Relu(), MaxPool2(),
                      Conv2d(rng, 6, 16, 5), Relu(), MaxPool2(), Flatten(),
                      Dense(rng, 400, 120), Relu(), Dense(rng, 120, 84), Relu(), Dense(rng, 84, 10)],
                     c28[tr], y[tr], c28[te], y[te], c28[tr][:N_CALIB], [1, 1, 28, 28],
                     epochs=20, lr=1e-3, seed=13,
                     doc="LeNet-5 style CNN, input 1x1x28x28, logits output; sklearn digits upsampled to 28x28")

    rng = np.random.default_rng(4)
    make_numpy_model("cnn2_24x24",
                     [Conv2d(rng, 1, 4, 3), Relu(), Conv2d(rng, 4, 8, 3), Relu(), Flatten(), Dense(rng, 8 * 20 * 20, 10)],
                     c24[tr], y[tr], c24[te], y[te], c24[tr][:N_CALIB], [1, 1, 24, 24],
                     epochs=20, lr=1e-3, seed=14,
                     doc="2-conv CNN 1x1x24x24: Conv 1->4 3x3, Relu, Conv 4->8 3x3, Relu, Flatten, Gemm 3200->10; logits")

    make_sklearn_mlp(x8, y, tr, te)

    print("\nsummary:")
    print(f"{'model':<20} {'input':<16} {'params':>8} {'bytes':>9} {'acc':>7} {'acc(ort)':>9} {'ref-ort':>9}  ops")
    for name, shp, npar, size, acc, oacc, md, ops in summary:
        print(f"{name:<20} {str(shp):<16} {npar:>8} {size:>9} {acc:>7.4f} "
              f"{'-' if oacc is None else f'{oacc:.4f}':>9} {'-' if md is None else f'{md:.2g}':>9}  {','.join(ops)}")


if __name__ == "__main__":
    main()
