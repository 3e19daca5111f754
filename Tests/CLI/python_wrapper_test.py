#!/usr/bin/env python3
"""The Python wrapper (python/zkml.py) on a valid proof, a rejected proof (an output out of
range: the case that used to crash it), a key of another model and a file that is not a proof.
Usage: python_wrapper_test.py ZKML PROOF VK OUT_OF_RANGE_PROOF OTHER_MODEL_ID. Prints one line per check; exits 1 if any failed."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from zkml import Zkml, ZkmlError  # noqa: E402

zkml, proof, vk, changed, other_id = sys.argv[1:6]
z = Zkml(zkml)
failed = 0


def check(name, condition):
    global failed
    print(("ok   " if condition else "FAIL ") + name)
    failed += 0 if condition else 1


report = z.verify(proof, vk)
check("wrapper: a valid proof reports valid and output_data",
      report["valid"] is True and len(report["output_data"]) > 0 and "error" not in report)
model_id = report["model_id"]
check("wrapper: --expect-model-id with the key's own id", z.verify(proof, vk, expect_model_id=model_id)["valid"])

report = z.verify(changed, vk)
check("wrapper: a rejected proof is reported, not raised", report["valid"] is False)
check("wrapper: the rejection has a code and a message",
      report["error"]["code"] == "public_value_out_of_range" and report["error"]["message"])
check("wrapper: a rejected proof reports no output_data", "output_data" not in report and "input_hash" not in report)

report = z.verify(proof, vk, expect_model_id=other_id)
check("wrapper: a key of another model is rejected with wrong_model",
      report["valid"] is False and report["error"]["code"] == "wrong_model")

try:
    z.verify(os.path.join(os.path.dirname(__file__), "cli-tests.sh"), vk)
    check("wrapper: a file that is not a proof raises", False)
except ZkmlError as error:
    check("wrapper: a file that is not a proof raises ZkmlError (status 2, not_a_proof)",
          error.status == 2 and error.code == "not_a_proof" and str(error))

try:
    z.verify(proof, vk, expect_model_id="not-hex")
    check("wrapper: a malformed model id raises", False)
except ZkmlError as error:
    check("wrapper: a malformed model id raises ZkmlError (status 2, malformed_model_id)",
          error.status == 2 and error.code == "malformed_model_id")

sys.exit(1 if failed else 0)
