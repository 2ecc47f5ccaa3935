"""Write src/advisor/core/catalog/bundled_data.py from the bundled catalog's TOML files (after
changing any of them)."""

from advisor.core.catalog.bundled_build import write

if __name__ == "__main__":
    print(f"wrote {write()}")
