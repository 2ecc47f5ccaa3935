"""Write src/advisor/core/catalog/bundled_data.py from the bundled catalog's TOML files (after
changing any of them)."""

from pathlib import Path

from advisor.core.catalog.bundled_build import render

TARGET = Path(__file__).parent.parent / "src/advisor/core/catalog/bundled_data.py"

if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET}")
