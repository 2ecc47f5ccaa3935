"""The pure core: profile, catalog, costs, rules and decision. No Textual, no Rich."""
