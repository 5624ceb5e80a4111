"""A static-site generator for living evidence reviews."""

__version__ = "0.1.0"
