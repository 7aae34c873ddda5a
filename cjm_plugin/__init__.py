"""cjm: customer journey maps as code, published with MkDocs."""

__version__ = "0.1.0"
