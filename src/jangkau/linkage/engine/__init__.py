"""The Splink internals: normalisation, the model, scoring on DuckDB or Spark, training."""
