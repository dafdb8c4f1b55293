"""Development-only code: the demo data (``flask seed-demo``) and the benchmark data
generator (``flask bench generate``). Never used by a real office's server."""
