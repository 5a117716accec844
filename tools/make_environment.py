"""Write environment.yml (read by Binder's repo2docker) from requirements.txt.

requirements.txt is the single source of versions; this file only mirrors it,
and tests/test_environment.py fails when the two disagree. Run: make environment.yml
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pinned_requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def render() -> str:
    pins = "\n".join(f"      - {pin}" for pin in pinned_requirements())
    return (
        "# Generated from requirements.txt by tools/make_environment.py (make environment.yml): do not edit.\n"
        "name: l1-l2-regularization\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python=3.11\n"
        "  - pip\n"
        "  - pip:\n"
        f"{pins}\n"
        "      - -e .\n"
    )


if __name__ == "__main__":
    print(render(), end="")
