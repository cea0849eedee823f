"""claimreport: stage reports for the TikTok claims-classification project.

The package is import-light on purpose: heavy libraries (pandas, matplotlib, scikit-learn,
statsmodels, WeasyPrint) are imported inside the functions that need them so that
``claimreport --help`` answers at once.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
