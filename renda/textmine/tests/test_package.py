import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_it_imports_no_django() -> None:
    code = (
        "import sys, renda.textmine, renda.textmine.classifier, renda.textmine.training, "
        "renda.textmine.cli, renda.textmine.evaluation; "
        "bad = [m for m in sys.modules if m.startswith('django')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)
