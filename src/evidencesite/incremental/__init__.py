"""Speed machinery beside the core: content keys (digests), the result store, and worker
processes."""
