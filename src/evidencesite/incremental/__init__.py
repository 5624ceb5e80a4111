"""Speed machinery beside the core: content keys (digests), the result store, worker
processes, and the executor that reuses or makes each page rendering declares."""
