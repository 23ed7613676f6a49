"""`make bench`: runs every bench/bench_*.py module's ``run()`` and prints its report.

Benchmarks measure speed; tests never do. Each module's ``run()`` returns lines to print.
"""

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")


def main():
    import django

    django.setup()
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem}")
        for line in module.run():
            print(f"   {line}")


if __name__ == "__main__":
    main()
