#!/usr/bin/env python3
"""Writes ONNX's node test cases in the backend-test layout (needs the onnx package).

    python3 scripts/onnx_node_data.py OUTPUT_DIR

The onnx wheel ships the data of the pytorch-converted, pytorch-operator and simple suites but no
longer that of the node suite; this regenerates it from the case definitions the wheel does ship
(onnx.backend.test.case.node), the way onnx's own `backend-test-tools generate-data` does for the
other kinds: OUTPUT_DIR/<case>/model.onnx and OUTPUT_DIR/<case>/test_data_set_<i>/{input,output}_<j>.pb.
Sequence, map and optional values are written as onnx writes them (SequenceProto, MapProto,
OptionalProto), so a reader that expects TensorProto sees what it would see in onnx's own data.
"""
import os
import shutil
import sys
import warnings

import onnx
from onnx import TensorProto, numpy_helper


def serialize(value, info):
    if isinstance(value, TensorProto):
        return value.SerializeToString()
    kind = info.type.WhichOneof("value")
    if kind == "map_type":
        return numpy_helper.from_dict(value, info.name).SerializeToString()
    if kind == "sequence_type":
        return numpy_helper.from_list(value, info.name).SerializeToString()
    if kind == "optional_type":
        return numpy_helper.from_optional(value, info.name).SerializeToString()
    return numpy_helper.from_array(value, info.name).SerializeToString()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: onnx_node_data.py OUTPUT_DIR")
    warnings.simplefilter("ignore")
    import onnx.backend.test.case.node as node_cases

    root = sys.argv[1]
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    written = 0
    for case in node_cases.collect_testcases():
        if case.model is None or not case.data_sets:
            continue
        directory = os.path.join(root, case.name)
        os.makedirs(directory)
        with open(os.path.join(directory, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        graph = case.model.graph
        for i, (inputs, outputs) in enumerate(case.data_sets):
            data = os.path.join(directory, f"test_data_set_{i}")
            os.makedirs(data)
            for j, value in enumerate(inputs):
                with open(os.path.join(data, f"input_{j}.pb"), "wb") as f:
                    f.write(serialize(value, graph.input[j]))
            for j, value in enumerate(outputs):
                with open(os.path.join(data, f"output_{j}.pb"), "wb") as f:
                    f.write(serialize(value, graph.output[j]))
        written += 1
    print(f"onnx {onnx.__version__}: {written} node cases in {root}", file=sys.stderr)


if __name__ == "__main__":
    main()
