"""Reading the review: discovery, front matter, strict YAML, JSON Schema, Markdown, the
frozen model, and the checks of cross-references between documents and the bibliography."""
