"""The benchmark of issue 10 (`make bench`): load test, growth with N and the report."""
