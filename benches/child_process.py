"""Child processes for the benchmark scripts (benches/whole_process.py, benches/ezkl/side_by_side.py):
run one command, measure its wall time from this parent and its own peak RSS, read its JSON
report, describe the machine."""
import os
import platform
import re
import subprocess
import time


class RusagePopen(subprocess.Popen):
    """Popen that reaps its child with os.wait4, keeping the child's own peak RSS."""

    def _try_wait(self, wait_flags):
        try:
            pid, sts, ru = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            pid, sts = self.pid, 0
            ru = None
        if pid == self.pid and ru is not None:
            self._zk_maxrss = ru.ru_maxrss / 1024.0  # KiB on Linux -> MiB
        return (pid, sts)


def run_child(argv, timeout=None, cwd=None, env=None):
    """Run argv; return (returncode, stdout, stderr, wall seconds, peak RSS in MiB).
    Peak RSS is this child's own ru_maxrss (os.wait4), not the parent's or other children's;
    returncode and RSS are None when the child was killed at `timeout` seconds."""
    t0 = time.perf_counter()
    p = RusagePopen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return None, out, err + f"\n[timed out after {timeout} s]", time.perf_counter() - t0, None
    wall = time.perf_counter() - t0  # the child has been reaped by RusagePopen._try_wait (os.wait4)
    return p.returncode, out, err, wall, getattr(p, "_zk_maxrss", None)


def last_json(text):
    """The last line of `text` that parses as a JSON object, or None."""
    import json
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    return None


def machine():
    info = {"platform": platform.platform(), "nproc": os.cpu_count()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"Model name:\s*(.+)", lscpu)
        info["cpu"] = m.group(1).strip() if m else None
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
        info["memory_gib"] = round(kb / 1024 / 1024, 1)
    except (OSError, AttributeError):
        pass
    info["loadavg_at_start"] = os.getloadavg()
    return info
