"""Text mining for citizens' opinions: normalisation, segmentation and the category classifier.

A plain Python package: it never imports Django (import-linter enforces it), so it can be
benchmarked, tested and reused on its own. Heavy dependencies (jieba, scikit-learn) are
imported only by the modules that need them, so `import renda.textmine` stays cheap.
"""

from renda.textmine.normalize import normalize

__all__ = ["normalize"]
