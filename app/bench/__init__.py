"""Province-scale data for the benchmark (``flask bench generate``)."""
