"""luohu-kg: an evidence-backed knowledge graph of a Southern Daily article on Luohu, Shenzhen."""

__version__ = "0.1.0"
