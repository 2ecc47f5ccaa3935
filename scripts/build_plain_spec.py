"""Write src/advisor/core/profile/plain_spec.py from the profile model (after changing it)."""

from pathlib import Path

from advisor.core.profile.plain_build import render

TARGET = Path(__file__).parent.parent / "src/advisor/core/profile/plain_spec.py"

if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET}")
