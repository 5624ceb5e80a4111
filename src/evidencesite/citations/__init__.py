"""The bibliography: BibTeX read and write, identifiers, CSL formatting, per-page citation
numbering, and the `cite` command."""
