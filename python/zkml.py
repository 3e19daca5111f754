"""A small Python wrapper around the `zkml` command's --json output.

    from zkml import Zkml
    z = Zkml("/path/to/swift-zkml/.build/release/zkml")
    result = z.prove("model.onnx", "input.json", "out.proof", calibration=["calibration.json"])
    report = z.verify("out.proof", "out.proof.vk")
    assert report["valid"]
    print(report["output_data"])

Every call runs the command once and parses its JSON; a failure raises ZkmlError with the
command's message and exit status (1: the proof is invalid, 2: unusable input).
"""
import json
import subprocess


class ZkmlError(RuntimeError):
    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


class Zkml:
    def __init__(self, executable="zkml"):
        self.executable = executable

    def _run(self, *arguments, allow_invalid=False):
        completed = subprocess.run([self.executable, *arguments], capture_output=True, text=True)
        if completed.returncode != 0 and not (allow_invalid and completed.returncode == 1):
            raise ZkmlError(completed.stderr.strip() or completed.stdout.strip(), completed.returncode)
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise ZkmlError("no JSON in the output: " + completed.stdout.strip(), completed.returncode)
        return json.loads(lines[-1])

    def prove(self, model, input_json, proof_path, calibration=()):
        """Compile (cached), set up and prove; returns paths, timings, size and the output."""
        arguments = ["prove", model, input_json, "-o", proof_path, "--json"]
        for path in calibration:
            arguments += ["--calibration", path]
        return self._run(*arguments)

    def verify(self, proof_path, verification_key):
        """Verify; returns the report (`valid` is False for a rejected proof rather than raising)."""
        return self._run("verify", proof_path, "--vk", verification_key, "--json", allow_invalid=True)

    def run(self, compiled_directory, input_json):
        """Integer inference on a compiled directory: the dequantized output and saturation counts."""
        return self._run("run", compiled_directory, input_json, "--json")

    def bench(self, model, input_json, calibration=(), runs=5):
        arguments = ["bench", model, input_json, "--json", "--runs", str(runs)]
        for path in calibration:
            arguments += ["--calibration", path]
        return self._run(*arguments)
