"""Small, reusable statistical helpers shared by stages (pure numpy/pandas, no plotting)."""
