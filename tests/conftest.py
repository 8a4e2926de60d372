"""Test configuration.

SCIPY_ARRAY_API must be set before SciPy is imported so that scikit-learn's
``check_array_api_input`` runs instead of skipping.
"""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")
