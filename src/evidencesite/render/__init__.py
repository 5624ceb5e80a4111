"""The pages of the site, declared (path, template, what each reads, how to build its
context), and the Jinja environment that renders them. Nothing here knows of caches,
digests or worker processes: incremental/executor.py decides what to reuse."""
