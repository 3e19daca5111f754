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
CIFAR_EPOCHS = 8
BN_OPSET = 15  # models with BatchNormalization (see GraphBuilder.add_layer); IR 8 still applies
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


class BatchNorm:
    """Inference-mode BatchNormalization (running statistics); not trained here,
    only inserted at export time by `with_batchnorm` (see there)."""

    def __init__(self, gamma, beta, mean, var, eps=1e-5):
        self.gamma, self.beta, self.mean, self.var, self.eps = gamma, beta, mean, var, eps

    def params(self):
        return []

    def forward(self, x):
        s = (self.gamma / np.sqrt(self.var + self.eps)).astype(np.float32)
        return ((x - self.mean[:, None, None]) * s[:, None, None] + self.beta[:, None, None]).astype(np.float32)


class GlobalAvgPool:
    """(N, C, H, W) -> (N, C): mean over H, W (exported as GlobalAveragePool + Flatten)."""

    def params(self):
        return []

    def forward(self, x):
        self.shape = x.shape
        return x.mean(axis=(2, 3))

    def backward(self, g):
        n, c, h, w = self.shape
        self.grads = []
        return np.broadcast_to((g / (h * w))[:, :, None, None], self.shape).astype(np.float32)


class ResidualBlock:
    """relu(x + bn2(conv2(relu(bn1(conv1(x)))))), 3x3 convs with padding 1, C -> C.
    Trained without the BatchNorms (bn1 = bn2 = None); `with_batchnorm` adds them."""

    def __init__(self, rng, c):
        self.conv1, self.conv2 = Conv2d(rng, c, c, 3, pad=1), Conv2d(rng, c, c, 3, pad=1)
        self.relu1, self.relu2 = Relu(), Relu()
        self.bn1 = self.bn2 = None

    def params(self):
        return self.conv1.params() + self.conv2.params()

    def forward(self, x):
        a = self.conv1.forward(x)
        if self.bn1 is not None:
            a = self.bn1.forward(a)
        b = self.conv2.forward(self.relu1.forward(a))
        if self.bn2 is not None:
            b = self.bn2.forward(b)
        return self.relu2.forward(b + x)

    def backward(self, g):
        ds = self.relu2.backward(g)
        dx = self.conv1.backward(self.relu1.backward(self.conv2.backward(ds)))
        self.grads = self.conv1.grads + self.conv2.grads
        return dx + ds


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
        self.n_bn = 0

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
        elif isinstance(layer, BatchNorm):
            # PyTorch's initializer names; opset >= 14 (BN_OPSET) with training_mode absent (0).
            # Below opset 14, onnx.reference (1.23) fills in the schema's default momentum and
            # then runs BatchNormalization with batch statistics: wrong reference outputs.
            self.n_bn += 1
            names = [self.init(f"bn{self.n_bn}.{k}", v) for k, v in
                     (("weight", layer.gamma), ("bias", layer.beta), ("running_mean", layer.mean),
                      ("running_var", layer.var))]
            self.node("BatchNormalization", names, epsilon=layer.eps)
        elif isinstance(layer, GlobalAvgPool):
            self.node("GlobalAveragePool")
            self.node("Flatten", axis=1)
        elif isinstance(layer, ResidualBlock):
            skip = self.cur
            for sub in (layer.conv1, layer.bn1, layer.relu1, layer.conv2, layer.bn2):
                if sub is not None:
                    self.add_layer(sub)
            self.node("Add", [skip])
            self.node("Relu")
        else:
            raise TypeError(layer)

    def model(self, graph_name, n_out, doc, opset=OPSET):
        # rename the last tensor to "output"
        last = self.nodes[-1]
        last.output[0] = "output"
        x = helper.make_tensor_value_info("input", TensorProto.FLOAT, self.input_shape)
        y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, n_out])
        g = helper.make_graph(self.nodes, graph_name, [x], [y], initializer=self.inits, doc_string=doc)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name=PRODUCER,
                              producer_version="1", doc_string=doc)
        m.ir_version = IR_VERSION
        return m


def with_batchnorm(layers, x, rng, eps=1e-5):
    """Give every Conv2d of a model trained without BatchNorm a BatchNormalization,
    without changing the function the model computes.

    For a trained conv y = W*x + b, draw a per-channel scale a in [0.5, 2] and shift
    d in [-0.5, 0.5], export conv' = (a*W, a*b + d), and a BatchNorm whose running
    statistics are the real per-channel mean and variance of conv' over the training
    inputs `x` (what a trained PyTorch model's running_mean/running_var hold), with
    gamma = sqrt(var' + eps) / a and beta = mean of y, so that bn(conv'(x)) = conv(x)
    up to float rounding. Dropping or mis-folding the BatchNorm therefore changes the
    outputs. Returns new layer objects; the trained ones are not modified."""
    def convert(conv, h):
        y = conv.forward(h)
        a = rng.uniform(0.5, 2.0, conv.W.shape[0]).astype(np.float32)
        d = rng.uniform(-0.5, 0.5, conv.W.shape[0]).astype(np.float32)
        c2 = Conv2d.__new__(Conv2d)
        c2.k, c2.pad = conv.k, conv.pad
        c2.W = (conv.W * a[:, None, None, None]).astype(np.float32)
        c2.b = (conv.b * a + d).astype(np.float32)
        y2 = c2.forward(h).astype(np.float64)
        mean = y2.mean(axis=(0, 2, 3))
        var = y2.var(axis=(0, 2, 3))
        gamma = np.sqrt(var + eps) / a
        beta = y.astype(np.float64).mean(axis=(0, 2, 3))
        bn = BatchNorm(gamma.astype(np.float32), beta.astype(np.float32), mean.astype(np.float32),
                       var.astype(np.float32), eps)
        return c2, bn, bn.forward(c2.forward(h))

    out, h = [], x
    for l in layers:
        if isinstance(l, Conv2d):
            c2, bn, h = convert(l, h)
            out += [c2, bn]
        elif isinstance(l, ResidualBlock):
            r = ResidualBlock.__new__(ResidualBlock)
            r.relu1, r.relu2 = Relu(), Relu()
            r.conv1, r.bn1, a = convert(l.conv1, h)
            r.conv2, r.bn2, _ = convert(l.conv2, r.relu1.forward(a))
            h = r.forward(h)
            out.append(r)
        else:
            h = l.forward(h)
            out.append(l)
    return out


def build_onnx(layers, input_shape, name, doc, opset=OPSET):
    gb = GraphBuilder(input_shape)
    for l in layers:
        gb.add_layer(l)
    n_out = layers[-1].W.shape[0]
    return gb.model(name, n_out, doc, opset)


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


def ins(a):
    """JSON values for an input tensor: shortest float32 decimals, or plain ints for integer inputs."""
    a = np.asarray(a)
    return [int(v) for v in a.ravel()] if a.dtype.kind in "iu" else f32s(a)


def r2_score(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, np.float64).ravel(), np.asarray(y_pred, np.float64).ravel()
    return float(1.0 - ((y_true - y_pred) ** 2).sum() / ((y_true - y_true.mean()) ** 2).sum())


def run_reference(model, x, out_name):
    sess = ReferenceEvaluator(model)
    (y,) = sess.run([out_name], {"input": x})
    return np.asarray(y, np.float32)


def run_ort(model_bytes, x, out_name):
    sess = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    return np.asarray(sess.run([out_name], {"input": x})[0], np.float32)


def finish_model(name, model, x_test, y_test, x_calib, out_name="output", extra_note="", trained_acc=None,
                 metric="accuracy"):
    """Check, save, compute reference outputs, write JSON files, report.
    metric: "accuracy" (argmax of the output vs y_test) or "r2" (regression, output [1, 1])."""
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
        onnx_acc = r2_score(y_test, logits) if metric == "r2" else float((logits.argmax(1) == y_test).mean())
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
        "input_data": [ins(x_s)],
        "input_shapes": [in_shape],
        "output_data": [f32s(y_s)],
    })
    dump_json(os.path.join(folder, "calibration.json"), {
        "input_data": [ins(x_calib[i:i + 1]) for i in range(len(x_calib))],
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
    print(f"[{name}] test {'R^2' if metric == 'r2' else 'accuracy'} (numpy/sklearn) {trained_acc:.4f}, via onnxruntime "
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


def colour_digits(x8, size, seed):
    """CIFAR-shaped (N, 3, size, size) images from the 8x8 digits: the upsampled digit
    drawn in a random foreground colour on a random darker background colour (one pair
    per sample, seeded), snapped to 8-bit levels k/255."""
    g = upsample(x8, size)[:, None, :, :].astype(np.float64)  # (N, 1, s, s) on k/255
    rng = np.random.default_rng(seed)
    fg = rng.uniform(0.55, 1.0, (len(x8), 3, 1, 1))
    bg = rng.uniform(0.0, 0.45, (len(x8), 3, 1, 1))
    img = bg * (1.0 - g) + fg * g
    return (np.round(np.clip(img, 0.0, 1.0) * 255.0) / 255.0).astype(np.float32)


def make_bn_model(name, layers, x_tr, y_tr, x_te, y_te, x_calib, input_shape, epochs, lr, seed, bn_seed, doc):
    """Train `layers` (no BatchNorm), then export with a BatchNormalization after every
    Conv (`with_batchnorm`, function-preserving) as PyTorch exporters write it."""
    t0 = time.time()
    loss = train(layers, x_tr, y_tr, epochs=epochs, lr=lr, seed=seed)
    acc = float((predict(layers, x_te).argmax(1) == y_te).mean())
    print(f"[{name}] trained {epochs} epochs in {time.time() - t0:.1f}s, final train loss {loss:.4f}")
    exported = with_batchnorm(layers, x_tr, np.random.default_rng(bn_seed))
    model = build_onnx(exported, input_shape, name, doc, opset=BN_OPSET)
    y_s = finish_model(name, model, x_te, y_te, x_calib, trained_acc=acc)
    x_s = x_te[SAMPLE_INDEX:SAMPLE_INDEX + 1]
    print(f"[{name}] max |numpy forward (no BN) - ReferenceEvaluator| = "
          f"{float(np.abs(forward(layers, x_s) - y_s).max()):.3g}, "
          f"max |numpy forward (with BN) - ReferenceEvaluator| = {float(np.abs(forward(exported, x_s) - y_s).max()):.3g}")


# ----------------------------------------------------------------------------
# Tiny transformer (random body, trained head) on a synthetic token task
# ----------------------------------------------------------------------------
VOCAB, SEQ, DIM, HIDDEN, N_LOGITS = 32, 8, 16, 32, 4
SQRT2 = np.float32(np.sqrt(2.0))


def token_data(n, seed):
    """n random sequences of SEQ tokens in [0, VOCAB); label = the quarter of the vocabulary
    (token // 8) that occurs most often (ties: the smallest quarter)."""
    rng = np.random.default_rng(seed)
    tok = rng.integers(0, VOCAB, (n, SEQ), dtype=np.int64)
    counts = np.stack([(tok // (VOCAB // N_LOGITS) == q).sum(1) for q in range(N_LOGITS)], 1)
    return tok, counts.argmax(1).astype(np.int64)


def transformer_params(seed):
    """PyTorch-like initialisation: Embedding N(0, 1), Linear U(+-1/sqrt(in)) for weight and
    bias, LayerNorm gamma ~ 1, beta ~ 0 (perturbed so they matter). Linear weights are
    stored as ONNX MatMul takes them, [in, out] (PyTorch's exporter writes W^T)."""
    rng = np.random.default_rng(seed)
    f = np.float32

    def lin(n_in, n_out):
        b = 1.0 / np.sqrt(n_in)
        return rng.uniform(-b, b, (n_in, n_out)).astype(f), rng.uniform(-b, b, n_out).astype(f)

    p = {"emb": rng.normal(0, 1, (VOCAB, DIM)).astype(f), "pos": rng.normal(0, 0.5, (1, SEQ, DIM)).astype(f)}
    for k in ("ln1", "ln2"):
        p[k + ".weight"] = (1 + 0.1 * rng.normal(size=DIM)).astype(f)
        p[k + ".bias"] = (0.1 * rng.normal(size=DIM)).astype(f)
    for k, (i, o) in (("q", (DIM, DIM)), ("k", (DIM, DIM)), ("v", (DIM, DIM)), ("proj", (DIM, DIM)),
                      ("fc1", (DIM, HIDDEN)), ("fc2", (HIDDEN, DIM))):
        p[k + ".weight"], p[k + ".bias"] = lin(i, o)
    return p


def np_layernorm(x, g, b, eps=1e-5):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def np_gelu(x):
    from scipy.special import erf
    return 0.5 * x * (1 + erf(x / np.sqrt(2.0)))


def transformer_features(p, tok):
    """Numpy (float64) forward to the mean-pooled features [N, DIM]."""
    x = p["emb"].astype(np.float64)[tok] + p["pos"]
    h = np_layernorm(x, p["ln1.weight"], p["ln1.bias"])
    q, k, v = (h @ p[n + ".weight"] + p[n + ".bias"] for n in ("q", "k", "v"))
    s = q @ k.transpose(0, 2, 1) / np.sqrt(DIM)
    a = np.exp(s - s.max(-1, keepdims=True))
    a /= a.sum(-1, keepdims=True)
    x = x + (a @ v) @ p["proj.weight"] + p["proj.bias"]
    h = np_layernorm(x, p["ln2.weight"], p["ln2.bias"])
    x = x + np_gelu(h @ p["fc1.weight"] + p["fc1.bias"]) @ p["fc2.weight"] + p["fc2.bias"]
    return x.mean(1)


def train_head(feat, y, seed, steps=2000, lr=0.05):
    """Softmax regression (full batch, Adam) on fixed features; returns (W [out, in], b)."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0, 0.1, (N_LOGITS, feat.shape[1]))
    b = np.zeros(N_LOGITS)
    m = [np.zeros_like(W), np.zeros_like(b)]
    v = [np.zeros_like(W), np.zeros_like(b)]
    for t in range(1, steps + 1):
        z = feat @ W.T + b
        pr = np.exp(z - z.max(1, keepdims=True))
        pr /= pr.sum(1, keepdims=True)
        pr[np.arange(len(y)), y] -= 1.0
        g = [pr.T @ feat / len(y) + 1e-4 * W, pr.mean(0)]
        for i, (par, gr) in enumerate(zip((W, b), g)):
            m[i] = 0.9 * m[i] + 0.1 * gr
            v[i] = 0.999 * v[i] + 0.001 * gr * gr
            par -= lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    return W.astype(np.float32), b.astype(np.float32)


def build_transformer(name, p, head, variant, doc):
    """variant: "fused" (opset 20: LayerNormalization, Gelu), "decomposed" (opset 13: LayerNorm
    as ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add and Gelu as x*0.5*(1+Erf(x/sqrt2)),
    as PyTorch's exporter writes them below opset 17/20), or "embedded" (like "fused" but the
    input is the embedded sequence [1, SEQ, DIM], float32, i.e. the Gather's output)."""
    opset = 13 if variant == "decomposed" else 20
    nodes, inits = [], []
    cnt = [0]

    def init(nm, arr, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr, dtype=dtype), nm))
        return nm

    def node(op, ins_, out=None, domain="", **attrs):
        cnt[0] += 1
        nm = f"/{op}_{cnt[0]}"
        out = out or nm + "_output_0"
        nodes.append(helper.make_node(op, list(ins_), [out], name=nm, **attrs))
        return out

    def reduce_mean(x, axis, keepdims):
        if opset >= 18:  # axes became an input in opset 18
            return node("ReduceMean", [x, init(f"axes_{cnt[0] + 1}", [axis], np.int64)], keepdims=keepdims)
        return node("ReduceMean", [x], axes=[axis], keepdims=keepdims)

    def layernorm(x, k):
        g, b = init(k + ".weight", p[k + ".weight"]), init(k + ".bias", p[k + ".bias"])
        if variant != "decomposed":
            return node("LayerNormalization", [x, g, b], axis=-1, epsilon=1e-5)
        m = reduce_mean(x, -1, 1)
        d = node("Sub", [x, m])
        var = reduce_mean(node("Pow", [d, init(k + ".pow_exponent", np.float32(2.0))]), -1, 1)
        std = node("Sqrt", [node("Add", [var, init(k + ".eps", np.float32(1e-5))])])
        return node("Add", [node("Mul", [node("Div", [d, std]), g]), b])

    def linear(x, k):  # PyTorch: MatMul(x, W^T) + Add(bias) for a 3-D input
        return node("Add", [init(k + ".bias", p[k + ".bias"]), node("MatMul", [x, init(k + ".weight", p[k + ".weight"])])])

    if variant == "embedded":
        x_in = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, SEQ, DIM])
        x = node("Add", ["input", init("pos_embedding", p["pos"])])
    else:
        x_in = helper.make_tensor_value_info("input", TensorProto.INT64, [1, SEQ])
        e = node("Gather", [init("tok_embedding.weight", p["emb"]), "input"], axis=0)
        x = node("Add", [e, init("pos_embedding", p["pos"])])
    h = layernorm(x, "ln1")
    q, k, v = linear(h, "q"), linear(h, "k"), linear(h, "v")
    kt = node("Transpose", [k], perm=[0, 2, 1])
    s = node("MatMul", [q, kt])
    if variant == "decomposed":
        s = node("Mul", [s, init("attn.scale", np.float32(1.0 / np.sqrt(DIM)))])  # 0.25: exact, = Div by 4
    else:
        s = node("Div", [s, init("attn.sqrt_d", np.float32(np.sqrt(DIM)))])
    a = node("Softmax", [s], axis=-1)
    x = node("Add", [x, linear(node("MatMul", [a, v]), "proj")])
    h = linear(layernorm(x, "ln2"), "fc1")
    if variant == "decomposed":
        er = node("Erf", [node("Div", [h, init("gelu.sqrt2", SQRT2)])])
        h = node("Mul", [node("Mul", [h, node("Add", [er, init("gelu.one", np.float32(1.0))])]),
                         init("gelu.half", np.float32(0.5))])
    else:
        h = node("Gelu", [h], approximate="none")
    x = node("Add", [x, linear(h, "fc2")])
    pooled = reduce_mean(x, 1, 0)
    node("Gemm", [pooled, init("head.weight", head[0]), init("head.bias", head[1])], out="output",
         alpha=1.0, beta=1.0, transB=1)
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, N_LOGITS])
    g = helper.make_graph(nodes, name, [x_in], [y], initializer=inits, doc_string=doc)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name=PRODUCER,
                          producer_version="1", doc_string=doc)
    m.ir_version = 8 if opset == 13 else 9  # opset 20 needs IR >= 9
    return m


def make_transformers():
    p = transformer_params(seed=21)
    tok_tr, y_tr = token_data(2000, seed=22)
    tok_te, y_te = token_data(500, seed=23)
    t0 = time.time()
    head = train_head(transformer_features(p, tok_tr), y_tr, seed=24)
    z = transformer_features(p, tok_te) @ head[0].T.astype(np.float64) + head[1]
    acc = float((z.argmax(1) == y_te).mean())
    print(f"[tiny_transformer] head trained in {time.time() - t0:.1f}s on 2000 random sequences "
          f"(majority-class baseline {np.bincount(y_te).max() / len(y_te):.3f})")
    body = ("one pre-LN transformer block (vocab 32, 8 tokens, dim 16, 1 head, MLP 32, random PyTorch-like "
            "init) + mean pool + Gemm head trained on a synthetic task (most frequent quarter of the vocabulary)")
    outs = {}
    for name, variant, x_tr_v, x_te_v in (
            ("tiny_transformer", "fused", tok_tr, tok_te),
            ("tiny_transformer_decomposed", "decomposed", tok_tr, tok_te),
            ("tiny_transformer_embedded", "embedded", p["emb"][tok_tr], p["emb"][tok_te])):
        doc = {"fused": "opset 20: Gather, LayerNormalization, Gelu; ",
               "decomposed": "opset 13: LayerNorm and Gelu decomposed as older PyTorch exporters write them; ",
               "embedded": "opset 20, input = token embeddings [1, 8, 16] float (no Gather); "}[variant] + body
        model = build_transformer(name, p, head, variant, doc)
        outs[name] = finish_model(name, model, x_te_v, y_te, x_tr_v[:N_CALIB], trained_acc=acc)
    ref = z[SAMPLE_INDEX:SAMPLE_INDEX + 1]
    print("[tiny_transformer] max |numpy float64 forward - ReferenceEvaluator|: " + ", ".join(
        f"{k} {float(np.abs(v - ref).max()):.3g}" for k, v in outs.items()))


# ----------------------------------------------------------------------------
# scikit-learn linear models through skl2onnx (ai.onnx.ml domain)
# ----------------------------------------------------------------------------
def normalise_opsets(model):
    """skl2onnx lists opset imports in set order (varies with PYTHONHASHSEED) and for some
    converters lists the default domain twice: sort (default domain first) and keep one
    entry per domain (the highest version), so the file is byte-reproducible."""
    best = {}
    for o in model.opset_import:
        best[o.domain] = max(best.get(o.domain, 0), o.version)
    ops_sorted = [helper.make_opsetid(d, best[d]) for d in sorted(best, key=lambda d: (d not in ("", "ai.onnx"), d))]
    del model.opset_import[:]
    model.opset_import.extend(ops_sorted)


def make_sklearn_linear():
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    d = load_diabetes()  # bundled with scikit-learn: 442 patients, 10 standardised features, target = progression
    x = d.data.astype(np.float32)
    y = d.target.astype(np.float64)
    tr, te = train_test_split(np.arange(len(y)), test_size=0.2, random_state=SEED)
    reg = LinearRegression().fit(x[tr], y[tr])
    r2 = float(reg.score(x[te], y[te]))
    model = convert_sklearn(reg, name="sklearn_linear", initial_types=[("input", FloatTensorType([1, 10]))],
                            target_opset={"": OPSET, "ai.onnx.ml": 1})
    normalise_opsets(model)
    model.doc_string = "sklearn LinearRegression on sklearn's diabetes data (10 features), exported by skl2onnx"
    y_s = finish_model("sklearn_linear", model, x[te], y[te], x[tr][:N_CALIB], out_name="variable",
                       trained_acc=r2, metric="r2")
    print(f"[sklearn_linear] max |sklearn predict - ReferenceEvaluator| = "
          f"{float(np.abs(reg.predict(x[te][SAMPLE_INDEX:SAMPLE_INDEX + 1]) - y_s.ravel()).max()):.3g}")


def make_sklearn_logistic(x8, y, tr, te):
    from sklearn.linear_model import LogisticRegression
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    x = x8.reshape(len(x8), 64).astype(np.float32)
    clf = LogisticRegression(C=1.0, max_iter=5000)  # lbfgs, multinomial (the default for > 2 classes)
    clf.fit(x[tr], y[tr])
    acc = float(clf.score(x[te], y[te]))
    kw = dict(name="sklearn_logistic", initial_types=[("input", FloatTensorType([1, 64]))],
              target_opset={"": OPSET, "ai.onnx.ml": 1})
    model = convert_sklearn(clf, options={id(clf): {"zipmap": False}}, **kw)
    normalise_opsets(model)
    model.doc_string = ("sklearn LogisticRegression (multinomial) on sklearn digits 8x8, exported by skl2onnx "
                        "(zipmap=False)")
    y_s = finish_model("sklearn_logistic", model, x[te], y[te], x[tr][:N_CALIB], out_name="probabilities",
                       trained_acc=acc)
    x_s = x[te][SAMPLE_INDEX:SAMPLE_INDEX + 1]
    print(f"[sklearn_logistic] max |sklearn predict_proba - ReferenceEvaluator| = "
          f"{float(np.abs(clf.predict_proba(x_s) - y_s).max()):.3g}")

    # The default export (zipmap=True): probabilities as a sequence of {class: prob} maps.
    # onnx.reference has no ZipMap, so this one is checked with onnxruntime only.
    zm = convert_sklearn(clf, **kw)
    normalise_opsets(zm)
    zm.doc_string = "as model.onnx, but skl2onnx's default options (ZipMap output)"
    onnx.checker.check_model(zm, full_check=True)
    path = os.path.join(HERE, "sklearn_logistic", "model_zipmap.onnx")
    onnx.save(zm, path)
    ops = [(n.domain + "." if n.domain else "") + n.op_type for n in zm.graph.node]
    note = "onnxruntime not installed, not checked"
    if ort is not None:
        sess = ort.InferenceSession(zm.SerializeToString(), providers=["CPUExecutionProvider"])
        (maps,) = sess.run(["output_probability"], {"input": x_s})
        yz = np.asarray([[maps[0][c] for c in range(10)]], np.float32)
        note = f"max |ZipMap probabilities (onnxruntime) - model.onnx (ReferenceEvaluator)| = {float(np.abs(yz - y_s).max()):.3g}"
    print(f"[sklearn_logistic] model_zipmap.onnx ({os.path.getsize(path)} bytes) ops: {ops}; {note}")


ALL_MODELS = ["mlp_784_128_10", "mlp_784_256_256_10", "lenet5", "cnn2_24x24", "sklearn_mlp", "cifar_cnn",
              "residual_block", "tiny_transformer", "sklearn_linear", "sklearn_logistic"]


def main(argv):
    # names to regenerate (default all); "tiny_transformer" also writes its two variants
    selected = set(argv) or set(ALL_MODELS)
    unknown = selected - set(ALL_MODELS)
    if unknown:
        sys.exit(f"unknown model(s) {sorted(unknown)}; choose from {ALL_MODELS}")

    def want(name):
        return name in selected

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

    if want("mlp_784_128_10"):
        rng = np.random.default_rng(1)
        make_numpy_model("mlp_784_128_10",
                         [Dense(rng, 784, 128), Relu(), Dense(rng, 128, 10)],
                         f784[tr], y[tr], f784[te], y[te], f784[tr][:N_CALIB], [1, 784],
                         epochs=30, lr=1e-3, seed=11,
                         doc="MLP 784-128-10 (Gemm transB=1 + Relu), logits output; sklearn digits upsampled to 28x28")

    if want("mlp_784_256_256_10"):
        rng = np.random.default_rng(2)
        make_numpy_model("mlp_784_256_256_10",
                         [Dense(rng, 784, 256), Relu(), Dense(rng, 256, 256), Relu(), Dense(rng, 256, 10)],
                         f784[tr], y[tr], f784[te], y[te], f784[tr][:N_CALIB], [1, 784],
                         epochs=30, lr=1e-3, seed=12,
                         doc="MLP 784-256-256-10 (Gemm transB=1 + Relu), logits output; sklearn digits upsampled to 28x28")

    if want("lenet5"):
        rng = np.random.default_rng(3)
        make_numpy_model("lenet5",
                         [Conv2d(rng, 1, 6, 5, pad=2), Relu(), MaxPool2(),
                          Conv2d(rng, 6, 16, 5), Relu(), MaxPool2(), Flatten(),
                          Dense(rng, 400, 120), Relu(), Dense(rng, 120, 84), Relu(), Dense(rng, 84, 10)],
                         c28[tr], y[tr], c28[te], y[te], c28[tr][:N_CALIB], [1, 1, 28, 28],
                         epochs=20, lr=1e-3, seed=13,
                         doc="LeNet-5 style CNN, input 1x1x28x28, logits output; sklearn digits upsampled to 28x28")

    if want("cnn2_24x24"):
        rng = np.random.default_rng(4)
        make_numpy_model("cnn2_24x24",
                         [Conv2d(rng, 1, 4, 3), Relu(), Conv2d(rng, 4, 8, 3), Relu(), Flatten(), Dense(rng, 8 * 20 * 20, 10)],
                         c24[tr], y[tr], c24[te], y[te], c24[tr][:N_CALIB], [1, 1, 24, 24],
                         epochs=20, lr=1e-3, seed=14,
                         doc="2-conv CNN 1x1x24x24: Conv 1->4 3x3, Relu, Conv 4->8 3x3, Relu, Flatten, Gemm 3200->10; logits")

    if want("sklearn_mlp"):
        make_sklearn_mlp(x8, y, tr, te)

    # --- added later (issue #11): nothing above depends on what follows ---
    c32 = colour_digits(x8, 32, seed=5)
    if want("cifar_cnn"):
        rng = np.random.default_rng(6)
        make_bn_model("cifar_cnn",
                      [Conv2d(rng, 3, 16, 3, pad=1), Relu(), MaxPool2(),
                       Conv2d(rng, 16, 32, 3, pad=1), Relu(), MaxPool2(),
                       Conv2d(rng, 32, 64, 3, pad=1), Relu(), MaxPool2(), Flatten(),
                       Dense(rng, 64 * 4 * 4, 96), Relu(), Dense(rng, 96, 10)],
                      c32[tr], y[tr], c32[te], y[te], c32[tr][:N_CALIB], [1, 3, 32, 32],
                      epochs=CIFAR_EPOCHS, lr=1e-3, seed=15, bn_seed=16,
                      doc="CIFAR-shaped CNN 1x3x32x32: 3x (Conv 3x3 pad 1, BatchNormalization, Relu, MaxPool 2x2) "
                          "16/32/64 channels, Flatten, Gemm 1024->96, Relu, Gemm 96->10; logits; colour digits")

    x16 = upsample(x8, 16).reshape(len(y), 1, 16, 16)
    if want("residual_block"):
        rng = np.random.default_rng(7)
        make_bn_model("residual_block",
                      [Conv2d(rng, 1, 16, 3, pad=1), Relu(), ResidualBlock(rng, 16), GlobalAvgPool(), Dense(rng, 16, 10)],
                      x16[tr], y[tr], x16[te], y[te], x16[tr][:N_CALIB], [1, 1, 16, 16],
                      epochs=20, lr=3e-3, seed=17, bn_seed=18,
                      doc="Conv 1->16 3x3 + BatchNormalization + Relu, then a residual block (Conv-BN-Relu-Conv-BN, "
                          "skip Add, Relu) on 16x16x16, GlobalAveragePool, Flatten, Gemm 16->10; logits")

    if want("tiny_transformer"):
        make_transformers()
    if want("sklearn_linear"):
        make_sklearn_linear()
    if want("sklearn_logistic"):
        make_sklearn_logistic(x8, y, tr, te)

    print("\nsummary:")
    print(f"{'model':<20} {'input':<16} {'params':>8} {'bytes':>9} {'acc':>7} {'acc(ort)':>9} {'ref-ort':>9}  ops")
    for name, shp, npar, size, acc, oacc, md, ops in summary:
        print(f"{name:<20} {str(shp):<16} {npar:>8} {size:>9} {acc:>7.4f} "
              f"{'-' if oacc is None else f'{oacc:.4f}':>9} {'-' if md is None else f'{md:.2g}':>9}  {','.join(ops)}")


if __name__ == "__main__":
    main(sys.argv[1:])
