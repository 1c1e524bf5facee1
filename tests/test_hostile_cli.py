"""The hostile corpus through the command line, each case in its own process held to the promises of SPEC §8: a
refusal is exit code 1 and one sentence on stderr, never a traceback; a load prints counts that add up; every case
ends within 10 seconds (the subprocess is killed past that) and 1 GB of memory (its peak, measured by the child)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kpi_core.i18n import t
from tests.conftest import ROOT
from tests.data.hostile import CASES, Loaded, Refused, mapping_text
from tests.test_hostile import outcome

# Runs the CLI's main as `python -m kpi_core` does, then writes the process's peak memory (KiB) to a file. The peak
# is the kernel's VmHWM of this process's own memory: getrusage's ru_maxrss survives exec and, the child being
# spawned with vfork, would report the pytest worker's peak instead.
RUNNER = """
import sys
from kpi_core.cli import main
try:
    code = main(sys.argv[2:])
finally:
    with open("/proc/self/status") as status, open(sys.argv[1], "w") as peak:
        peak.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
sys.exit(code)
"""
TIME_LIMIT_S = 10
MEMORY_LIMIT_KIB = 1024 * 1024


def run_cli(tmp_path, case):
    path = tmp_path / case.name
    path.write_bytes(case.build())
    args = ["validate", str(path)]
    text = mapping_text(case)
    if text is not None:
        mapping = tmp_path / "mapping.json"
        mapping.write_bytes(text if isinstance(text, bytes) else text.encode())
        args += ["--mapping", str(mapping)]
    peak = tmp_path / "peak"
    done = subprocess.run([sys.executable, "-c", RUNNER, str(peak), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=TIME_LIMIT_S)
    return done, int(peak.read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_case_through_the_command_line(tmp_path, case):
    done, peak = run_cli(tmp_path, case)
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
    assert peak < MEMORY_LIMIT_KIB, f"{peak / 1024:.0f} MB"
    mapping, result = outcome(case)
    if isinstance(case.expected, Refused):
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [t(result.reason, "fr", **result.details)]
        return
    raw, prepared = result
    expected: Loaded = case.expected
    assert done.returncode == (0 if expected.accepted and not expected.missing else 1)
    assert t("validation.counts", "fr", read=expected.read, accepted=expected.accepted,
             rejected=expected.rejected) in done.stdout.splitlines()[0]
    assert done.stderr.strip().splitlines() == [f"{case.name}: {t(note, 'fr', **details)}"
                                                for note, details in raw.notes]
