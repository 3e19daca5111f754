"""A small Python wrapper around the `zkml` command's --json output.

    from zkml import Zkml, ZkmlError
    z = Zkml("/path/to/swift-zkml/.build/release/zkml")
    result = z.prove("model.onnx", "input.json", "out.proof", calibration=["calibration.json"])
    report = z.verify("out.proof", "out.proof.vk", expect_model_id=TRUSTED_MODEL_ID)
    if report["valid"]:
        print(report["output_data"])
    else:
        print(report["error"]["code"], report["error"]["message"])

Every call runs the command once and parses the one JSON object it prints (for a failure too).
`verify` returns the report of a rejected proof (exit 1: `valid` is False, `error` says why, and
there is no `output_data`); any other failure raises ZkmlError with the command's error code,
message and exit status (2: unusable input). The codes are listed in the README.
"""
import json
import subprocess


class ZkmlError(RuntimeError):
    """A failed command: `status` (its exit status), `code` (the stable error code, when the
    command printed one), `report` (the JSON object it printed, if any)."""

    def __init__(self, message, status, code=None, report=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.report = report


class Zkml:
    def __init__(self, executable="zkml"):
        self.executable = executable

    def _run(self, *arguments, allow_rejection=False):
        completed = subprocess.run([self.executable, *arguments], capture_output=True, text=True)
        report = None
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if lines:
            try:
                report = json.loads(lines[-1])
            except ValueError:
                report = None
        if completed.returncode == 0 and report is not None:
            return report
        if completed.returncode == 1 and allow_rejection and report is not None:
            return report
        error = report.get("error") if isinstance(report, dict) else None
        if isinstance(error, dict):
            raise ZkmlError(error.get("message", ""), completed.returncode, error.get("code"), report)
        message = completed.stderr.strip() or completed.stdout.strip() or "no JSON in the output"
        raise ZkmlError(message, completed.returncode, None, report)

    def prove(self, model, input_json, proof_path, calibration=(), bits=None):
        """Compile (cached), set up and prove; returns paths, timings, size and what the proof states."""
        arguments = ["prove", model, input_json, "-o", proof_path, "--json"]
        for path in calibration:
            arguments += ["--calibration", path]
        if bits is not None:
            arguments += ["--bits", str(bits)]
        return self._run(*arguments)

    def verify(self, proof_path, verification_key, expect_model_id=None):
        """Verify; returns the report. A rejected proof (or a key of another model than
        `expect_model_id`) gives `valid: False` and `error` rather than raising."""
        arguments = ["verify", proof_path, "--vk", verification_key, "--json"]
        if expect_model_id is not None:
            arguments += ["--expect-model-id", expect_model_id]
        return self._run(*arguments, allow_rejection=True)

    def run(self, compiled_directory, input_json):
        """Integer inference on a compiled directory: the dequantized output and saturation counts."""
        return self._run("run", compiled_directory, input_json, "--json")

    def bench(self, model, input_json, calibration=(), runs=5):
        arguments = ["bench", model, input_json, "--json", "--runs", str(runs)]
        for path in calibration:
            arguments += ["--calibration", path]
        return self._run(*arguments)
