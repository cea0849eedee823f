"""Data in: the schema, the loader/validator and the synthetic demo generator."""
